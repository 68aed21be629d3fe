#!/usr/bin/env node
// bench/graphql: `similarItems(itemId)` through the GraphQL server (its own process as deployed:
// NODE_ENV=production, HTTP, API key, embedded store in-process) next to the same store queries
// made directly, over 100,000 indexed items; recall@10 of both against the store's exact scan.
// Twice: selecting card fields (answered from the points) and with a row field (Postgres join).
//
//   npm run build && node bench/graphql.mjs [--items 100000] [--queries 300] [--visual 1280] [--ef 64]
//
// Data: item rows written straight to Postgres (status indexed) and their points straight to the
// embedded store (payloads as the embedder writes them, card included): clustered unit vectors
// (N/100 Gaussian clusters, seeded PRNG) of the model's sizes (visual 1280, semantic 100), so no
// model runs here. Query anchors are random items.
// Direct = retrieve the anchor's vector + ANN search with the tenant filter and the anchor
// excluded, exactly the store calls the resolver makes. Ground truth = the same search, exact.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { benchDatabase, machine, repo, startApp } from './support/bench-env.mjs';
import { idOf, normalize, percentile as pct, prng } from './support/clustered-vectors.mjs';

const require = createRequire(import.meta.url);
const { EmbeddedVectorStore } = require(join(repo, 'libs/vector-store/dist'));
const { itemCollectionSpec, collectionForVersion, itemPayload, VISUAL, SEMANTIC } = require(
  join(repo, 'libs/indexing/dist'),
);
const { ITEM_SCHEMA_V1, pointId } = require(join(repo, 'libs/contracts/dist'));
const { ApiKeyRepository } = require(join(repo, 'libs/db/dist'));

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '300' },
    visual: { type: 'string', default: '1280' },
    dir: { type: 'string', default: tmpdir() },
    ef: { type: 'string', default: '64' }, // HNSW search beam, store and app alike (the default)
  },
});
const N = Number(values.items);
const Q = Number(values.queries);
const DV = Number(values.visual);
const DS = 100;
const K = 10;
const VERSION = 'efficientnet-lite0-224+conse-wn-t10';
const CATEGORIES = [
  'dress',
  'shoes',
  'hat',
  'shirt',
  'pants',
  'skirt',
  'shorts',
  'outwear',
  't-shirt',
  'longsleeve',
];
const fmt = (x, d = 2) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const log = (m) => console.error(`[bench:graphql] ${m}`);

const { spawnSync } = await import('node:child_process');
if (spawnSync('bash', [join(repo, 'scripts/postgres.sh'), 'up'], { stdio: 'inherit' }).status !== 0)
  process.exit(1);
const db = await benchDatabase();
const { key } = await new ApiKeyRepository(db.prisma, db.pepper).create(db.tenantId, ['search']);
const storeDir = mkdtempSync(join(values.dir, 'catalens-bench-gql-'));
const alias = 'items';
const collection = collectionForVersion(alias, VERSION);
const itemId = (i) => idOf(i);

try {
  // 1. Rows and points.
  const t0 = performance.now();
  const { Client } = require('pg');
  const sql = new Client({ connectionString: db.url });
  await sql.connect();
  for (let start = 0; start < N; start += 5000) {
    const ids = [];
    for (let i = start; i < Math.min(N, start + 5000); i++) ids.push(i);
    await sql.query(
      `INSERT INTO items (id, tenant_id, external_id, title, category, price, status, model_version, indexed_at, updated_at)
       SELECT id, $2, 'sku-' || i, 'Item ' || i, ($3::text[])[(i % $4 + 1)::int], i % 200, 'indexed', $5, now(), now()
       FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, n), LATERAL (SELECT n - 1 + $6::int AS i) AS k`,
      [ids.map(itemId), db.tenantId, CATEGORIES, CATEGORIES.length, VERSION, start],
    );
  }
  // As a table in steady state: no autovacuum of the fresh rows competes with the measured queries.
  await sql.query('VACUUM ANALYZE items');
  await sql.end();
  const tRows = performance.now();
  log(`${N} item rows in ${fmt((tRows - t0) / 1000, 1)} s`);

  const store = new EmbeddedVectorStore({
    directory: storeDir,
    indexAfterWrites: Number.MAX_SAFE_INTEGER,
    hnsw: { ef: Number(values.ef) },
  });
  await store.ensureCollection(collection, itemCollectionSpec({ visual: DV, semantic: DS }));
  await store.createAlias(alias, collection);
  const C = Math.max(10, Math.round(N / 100));
  const rnd = prng(4242);
  const centres = Array.from({ length: C }, () => normalize(Float32Array.from({ length: DV }, rnd.gauss)));
  const sigma = 1 / Math.sqrt(DV);
  const indexedAt = new Date();
  for (let start = 0; start < N; start += 500) {
    const points = [];
    for (let i = start; i < Math.min(N, start + 500); i++) {
      const c = centres[i % C];
      const visual = new Float32Array(DV);
      for (let d = 0; d < DV; d++) visual[d] = c[d] + sigma * rnd.gauss();
      const semantic = normalize(Float32Array.from({ length: DS }, rnd.gauss));
      points.push({
        id: pointId(db.tenantId, itemId(i)),
        vectors: { [VISUAL]: visual, [SEMANTIC]: semantic },
        // The payload the embedder writes (card included) for the row written above.
        payload: itemPayload(
          {
            schema: ITEM_SCHEMA_V1,
            tenantId: db.tenantId,
            itemId: itemId(i),
            externalId: `sku-${i}`,
            contentHash: i.toString(16).padStart(64, '0'),
            image: { mime: 'image/jpeg', width: 1, height: 1, size: 0, bytes: '' },
            metadata: { title: `Item ${i}`, category: CATEGORIES[i % CATEGORIES.length], price: i % 200 },
            producedAt: indexedAt.toISOString(),
          },
          [],
          VERSION,
          indexedAt,
        ),
      });
    }
    await store.upsert(collection, points);
    if (start % 20000 === 0) log(`${start + points.length} points written`);
  }
  const tInsert = performance.now();
  await store.buildIndex(collection);
  const tBuilt = performance.now();
  log(
    `points in ${fmt((tInsert - tRows) / 1000, 1)} s, index built in ${fmt((tBuilt - tInsert) / 1000, 1)} s`,
  );

  // 2. Direct store queries, ANN and exact (the ground truth).
  const qr = prng(7);
  const anchors = Array.from({ length: Q }, () => Math.floor(qr.uniform() * N));
  const direct = async (exact) => {
    const lat = [];
    const results = [];
    for (const i of anchors) {
      const t = performance.now();
      const [point] = await store.retrieve(alias, [pointId(db.tenantId, itemId(i))], { withVectors: true });
      const hits = await store.search(alias, {
        vector: VISUAL,
        query: point.vectors[VISUAL],
        limit: K,
        filter: {
          must: [{ key: 'tenantId', match: db.tenantId }],
          mustNot: [{ key: 'itemId', match: itemId(i) }],
        },
        withPayload: true,
        exact,
      });
      lat.push(performance.now() - t);
      results.push(hits.map((h) => h.payload.itemId));
    }
    return { lat, results };
  };
  await direct(false); // warm
  const exact = await direct(true);
  const ann = await direct(false);
  await store.close();

  // 3. The same anchors through the GraphQL server (embedded store in its process).
  const app = await startApp('graphql', {
    DATABASE_URL: db.url,
    API_KEY_PEPPER: db.pepper,
    VECTOR_STORE_DIR: storeDir,
    CATALENS_COLLECTION: alias,
    VECTOR_STORE_HNSW_EF: values.ef,
  });
  const QUERY =
    'query($id: ID!) { similarItems(itemId: $id, first: 10) { score item { id title category } } }';
  const viaGraphql = async (query, pick) => {
    const lat = [];
    const results = [];
    for (const i of anchors) {
      const t = performance.now();
      const res = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables: { id: itemId(i) } }),
      });
      const body = await res.json();
      lat.push(performance.now() - t);
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      results.push(pick(body.data));
    }
    return { lat, results };
  };
  const similar = (query) => viaGraphql(query, (d) => d.similarItems.map((h) => h.item.id));
  const dbQueries = async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    return [...text.matchAll(/^catalens_db_queries_total\{[^}]*\} (\d+)/gm)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
  };
  await similar(QUERY); // warm
  const before = await dbQueries();
  const gql = await similar(QUERY);
  // The card path reads no rows (an API-key refresh at most): otherwise this row would time a join.
  const cardQueries = (await dbQueries()) - before;
  if (cardQueries >= Q / 10)
    throw new Error(
      `the card query read the database ${cardQueries} times in ${Q} requests: not the card path`,
    );
  // A field that is not on the card (status) makes the server join the rows from Postgres.
  const gqlRows = await similar(QUERY.replace('category }', 'category status }'));
  // The API's floor: the same request path (HTTP, Apollo, API key) reading one row, no search.
  const floor = await viaGraphql('query($id: ID!) { item(id: $id) { id title category } }', () => []);
  await app.stop();

  const recall = (got) => {
    let hit = 0;
    got.forEach((ids, q) => {
      const truth = new Set(exact.results[q]);
      hit += ids.filter((id) => truth.has(id)).length;
    });
    return hit / (got.length * K);
  };
  const row = (name, r) =>
    `| ${name} | ${fmt(pct(r.lat, 0.5))} | ${fmt(pct(r.lat, 0.99))} | ${fmt(recall(r.results), 3)} |`;
  console.log(`\nbench/graphql — ${new Date().toISOString().slice(0, 10)}, ${machine()}`);
  console.log(
    `${N} items, visual ${DV}-d + semantic ${DS}-d, ${Q} similarItems anchors, top ${K}, HNSW ef ${values.ef}\n`,
  );
  console.log('| path | p50 ms | p99 ms | recall@10 vs exact |');
  console.log('|---|---|---|---|');
  console.log(row('direct store: retrieve + exact search', exact));
  console.log(row('direct store: retrieve + ANN search', ann));
  console.log(row('GraphQL similarItems, card fields (HTTP, key, store)', gql));
  console.log(row('GraphQL similarItems + a row field (HTTP, key, store, Postgres join)', gqlRows));
  console.log(
    `| GraphQL item(id) (HTTP, key, one row: the API's floor) | ${fmt(pct(floor.lat, 0.5))} | ${fmt(pct(floor.lat, 0.99))} | — |`,
  );
  console.log(
    `\nGraphQL p99 / direct ANN p99 = ${fmt(pct(gql.lat, 0.99) / pct(ann.lat, 0.99))}; goal p99 < 20 ms: ${
      pct(gql.lat, 0.99) < 20 ? 'met' : 'not met'
    }; recall goal ≥ 0.95: ${recall(gql.results) >= 0.95 ? 'met' : 'not met'}`,
  );
} finally {
  await db.drop();
  rmSync(storeDir, { recursive: true, force: true });
}
