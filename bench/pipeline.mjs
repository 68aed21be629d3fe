#!/usr/bin/env node
// bench/pipeline: the embedder end to end next to its raw model, measured side by side in one run.
//   1. throughput: N items waiting on Kafka (rows recorded as ingest would), the embedder app as its
//      own process indexes them (decode → model → semantic head → tags → store upsert → rows);
//      images/s from the database's indexed_at times, next to the worker-pool encoder alone on the
//      same images, backend, worker count and batch size. Goal: ratio ≥ 0.90.
//   2. latency: the ingest and embedder apps as processes, items POSTed one by one at a steady
//      offered load; ingest→indexed = indexed_at − created_at per item, p50/p95. Loads: 50 items/s
//      (the goal's load) and one the machine can sustain (70 % of the throughput measured in 1).
//
//   npm run build && node bench/pipeline.mjs [--items 400] [--workers 2] [--batch 8] [--seconds 20]
//       [--engines onnx,tfjs-wasm] [--loads 50] [--no-latency]
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { benchDatabase, loadPhotos, machine, repo, servicesUp, startApp } from './support/bench-env.mjs';

const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '400' },
    workers: { type: 'string', default: '2' },
    batch: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '20' },
    loads: { type: 'string', default: '50' },
    latency: { type: 'boolean', default: true },
    'no-latency': { type: 'boolean', default: false },
    engines: { type: 'string', default: 'onnx,tfjs-wasm' },
  },
});
const N = Number(values.items);
const WORKERS = Number(values.workers);
const BATCH = Number(values.batch);
const SECONDS = Number(values.seconds);
// Throughput per engine, side by side; the latency part runs on the first.
const ENGINES = values.engines.split(',');

servicesUp();
const { Kafka, logLevel } = require('kafkajs');
const { normalizeImage } = require(join(repo, 'libs/imaging/dist'));
const { encodeItemEnvelope, itemKey } = require(join(repo, 'libs/contracts/dist'));
const { ItemRepository } = require(join(repo, 'libs/db/dist'));
const { WorkerPoolImageEncoder } = require(join(repo, 'libs/vision/dist'));

const { photos, source } = await loadPhotos(N + 1500);
console.log(`# bench/pipeline ${new Date().toISOString().slice(0, 10)} · ${machine()} · ${source}`);
console.log(`# embedder: ${WORKERS} encoder workers, model batch ${BATCH}\n`);

const kafka = new Kafka({ brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING });
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function indexedStats(db) {
  const { Client } = require('pg');
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  try {
    const { rows } = await pg.query(
      `SELECT count(*)::int AS n, min(indexed_at) AS first, max(indexed_at) AS last,
              count(*) FILTER (WHERE indexed_at = (SELECT min(indexed_at) FROM items))::int AS in_first
         FROM items WHERE status = 'indexed'`,
    );
    const latencies = await pg.query(
      `SELECT extract(epoch FROM indexed_at - created_at) AS s FROM items WHERE status = 'indexed' ORDER BY 1`,
    );
    return { ...rows[0], latencies: latencies.rows.map((r) => Number(r.s)) };
  } finally {
    await pg.end();
  }
}

async function waitIndexed(db, count, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await indexedStats(db);
    if (stats.n >= count) return stats;
    if (Date.now() > deadline) throw new Error(`only ${stats.n} of ${count} indexed in time`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function embedderEnv(db, topic, storeDir, engine = ENGINES[0]) {
  return {
    EMBEDDER_ENGINE: engine,
    DATABASE_URL: db.url,
    KAFKA_BROKERS: '127.0.0.1:9092',
    CATALENS_TOPIC_ITEMS: topic,
    CATALENS_TOPIC_ITEMS_DLQ: `${topic}.dlq`,
    KAFKA_GROUP_ID: `bench-${randomBytes(3).toString('hex')}`,
    VECTOR_STORE_DIR: storeDir,
    EMBEDDER_WORKERS: String(WORKERS),
    EMBEDDER_BATCH_MAX: String(BATCH),
  };
}

// ── 1. throughput: a backlog of N records ──
const admin = kafka.admin();
await admin.connect();
async function throughput(engine) {
  const db = await benchDatabase();
  const topic = `bench.pipeline.${randomBytes(3).toString('hex')}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: 12 }], waitForLeaders: true });
  const items = new ItemRepository(db.prisma);
  const normalized = [];
  const records = [];
  for (let i = 0; i < N; i++) {
    const image = await normalizeImage(photos[i]);
    normalized.push(image.bytes);
    const row = await items.saveReceived(
      db.tenantId,
      { externalId: `b-${i}`, title: `Bench item ${i}` },
      { ...image, perceptualHash: 0n },
      null,
    );
    records.push({
      key: itemKey(db.tenantId, row.id),
      value: encodeItemEnvelope({
        schema: 'catalens.item.v1',
        tenantId: db.tenantId,
        itemId: row.id,
        externalId: row.externalId,
        contentHash: image.contentHash,
        image: {
          mime: image.mime,
          width: image.width,
          height: image.height,
          size: image.bytes.length,
          bytes: image.bytes.toString('base64'),
        },
        metadata: { title: row.title },
        producedAt: new Date().toISOString(),
      }),
    });
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < records.length; i += 100) {
    await producer.send({ topic, acks: -1, messages: records.slice(i, i + 100) });
  }
  await producer.disconnect();

  const storeDir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  const embedder = await startApp('embedder', embedderEnv(db, topic, storeDir, engine));
  const backlog = await waitIndexed(db, N, 1_800_000);
  const metrics = await (await fetch(`${embedder.url}/metrics`)).text();
  await embedder.stop();
  const metric = (name) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(metrics)?.[1] ?? NaN);
  const pipelineSeconds = (new Date(backlog.last) - new Date(backlog.first)) / 1000;
  const pipelineRate = (N - backlog.in_first) / pipelineSeconds;
  rmSync(storeDir, { recursive: true, force: true });
  await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
  await db.drop();

  // The raw model: the same pool the embedder uses, same images, workers and batch, every batch
  // in flight at once (its best case), no Kafka, store or database.
  const pool = await WorkerPoolImageEncoder.create({ engine, workers: WORKERS, chunk: BATCH });
  await pool.encodeWithProbabilities(normalized.slice(0, BATCH * WORKERS));
  const t0 = performance.now();
  const inFlight = [];
  for (let i = 0; i < N; i += BATCH)
    inFlight.push(pool.encodeWithProbabilities(normalized.slice(i, i + BATCH)));
  await Promise.all(inFlight);
  const rawRate = N / ((performance.now() - t0) / 1000);
  const backend = pool.backend;
  await pool.close();

  console.log('| measure | images/s |');
  console.log('|---|---|');
  console.log(`| raw model (worker pool, ${engine}: ${backend}, decode + infer) | ${rawRate.toFixed(1)} |`);
  console.log(`| embedder end to end (Kafka → store + rows), ${engine} | ${pipelineRate.toFixed(1)} |`);
  console.log(`| **ratio** (goal ≥ 0.90) | **${(pipelineRate / rawRate).toFixed(2)}** |\n`);
  const batches = metric('catalens_embedder_batch_size_count');
  console.log(
    `embedder time (summed over workers/batches): decode ${metric('catalens_embedder_preprocess_seconds_sum').toFixed(1)} s, ` +
      `model ${metric('catalens_embedder_infer_seconds_sum').toFixed(1)} s, upsert ${metric('catalens_embedder_upsert_seconds_sum').toFixed(1)} s ` +
      `over ${pipelineSeconds.toFixed(1)} s wall; ${batches} model batches of ${(metric('catalens_embedder_batch_size_sum') / batches).toFixed(1)} images, ` +
      `oldest image waited ${((metric('catalens_embedder_queue_wait_seconds_sum') / batches) * 1000).toFixed(0)} ms on average\n`,
  );
  return pipelineRate;
}
const endToEnd = {};
for (const engine of ENGINES) endToEnd[engine] = await throughput(engine);
if (endToEnd.onnx && endToEnd['tfjs-wasm'])
  console.log(
    `**onnx ÷ tfjs-wasm, embedder end to end: ×${(endToEnd.onnx / endToEnd['tfjs-wasm']).toFixed(2)}** (goal ≥ 5)\n`,
  );
const pipelineRate = endToEnd[ENGINES[0]];

// ── 2. latency at steady offered loads ──
if (values['no-latency']) {
  await admin.disconnect();
  process.exit(0);
}
const loads = [...values.loads.split(',').map(Number), Math.max(1, Math.round(pipelineRate * 0.7))];
let used = N;
console.log(
  '| offered load (items/s) | items | achieved offer (items/s) | ingest→indexed p50 (s) | p95 (s) | max (s) |',
);
console.log('|---|---|---|---|---|---|');
for (const load of loads) {
  const ldb = await benchDatabase();
  const ltopic = `bench.latency.${randomBytes(3).toString('hex')}`;
  const lstore = mkdtempSync(join(tmpdir(), 'bench-store-'));
  const env = embedderEnv(ldb, ltopic, lstore);
  const ingest = await startApp('ingest', {
    DATABASE_URL: ldb.url,
    KAFKA_BROKERS: '127.0.0.1:9092',
    API_KEY_PEPPER: ldb.pepper,
    CATALENS_TOPIC_ITEMS: ltopic,
    CATALENS_TOPIC_ITEMS_DLQ: `${ltopic}.dlq`,
  });
  const emb = await startApp('embedder', env);
  for (let i = 0; i < 100 && !(await fetch(`${emb.url}/readyz`)).ok; i++)
    await new Promise((r) => setTimeout(r, 200));
  const count = Math.round(load * SECONDS);
  const sent = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / load;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const photo = photos[(used + i) % photos.length];
    sent.push(
      fetch(`${ingest.url}/v1/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ldb.key}` },
        body: JSON.stringify({
          externalId: `l-${randomUUID()}`,
          title: 'Latency item',
          imageBase64: photo.toString('base64'),
        }),
      }).then((r) => r.status),
    );
  }
  const statuses = await Promise.all(sent);
  const offered = count / ((performance.now() - start) / 1000);
  used += count;
  const accepted = statuses.filter((s) => s === 202).length;
  const stats = await waitIndexed(ldb, accepted, 1_800_000);
  await emb.stop();
  await ingest.stop();
  rmSync(lstore, { recursive: true, force: true });
  await ldb.drop();
  const l = stats.latencies;
  console.log(
    `| ${load} | ${accepted}${accepted < count ? ` (${count - accepted} refused)` : ''} | ${offered.toFixed(1)} | ${percentile(l, 50).toFixed(2)} | ${percentile(l, 95).toFixed(2)} | ${l[l.length - 1].toFixed(2)} |`,
  );
}
await admin.disconnect();
