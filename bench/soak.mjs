#!/usr/bin/env node
// Soak: mixed traffic against `npm start`'s one process for a long time, watching its memory.
//   npm run bench:soak -- [--minutes 30] [--window 20] [--workers 3] [--bad-share 0.1]
// Traffic: ingest of real photos (re-ingesting a fixed pool of externalIds with other photos, so
// the catalog's size stays bounded and growth means a leak, not data), similar / semantic / hybrid
// searches, item pages, tag feedback, and a share of bad inputs of every class. RSS (from /proc)
// and the V8 heap (the app's own /metrics) are sampled every 10 s.
// Prints: the RSS slope over the last 20 minutes (least squares, MB/min), and the peak RSS after
// warm-up over the RSS at the end of warm-up. Goals (issue 22): slope < 1 MB/min, peak < 1.5×.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { clearInterval, setInterval } from 'node:timers';
import { join } from 'node:path';
import { loadPhotos, machine, repo } from './support/bench-env.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const minutes = arg('minutes', 30);
const workers = arg('workers', 3);
const badShare = arg('bad-share', 0.1);
const windowMinutes = Math.min(arg('window', 20), (minutes * 2) / 3);
const warmupMinutes = minutes - windowMinutes;
const SAMPLE_MS = 10_000;
const POOL = 400;

const dataDir = mkdtempSync(join(tmpdir(), 'catalens-soak-'));
let output = '';
const child = spawn(process.execPath, [join(repo, 'apps/standalone/dist/main.js')], {
  env: {
    PATH: process.env.PATH,
    CATALENS_DATA_DIR: dataDir,
    CATALENS_GRAPHQL_PORT: '0',
    CATALENS_INGEST_PORT: '0',
    CATALENS_EMBEDDER_PORT: '0',
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
child.stdout.on('data', (c) => (output = (output + c).slice(-200_000)));
child.stderr.on('data', (c) => (output = (output + c).slice(-200_000)));
process.on('exit', () => child.kill('SIGKILL'));

const started = Date.now();
while (!output.includes('catalens is ready.')) {
  if (child.exitCode !== null) throw new Error(`npm start's process exited:\n${output}`);
  if (Date.now() - started > 600_000) throw new Error('npm start was not ready in 10 minutes');
  await new Promise((r) => setTimeout(r, 500));
}
const url = (name) => new RegExp(`${name}\\s+(http://\\S+?)/`).exec(output)[1];
const graphqlUrl = url('graphql');
const ingestUrl = url('ingest');
const key = JSON.parse(readFileSync(join(dataDir, 'demo-api-keys.json'), 'utf8')).admin;
console.log(`soak: ${minutes} min, ${workers} workers, bad share ${badShare}; ${machine()}`);
console.log(
  `npm start ready in ${((Date.now() - started) / 1000).toFixed(0)} s (${graphqlUrl}, ${ingestUrl})`,
);

const { photos, source } = await loadPhotos(600);
console.log(`photos: ${source}`);

const counts = {};
const serverErrors = [];
const count = (kind, status) => {
  counts[kind] ??= { n: 0, statuses: {} };
  counts[kind].n++;
  counts[kind].statuses[status] = (counts[kind].statuses[status] ?? 0) + 1;
  if (status >= 500 && serverErrors.length < 20) serverErrors.push(`${kind} ${status}`);
};

async function gql(query, variables) {
  const res = await fetch(`${graphqlUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json().catch(() => ({}));
  return { status: res.status, body };
}

let itemIds = [];
async function refreshIds() {
  const { body } = await gql('{ items(first: 100) { edges { node { id tags { word } } } } }');
  const nodes = body.data?.items.edges.map((e) => e.node) ?? [];
  if (nodes.length) itemIds = nodes;
}
await refreshIds();

const WORDS = [
  'dress',
  'red dress',
  'sneakers',
  'shoes',
  'hat',
  'blue shirt',
  'jacket',
  'bag',
  'summer',
  'kitchen',
];
const pick = (list) => list[Math.floor(Math.random() * list.length)];
let ingested = 0;

const BAD = [
  () => post(ingestUrl, '/v1/items', 'application/json', '{"externalId": '),
  () =>
    postJson(ingestUrl, '/v1/items', {
      externalId: 'bad',
      title: 'x',
      imageUrl: 'http://[::127.0.0.1]/a.jpg',
    }),
  () => postJson(ingestUrl, '/v1/items', { externalId: 'bad', title: 'a\u0000b', imageBase64: 'AAAA' }),
  () =>
    postJson(ingestUrl, '/v1/items', {
      externalId: 'bad',
      title: 'x',
      imageBase64: photos[0].subarray(0, 900).toString('base64'),
    }),
  () => post(graphqlUrl, '/graphql', 'application/json', JSON.stringify({ query: '{ items(first: 1) {' })),
  () =>
    post(
      graphqlUrl,
      '/graphql',
      'application/json',
      JSON.stringify({ query: `{ ${'__typename '.repeat(2500)}}` }),
    ),
  () =>
    post(
      graphqlUrl,
      '/graphql',
      'application/json',
      JSON.stringify({ query: '{ __typename }', pad: 'x'.repeat(1_100_000) }),
    ),
];
async function post(base, path, contentType, body) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-api-key': key },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}
const postJson = (base, path, body) => post(base, path, 'application/json', JSON.stringify(body));

const OPERATIONS = [
  [
    0.2,
    'ingest',
    async () => {
      const n = ingested++;
      return postJson(ingestUrl, '/v1/items', {
        externalId: `soak-${n % POOL}`,
        title: `Soak item ${n % POOL}`,
        category: pick(['dress', 'shoes', 'hat', 'shirt']),
        imageBase64: photos[n % photos.length].toString('base64'),
      });
    },
  ],
  [
    0.25,
    'similar',
    async () =>
      (
        await gql(
          'query($id: ID!) { similarItems(itemId: $id, first: 10) { score item { id title url } } }',
          { id: pick(itemIds).id },
        )
      ).status,
  ],
  [
    0.15,
    'semantic',
    async () =>
      (
        await gql('query($t: String!) { searchImages(text: $t, first: 10) { hits { score item { id } } } }', {
          t: pick(WORDS),
        })
      ).status,
  ],
  [
    0.1,
    'hybrid',
    async () =>
      (
        await gql(
          'query($t: String!) { searchImages(text: $t, mode: HYBRID, first: 10) { hits { score item { id title } } } }',
          { t: pick(WORDS) },
        )
      ).status,
  ],
  [
    0.1,
    'items page',
    async () =>
      (await gql('{ items(first: 20) { totalCount edges { node { id tags { word score state } } } } }'))
        .status,
  ],
  [
    0.1,
    'feedback',
    async () => {
      const item = pick(itemIds);
      const word = item.tags?.[0]?.word ?? 'dress';
      const mutation = Math.random() < 0.5 ? 'acceptTags' : 'rejectTags';
      return (
        await gql(
          `mutation($ids: [ID!]!, $w: [String!]!) { ${mutation}(itemIds: $ids, words: $w) { changed } }`,
          { ids: [item.id], w: [word] },
        )
      ).status;
    },
  ],
];
const total = OPERATIONS.reduce((s, [w]) => s + w, 0);

let running = true;
async function worker() {
  while (running) {
    try {
      if (Math.random() < badShare) {
        count('bad input', await pick(BAD)());
        continue;
      }
      let r = Math.random() * total;
      const [, kind, run] = OPERATIONS.find(([w]) => (r -= w) < 0) ?? OPERATIONS[0];
      count(kind, await run());
    } catch (error) {
      count('transport error', 599);
      if (serverErrors.length < 20) serverErrors.push(String(error).slice(0, 160));
    }
  }
}

const rssMb = () =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
/** The V8 heap in use and the memory V8 knows is held outside it (Buffers, native objects). */
async function heapMb() {
  const text = await (await fetch(`${graphqlUrl}/metrics`)).text();
  const metric = (name) => {
    // Lines carry labels (`name{app="graphql"} value`) or none (`name value`).
    const line = text.split('\n').find((l) => new RegExp(`^catalens_nodejs_${name}[{ ]`).test(l));
    return line ? Number(line.split(' ').at(-1)) / 2 ** 20 : NaN;
  };
  return { heap: metric('heap_size_used_bytes'), external: metric('external_memory_bytes') };
}

const samples = [];
const t0 = Date.now();
const pool = Array.from({ length: workers }, worker);
const refresher = setInterval(() => refreshIds().catch(() => undefined), 30_000);
console.log('  min    RSS MB   heap MB  extern MB   ops');
while (Date.now() - t0 < minutes * 60_000) {
  await new Promise((r) => setTimeout(r, SAMPLE_MS));
  const ops = Object.values(counts).reduce((s, c) => s + c.n, 0);
  const memory = await heapMb().catch(() => ({ heap: NaN, external: NaN }));
  const sample = { min: (Date.now() - t0) / 60_000, rss: rssMb(), ...memory, ops };
  samples.push(sample);
  console.log(
    `${sample.min.toFixed(2).padStart(6)} ${sample.rss.toFixed(0).padStart(8)} ${sample.heap.toFixed(0).padStart(9)} ${sample.external.toFixed(0).padStart(10)} ${String(ops).padStart(6)}`,
  );
}
running = false;
clearInterval(refresher);
await Promise.all(pool);

/** Least-squares slope of y over x. */
const slope = (points, y) => {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.min, 0) / n;
  const my = points.reduce((s, p) => s + p[y], 0) / n;
  const num = points.reduce((s, p) => s + (p.min - mx) * (p[y] - my), 0);
  const den = points.reduce((s, p) => s + (p.min - mx) ** 2, 0);
  return num / den;
};
const window = samples.filter((s) => s.min >= warmupMinutes);
const warmSamples = samples.filter((s) => s.min >= warmupMinutes - 1 && s.min <= warmupMinutes);
const warm = warmSamples.length ? Math.max(...warmSamples.map((s) => s.rss)) : window[0].rss;
const peak = Math.max(...window.map((s) => s.rss));
const result = {
  date: new Date().toISOString(),
  machine: machine(),
  minutes,
  workers,
  badShare,
  operations: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v])),
  serverErrors,
  rssStartMb: samples[0].rss,
  rssWarmMb: warm,
  rssPeakAfterWarmupMb: peak,
  peakOverWarm: peak / warm,
  rssSlopeMbPerMin: slope(window, 'rss'),
  heapSlopeMbPerMin: slope(
    window.filter((s) => Number.isFinite(s.heap)),
    'heap',
  ),
  externalSlopeMbPerMin: slope(
    window.filter((s) => Number.isFinite(s.external)),
    'external',
  ),
  windowMinutes,
};
console.log(JSON.stringify(result, null, 2));
console.log(
  `RSS slope over the last ${windowMinutes} min: ${result.rssSlopeMbPerMin.toFixed(2)} MB/min (goal < 1); ` +
    `peak after warm-up ${peak.toFixed(0)} MB / warm ${warm.toFixed(0)} MB = ${result.peakOverWarm.toFixed(2)}× (goal < 1.5×); ` +
    `V8 heap slope ${result.heapSlopeMbPerMin.toFixed(2)} MB/min, external ${result.externalSlopeMbPerMin.toFixed(2)} MB/min; 5xx: ${serverErrors.length}`,
);
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
rmSync(dataDir, { recursive: true, force: true });
