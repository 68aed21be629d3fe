#!/usr/bin/env node
// bench/vector-store: the embedded store's ANN search next to an exhaustive scan of the same
// collection, measured side by side in one run, per size and dimension.
//
//   npm run build && node bench/vector-store.mjs [--sizes 100000,1000000] [--dims 100,1280] [--queries 200] [--ef 64]
//
// Data: clustered unit vectors (N/100 Gaussian clusters), generated batch by batch from a seeded
// PRNG so the benchmark holds no copy of the data set; queries are perturbed cluster centres, not
// points of the set. Ground truth is the store's exact scan, whose scores the contract suite holds
// to within 1e-5 of float64 cosines. Everything goes through the public VectorStore API.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { idOf, normalize, percentile as pct, prng } from './support/clustered-vectors.mjs';

const require = createRequire(import.meta.url);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { EmbeddedVectorStore } = require(join(repo, 'libs/vector-store/dist'));

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    dims: { type: 'string', default: '100,1280' },
    queries: { type: 'string', default: '200' },
    ef: { type: 'string', default: '64' }, // the store's default search beam
    dir: { type: 'string', default: tmpdir() },
  },
});
const SIZES = values.sizes.split(',').map(Number);
const DIMS = values.dims.split(',').map(Number);
const Q = Number(values.queries);
const K = 10;
const TENANTS = 10;

const fmt = (x, d = 2) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const du = (path) => Number(execFileSync('du', ['-sk', path]).toString().split('\t')[0]) * 1024;

async function run(N, D) {
  const dir = mkdtempSync(join(values.dir, 'catalens-bench-vs-'));
  const store = new EmbeddedVectorStore({
    directory: dir,
    indexAfterWrites: Number.MAX_SAFE_INTEGER,
    hnsw: { ef: Number(values.ef) },
  });
  const name = `bench_${N}_${D}`;
  await store.ensureCollection(name, {
    vectors: { v: { size: D } },
    payloadIndexes: { tenantId: 'keyword' },
    tenantKey: 'tenantId',
  });

  const C = Math.max(10, Math.round(N / 100));
  const rnd = prng(1234 + D);
  const centres = Array.from({ length: C }, () => normalize(Float32Array.from({ length: D }, rnd.gauss)));
  // Noise per coordinate so that a point sits at cosine ≈ 0.7 from its centre: clusters overlap
  // enough that the neighbours of a query are not one cluster's arbitrary members.
  const sigma = 1 / Math.sqrt(D);

  const t0 = performance.now();
  const BATCH = 1000;
  for (let start = 0; start < N; start += BATCH) {
    const points = [];
    for (let i = start; i < Math.min(N, start + BATCH); i++) {
      const c = centres[i % C];
      const v = new Float32Array(D);
      for (let d = 0; d < D; d++) v[d] = c[d] + sigma * rnd.gauss();
      points.push({ id: idOf(i), vectors: { v }, payload: { tenantId: `t${i % TENANTS}`, n: i } });
    }
    await store.upsert(name, points);
  }
  const tInsert = performance.now();
  await store.buildIndex(name);
  const tBuilt = performance.now();
  const disk = du(dir);

  const qr = prng(99 + D);
  const queries = Array.from({ length: Q }, () => {
    const c = centres[Math.floor(qr.uniform() * C)];
    return normalize(Float32Array.from(c, (x) => x + sigma * qr.gauss()));
  });

  const measure = async (exact, filtered) => {
    const lat = [];
    const results = [];
    for (const query of queries) {
      const t = performance.now();
      const r = await store.search(name, {
        vector: 'v',
        query,
        limit: K,
        exact,
        ...(filtered ? { filter: { must: [{ key: 'tenantId', match: 't3' }] } } : {}),
      });
      lat.push(performance.now() - t);
      results.push(r.map((x) => x.id));
    }
    return { lat, results };
  };
  const recall = (got, truth) => {
    let hit = 0;
    got.forEach((ids, q) => {
      const t = new Set(truth[q]);
      hit += ids.filter((id) => t.has(id)).length;
    });
    return hit / (got.length * K);
  };

  // Warm both paths once (page cache, lazy loads), then measure.
  await measure(false, false);
  const exact = await measure(true, false);
  const ann = await measure(false, false);
  const exactF = await measure(true, true);
  const annF = await measure(false, true);
  const rss = process.memoryUsage().rss;
  await store.close();
  rmSync(dir, { recursive: true, force: true });

  return {
    N,
    D,
    insertS: (tInsert - t0) / 1000,
    indexS: (tBuilt - tInsert) / 1000,
    diskMiB: disk / 2 ** 20,
    rssMiB: rss / 2 ** 20,
    ann: { p50: pct(ann.lat, 0.5), p99: pct(ann.lat, 0.99), recall: recall(ann.results, exact.results) },
    exact: { p50: pct(exact.lat, 0.5), p99: pct(exact.lat, 0.99) },
    annF: { p50: pct(annF.lat, 0.5), p99: pct(annF.lat, 0.99), recall: recall(annF.results, exactF.results) },
    exactF: { p50: pct(exactF.lat, 0.5), p99: pct(exactF.lat, 0.99) },
  };
}

console.log(
  `# bench/vector-store — ${new Date().toISOString().slice(0, 10)}, ${cpus().length}× ${cpus()[0]?.model.trim()}, ${fmt(totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}`,
);
console.log(
  `# ${Q} queries, top-${K}; ANN = HNSW (m 16, efConstruction 200, ef ${values.ef}); exact = the same store's exhaustive scan; filtered = tenant filter (1 in ${TENANTS} points)\n`,
);
console.log(
  '| vectors × dim | build s (insert + index) | disk MiB | RSS MiB | ANN p50 / p99 ms | exact p50 / p99 ms | p99 ANN / exact | recall@10 | filtered ANN p99 ms | filtered exact p99 ms | filtered recall@10 |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const N of SIZES) {
  for (const D of DIMS) {
    const r = await run(N, D);
    console.log(
      `| ${N.toLocaleString('en-US')} × ${D} | ${fmt(r.insertS + r.indexS, 1)} (${fmt(r.insertS, 1)} + ${fmt(r.indexS, 1)}) | ${fmt(r.diskMiB, 0)} | ${fmt(r.rssMiB, 0)} | ${fmt(r.ann.p50)} / ${fmt(r.ann.p99)} | ${fmt(r.exact.p50)} / ${fmt(r.exact.p99)} | **${fmt(r.ann.p99 / r.exact.p99, 3)}** | **${fmt(r.ann.recall, 3)}** | ${fmt(r.annF.p99)} | ${fmt(r.exactF.p99)} | ${fmt(r.annF.recall, 3)} |`,
    );
  }
}
