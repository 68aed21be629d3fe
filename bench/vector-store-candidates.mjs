#!/usr/bin/env node
// bench/vector-store-candidates: the embedded-store decision (docs/decisions/0004) measured on one
// data set: zvec through the EmbeddedVectorStore, and pgvector's HNSW inside PGlite (the embedded
// Postgres the one-command mode already runs). Same clustered vectors, same queries, exact top-10
// from each engine's own exhaustive scan.
//
//   npm run build && node bench/vector-store-candidates.mjs [--size 20000] [--dim 100] [--queries 200]
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
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
    size: { type: 'string', default: '20000' },
    dim: { type: 'string', default: '100' },
    queries: { type: 'string', default: '200' },
  },
});
const N = Number(values.size);
const D = Number(values.dim);
const Q = Number(values.queries);
const K = 10;

const rnd = prng(7);
const C = Math.max(10, Math.round(N / 100));
const centres = Array.from({ length: C }, () => normalize(Float32Array.from({ length: D }, rnd.gauss)));
const sigma = 1 / Math.sqrt(D);
const data = Array.from({ length: N }, (_, i) =>
  normalize(Float32Array.from(centres[i % C], (x) => x + sigma * rnd.gauss())),
);
const queries = Array.from({ length: Q }, () =>
  normalize(Float32Array.from(centres[Math.floor(rnd.uniform() * C)], (x) => x + sigma * rnd.gauss())),
);

async function timed(fn) {
  const lat = [];
  const out = [];
  for (const q of queries) {
    const t = performance.now();
    out.push(await fn(q));
    lat.push(performance.now() - t);
  }
  return { lat, out };
}
const recall = (got, truth) =>
  got.reduce((h, ids, q) => h + ids.filter((id) => truth[q].includes(id)).length, 0) / (got.length * K);
const row = (name, build, ann, exact) =>
  console.log(
    `| ${name} | ${build.toFixed(1)} | ${pct(ann.lat, 0.5).toFixed(2)} / ${pct(ann.lat, 0.99).toFixed(2)} | ${pct(exact.lat, 0.99).toFixed(2)} | ${recall(ann.out, exact.out).toFixed(3)} |`,
  );

console.log(
  `# ${N.toLocaleString('en-US')} × ${D}, ${Q} queries, top-${K}, HNSW m 16 / efConstruction 200 / ef 128 in both`,
);
console.log('| engine | build s | ANN p50 / p99 ms | exact p99 ms | recall@10 |');
console.log('|---|---|---|---|---|');

{
  const dir = mkdtempSync(join(tmpdir(), 'catalens-cand-'));
  // ef 128 as the other engine; the store's own default is 64 since 2026-12-02 (bench/ann-ef).
  const store = new EmbeddedVectorStore({
    directory: dir,
    indexAfterWrites: Number.MAX_SAFE_INTEGER,
    hnsw: { ef: 128 },
  });
  await store.ensureCollection('cand', { vectors: { v: { size: D } }, payloadIndexes: {} });
  const t = performance.now();
  for (let i = 0; i < N; i += 1000) {
    await store.upsert(
      'cand',
      data.slice(i, i + 1000).map((v, j) => ({ id: idOf(i + j), vectors: { v }, payload: {} })),
    );
  }
  await store.buildIndex('cand');
  const build = (performance.now() - t) / 1000;
  const search = (exact) => (q) =>
    store
      .search('cand', { vector: 'v', query: q, limit: K, exact, withPayload: false })
      .then((r) => r.map((x) => x.id));
  const exact = await timed(search(true));
  row('zvec 0.7 (EmbeddedVectorStore)', build, await timed(search(false)), exact);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

{
  const { PGlite } = require('@electric-sql/pglite');
  const { vector } = require('@electric-sql/pglite/vector');
  const dir = mkdtempSync(join(tmpdir(), 'catalens-cand-pg-'));
  const db = await PGlite.create({ dataDir: dir, extensions: { vector } });
  await db.exec(`CREATE EXTENSION vector; CREATE TABLE p (id uuid PRIMARY KEY, v vector(${D}));`);
  const t = performance.now();
  for (let i = 0; i < N; i += 500) {
    const rows = data.slice(i, i + 500).map((v, j) => `('${idOf(i + j)}', '[${Array.from(v).join(',')}]')`);
    await db.exec(`INSERT INTO p VALUES ${rows.join(',')}`);
  }
  await db.exec(
    'CREATE INDEX ON p USING hnsw (v vector_ip_ops) WITH (m = 16, ef_construction = 200); SET hnsw.ef_search = 128;',
  );
  const build = (performance.now() - t) / 1000;
  const search = (exact) => async (q) => {
    if (exact) await db.exec('SET enable_indexscan = off');
    const r = await db.query(`SELECT id FROM p ORDER BY v <#> $1 LIMIT ${K}`, [
      `[${Array.from(q).join(',')}]`,
    ]);
    if (exact) await db.exec('SET enable_indexscan = on');
    return r.rows.map((x) => x.id);
  };
  const exact = await timed(search(true));
  row('pgvector 0.8 in PGlite 0.4 (WASM)', build, await timed(search(false)), exact);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
