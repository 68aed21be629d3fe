#!/usr/bin/env node
// Extracts the MobileNetV2 that npm's `nsfwjs` ships (a Keras layers model, uint8-quantized,
// stored as a JS module and a base64 JS module) into a plain TF.js model directory catalens loads
// from disk: models/nsfwjs-mobilenet-v2/{model.json, weights.bin}. Provenance in SOURCE.md there.
//
//   npm pack nsfwjs@4.4.0 && tar xzf nsfwjs-4.4.0.tgz       # no install needed, no scripts run
//   node scripts/models/extract-nsfwjs-mobilenet.mjs --package ./package
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    package: { type: 'string' },
    out: { type: 'string', default: join(repo, 'models/nsfwjs-mobilenet-v2') },
  },
});
if (!values.package) {
  console.error('--package <unpacked nsfwjs package directory> is required');
  process.exit(64);
}
const dir = resolve(values.package, 'dist/models/mobilenet_v2');
const model = require(join(dir, 'model.min.js'));
const weights = Buffer.from(require(join(dir, 'group1-shard1of1.min.js')), 'base64');
const manifest = model.weightsManifest.map((group) => ({ ...group, paths: ['weights.bin'] }));
mkdirSync(values.out, { recursive: true });
writeFileSync(
  join(values.out, 'model.json'),
  JSON.stringify({ format: 'layers-model', modelTopology: model.modelTopology, weightsManifest: manifest }),
);
writeFileSync(join(values.out, 'weights.bin'), weights);
console.log(`${values.out}: model.json + weights.bin (${weights.length} bytes)`);
