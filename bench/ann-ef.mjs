#!/usr/bin/env node
// bench/ann-ef: what the HNSW search beam (`ef`) buys on real photos — recall@10 against the
// exact scan and search time, side by side for several `ef`, on the visual embeddings of the real
// catalog photos in ../shared/datasets (clothing and houses; each photo also mirrored, which
// doubles the set with near-duplicates, the hard case for a graph search). The queries are the
// resolver's `similarItems(itemId)`: the anchor's own vector, the tenant filter, the anchor excluded.
//
//   npm run build && node bench/ann-ef.mjs [--ef 128,96,64,48,32] [--queries 500] [--cache /tmp/x.bin]
//
// `--cache` keeps the encoded vectors in a file outside the repository, so a second run skips the
// model (the vectors are model output, never shipped).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { repo } from './support/bench-env.mjs';
import { idOf, percentile as pct, prng } from './support/clustered-vectors.mjs';

const require = createRequire(import.meta.url);
const sharp = require('sharp');
const { WorkerPoolImageEncoder } = require(join(repo, 'libs/vision/dist'));
const { EmbeddedVectorStore } = require(join(repo, 'libs/vector-store/dist'));

const { values } = parseArgs({
  options: {
    ef: { type: 'string', default: '128,96,64,48,32' },
    queries: { type: 'string', default: '500' },
    cache: { type: 'string' },
  },
});
const EFS = values.ef.split(',').map(Number);
const Q = Number(values.queries);
const K = 10;
const TENANT = '7e9d2a3c-0000-4000-8000-000000000001';
const log = (m) => console.error(`[bench:ann-ef] ${m}`);

function photoFiles() {
  const roots = [process.env.DATASETS_DIR, resolve(repo, '../shared/datasets')].filter(Boolean);
  const root = roots.find((d) => existsSync(d));
  if (!root) {
    console.error('bench/ann-ef needs the real photos of ../shared/datasets (or DATASETS_DIR)');
    process.exit(2);
  }
  const files = [];
  for (const set of ['clothing', 'houses']) {
    const dir = join(root, set);
    if (!existsSync(dir)) continue;
    const walk = (d) =>
      readdirSync(d, { withFileTypes: true }).forEach((e) =>
        e.isDirectory() ? walk(join(d, e.name)) : /\.jpe?g$/i.test(e.name) && files.push(join(d, e.name)),
      );
    walk(dir);
  }
  return { root, files: files.sort() };
}

async function encodeAll() {
  if (values.cache && existsSync(values.cache)) {
    const buf = readFileSync(values.cache);
    const dim = buf.readUInt32LE(0);
    const n = (buf.length - 4) / 4 / dim;
    const all = new Float32Array(buf.buffer.slice(buf.byteOffset + 4, buf.byteOffset + buf.length));
    log(`${n} vectors of ${dim} from ${values.cache}`);
    return Array.from({ length: n }, (_, i) => all.subarray(i * dim, (i + 1) * dim));
  }
  const { root, files } = photoFiles();
  log(`encoding ${files.length} photos from ${root} and their mirror images`);
  const pool = await WorkerPoolImageEncoder.create({ workers: cpus().length, chunk: 8 });
  const vectors = [];
  const t = performance.now();
  try {
    for (let i = 0; i < files.length; i += 64) {
      const originals = files.slice(i, i + 64).map((f) => readFileSync(f));
      const mirrored = await Promise.all(originals.map((b) => sharp(b).flop().jpeg().toBuffer()));
      vectors.push(...(await pool.encode([...originals, ...mirrored])));
      if (i % 640 === 0) log(`${vectors.length} encoded (${((performance.now() - t) / 1000).toFixed(0)} s)`);
    }
  } finally {
    await pool.close();
  }
  if (values.cache) {
    const dim = vectors[0].length;
    const out = Buffer.alloc(4 + vectors.length * dim * 4);
    out.writeUInt32LE(dim, 0);
    vectors.forEach((v, i) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).copy(out, 4 + i * dim * 4));
    writeFileSync(values.cache, out);
  }
  return vectors;
}

const vectors = await encodeAll();
const N = vectors.length;
const DIM = vectors[0].length;
const dir = mkdtempSync(join(tmpdir(), 'catalens-bench-ef-'));
const spec = {
  vectors: { visual: { size: DIM } },
  payloadIndexes: { tenantId: 'keyword', itemId: 'keyword' },
};
try {
  let store = new EmbeddedVectorStore({ directory: dir, indexAfterWrites: Number.MAX_SAFE_INTEGER });
  await store.ensureCollection('photos', spec);
  for (let i = 0; i < N; i += 500) {
    await store.upsert(
      'photos',
      vectors.slice(i, i + 500).map((v, j) => ({
        id: idOf(i + j),
        vectors: { visual: v },
        payload: { tenantId: TENANT, itemId: idOf(i + j) },
      })),
    );
  }
  const t = performance.now();
  await store.buildIndex('photos');
  log(`${N} × ${DIM} indexed in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await store.close();

  const rnd = prng(11);
  const anchors = Array.from({ length: Q }, () => Math.floor(rnd.uniform() * N));
  // ef 0 = the exact scan (the ground truth). Every store is opened afresh with its `ef`; HNSW is
  // used at every size (exactSearchBelow 0), as it would be for a collection past 10,000 points.
  const run = async (ef) => {
    store = new EmbeddedVectorStore({
      directory: dir,
      exactSearchBelow: 0,
      indexAfterWrites: Number.MAX_SAFE_INTEGER,
      ...(ef ? { hnsw: { ef } } : {}),
    });
    const lat = [];
    const results = [];
    for (const pass of [0, 1]) {
      for (const i of anchors) {
        const started = performance.now();
        const hits = await store.search('photos', {
          vector: 'visual',
          query: vectors[i],
          limit: K,
          filter: {
            must: [{ key: 'tenantId', match: TENANT }],
            mustNot: [{ key: 'itemId', match: idOf(i) }],
          },
          exact: ef === 0,
        });
        if (pass === 0) continue; // warm-up pass
        lat.push(performance.now() - started);
        results.push(hits.map((h) => h.id));
      }
    }
    await store.close();
    return { lat, results };
  };
  const truth = await run(0);
  console.log(
    `\n# ${N} real photo embeddings (${DIM}-d), ${Q} similarItems queries (tenant filter, anchor excluded), top ${K}; ${cpus().length}× ${cpus()[0]?.model.trim()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`,
  );
  console.log('| search | p50 ms | p99 ms | recall@10 | worst query recall |');
  console.log('|---|---|---|---|---|');
  console.log(
    `| exact scan | ${pct(truth.lat, 0.5).toFixed(2)} | ${pct(truth.lat, 0.99).toFixed(2)} | 1.000 | 1.0 |`,
  );
  for (const ef of EFS) {
    const { lat, results } = await run(ef);
    const perQuery = results.map((r, q) => {
      const want = new Set(truth.results[q]);
      return r.filter((id) => want.has(id)).length / K;
    });
    const recall = perQuery.reduce((a, b) => a + b, 0) / perQuery.length;
    console.log(
      `| HNSW ef ${ef} | ${pct(lat, 0.5).toFixed(2)} | ${pct(lat, 0.99).toFixed(2)} | ${recall.toFixed(3)} | ${Math.min(...perQuery).toFixed(1)} |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
