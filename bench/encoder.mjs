#!/usr/bin/env node
// bench/encoder: where image-encoding time goes, measured side by side in one run —
// preprocessing alone (sharp decode + resize), the raw model per engine/backend and batch size
// (pixels already prepared), the whole encoder in one thread, and the worker pool (one engine
// instance per core) per engine with 1 and all workers, with onnx ÷ tfjs-wasm in the same run.
//
//   npm run build && node bench/encoder.mjs [--images 64] [--backends wasm,cpu]
//
// Images: real catalog photos from ../shared/datasets/clothing (or DATASETS_DIR) when present,
// generated images otherwise (said in the output).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sharp = require('sharp');
const { OnnxImageEncoder, TfImageEncoder, WorkerPoolImageEncoder, imageToPixels, BATCH_SIZES } = require(
  join(repo, 'libs/vision/dist'),
);

const { values } = parseArgs({
  options: { images: { type: 'string', default: '64' }, backends: { type: 'string', default: 'wasm,cpu' } },
});
const N = Number(values.images);

const datasets = [process.env.DATASETS_DIR, resolve(repo, '../shared/datasets')].filter(Boolean);
const clothing = datasets.map((d) => join(d, 'clothing')).find((d) => existsSync(join(d, 'labels.csv')));
let images;
if (clothing) {
  const rows = readFileSync(join(clothing, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  images = rows.slice(0, N).map((r) => readFileSync(join(clothing, r.split(',')[0])));
  console.log(`# ${images.length} real photos from ${clothing}`);
} else {
  images = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      sharp({
        create: { width: 320, height: 320, channels: 3, background: { r: i * 3, g: 128, b: 255 - i * 3 } },
      })
        .jpeg()
        .toBuffer(),
    ),
  );
  console.log(`# ${N} generated images (../shared/datasets/clothing not found)`);
}
console.log(
  `# ${new Date().toISOString().slice(0, 10)}, ${cpus().length}× ${cpus()[0]?.model.trim()}, Node ${process.version}\n`,
);

const rate = (count, ms) => (count / (ms / 1000)).toFixed(1);
const time = async (fn) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

const single = await TfImageEncoder.create({ backend: 'wasm' });
const manifest = single.manifest;
await single.encode(images.slice(0, 1)); // warm-up
const pixels = [];
const prepMs = await time(async () => {
  for (const image of images) pixels.push(await imageToPixels(image, manifest));
});
console.log(`| stage | img/s |`);
console.log(`|---|---|`);
console.log(
  `| preprocessing (sharp decode + resize to ${manifest.inputSize}², one thread) | ${rate(images.length, prepMs)} |`,
);

for (const backend of values.backends.split(',')) {
  const encoder = backend === 'wasm' ? single : await TfImageEncoder.create({ backend }).catch(() => null);
  if (!encoder) {
    console.log(`| raw model, ${backend} | backend not available here |`);
    continue;
  }
  for (const batch of BATCH_SIZES) {
    // The pure-JS cpu backend is ~30× slower: measure it on one batch only.
    const count = backend === 'cpu' ? batch : Math.max(batch, Math.floor(images.length / batch) * batch);
    await encoder.encodePixels(pixels.slice(0, batch)); // compile this batch shape
    const ms = await time(async () => {
      for (let i = 0; i < count; i += batch)
        await encoder.encodePixels(pixels.slice(i % pixels.length, (i % pixels.length) + batch));
    });
    console.log(`| raw model, ${encoder.backend}, batch ${batch} | ${rate(count, ms)} |`);
  }
  if (encoder !== single) await encoder.close();
}

const onnx = await OnnxImageEncoder.create();
for (const batch of [1, 8, 32]) {
  const count = Math.max(batch, Math.floor(images.length / batch) * batch);
  await onnx.encodePixels(pixels.slice(0, batch));
  const ms = await time(async () => {
    for (let i = 0; i < count; i += batch)
      await onnx.encodePixels(pixels.slice(i % pixels.length, (i % pixels.length) + batch));
  });
  console.log(`| raw model, onnx-cpu (1 thread), batch ${batch} | ${rate(count, ms)} |`);
}
await onnx.close();

const oneThreadMs = await time(() => single.encode(images));
console.log(`| whole encoder, one thread (wasm) | ${rate(images.length, oneThreadMs)} |`);
await single.close();
const pooled = {};
for (const engine of ['tfjs-wasm', 'onnx']) {
  for (const workers of [1, availableParallelism()]) {
    const pool = await WorkerPoolImageEncoder.create({ engine, workers, chunk: 8 });
    await pool.encode(images.slice(0, 8 * workers)); // warm every worker
    const ms = await time(() => pool.encode(images));
    pooled[`${engine}/${workers}`] = ms;
    console.log(
      `| worker pool, ${engine}, ${workers} worker${workers > 1 ? 's' : ''} | ${rate(images.length, ms)} (×${(oneThreadMs / ms).toFixed(2)} vs one wasm thread) |`,
    );
    await pool.close();
  }
}
for (const workers of [1, availableParallelism()])
  console.log(
    `| **onnx ÷ tfjs-wasm, pool of ${workers}** | **×${(pooled[`tfjs-wasm/${workers}`] / pooled[`onnx/${workers}`]).toFixed(2)}** |`,
  );
