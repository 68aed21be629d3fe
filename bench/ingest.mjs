#!/usr/bin/env node
// bench/ingest: accepted items/s of the ingest service next to a raw kafkajs producer sending the
// same items (the envelopes the service would produce), measured side by side in one run.
//
//   npm run build && node bench/ingest.mjs [--items 1000] [--batch 50] [--concurrency 2]
//
// Needs the local services (it starts them via scripts/) and uses real catalog photos from
// ../shared/datasets/clothing when present (generated images otherwise, said in the output).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchDatabase, loadPhotos, repo, servicesUp, startApp } from './support/bench-env.mjs';

const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '1000' },
    batch: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '2' },
  },
});
const N = Number(values.items);
const BATCH = Number(values.batch);
const CONCURRENCY = Number(values.concurrency);

servicesUp();
const { Kafka, logLevel } = require('kafkajs');
const { normalizeImage } = require(join(repo, 'libs/imaging/dist'));
const { encodeItemEnvelope, itemKey } = require(join(repo, 'libs/contracts/dist'));

// ── payloads, database, tenant ──
const { photos, source } = await loadPhotos(N);
console.log(`payloads: ${source}`);
const db = await benchDatabase();
const { url: dbUrl, pepper, key } = db;
const tenant = { id: db.tenantId };
const suffix = randomBytes(3).toString('hex');
const topic = `bench.items.${suffix}`;
const kafka = new Kafka({ brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING });
const kadmin = kafka.admin();
await kadmin.connect();
await kadmin.createTopics({
  topics: [
    { topic, numPartitions: 12 },
    { topic: `${topic}.raw`, numPartitions: 12 },
  ],
  waitForLeaders: true,
});

// ── raw producer: the envelopes the service would produce, same batch size ──
const envelopes = [];
for (let i = 0; i < N; i++) {
  const image = await normalizeImage(photos[i]);
  const itemId = randomUUID();
  envelopes.push({
    key: itemKey(tenant.id, itemId),
    value: encodeItemEnvelope({
      schema: 'catalens.item.v1',
      tenantId: tenant.id,
      itemId,
      externalId: `raw-${i}`,
      contentHash: image.contentHash,
      perceptualHash: image.perceptualHash,
      image: {
        mime: image.mime,
        width: image.width,
        height: image.height,
        size: image.bytes.length,
        bytes: image.bytes.toString('base64'),
      },
      metadata: { title: `Bench item ${i}` },
      producedAt: new Date().toISOString(),
    }),
  });
}
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();
const runBatches = async (count, send) => {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const start = next;
      next += BATCH;
      await send(start, Math.min(start + BATCH, count));
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return (performance.now() - t0) / 1000;
};
const rawSeconds = await runBatches(N, (a, b) =>
  producer.send({ topic: `${topic}.raw`, acks: -1, messages: envelopes.slice(a, b) }),
);
await producer.disconnect();

// ── image normalization alone, in this process, as parallel as the service runs it ──
// (CONCURRENCY requests × 4 items each): the ceiling any ingest path can reach on this CPU.
let nextImage = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY * 4 }, async () => {
    while (nextImage < N) await normalizeImage(photos[nextImage++]);
  }),
);
const normalizeSeconds = (performance.now() - t0) / 1000;

// ── the ingest service, as its own process ──
const app = await startApp('ingest', {
  DATABASE_URL: dbUrl,
  API_KEY_PEPPER: pepper,
  KAFKA_BROKERS: '127.0.0.1:9092',
  CATALENS_TOPIC_ITEMS: topic,
  CATALENS_TOPIC_ITEMS_DLQ: `${topic}.dlq`,
});
const base = app.url;
const bodies = photos.map((p, i) => ({
  externalId: `svc-${i}`,
  title: `Bench item ${i}`,
  imageBase64: p.toString('base64'),
}));
let accepted = 0;
const serviceSeconds = await runBatches(N, async (a, b) => {
  const res = await fetch(`${base}/v1/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(bodies.slice(a, b)),
  });
  accepted += (await res.json()).accepted ?? 0;
});
const metrics = await (await fetch(`${base}/metrics`)).text();
const sum = (name) => Number(new RegExp(`${name}_sum\\{[^}]*\\} ([0-9.e+-]+)`).exec(metrics)?.[1] ?? NaN);
await app.stop();
await kadmin.deleteTopics({ topics: [topic, `${topic}.raw`, `${topic}.dlq`] }).catch(() => undefined);
await kadmin.disconnect();
await db.drop();

const rawRate = N / rawSeconds;
const serviceRate = accepted / serviceSeconds;
const normalizeRate = N / normalizeSeconds;
const result = {
  bench: 'ingest',
  date: new Date().toISOString(),
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  items: N,
  batch: BATCH,
  concurrency: CONCURRENCY,
  accepted,
  rawItemsPerSec: +rawRate.toFixed(1),
  serviceItemsPerSec: +serviceRate.toFixed(1),
  ratio: +(serviceRate / rawRate).toFixed(3),
  normalizeOnlyItemsPerSec: +normalizeRate.toFixed(1),
  serviceVsNormalizeOnly: +(serviceRate / normalizeRate).toFixed(3),
  serviceSecondsIn: {
    normalize: +sum('catalens_ingest_normalize_seconds').toFixed(2),
    produce: +sum('catalens_ingest_produce_seconds').toFixed(2),
    wall: +serviceSeconds.toFixed(2),
  },
  payloadSha: createHash('sha256')
    .update(Buffer.concat(photos.slice(0, 10)))
    .digest('hex')
    .slice(0, 12),
};
console.log(`\nraw kafkajs producer : ${result.rawItemsPerSec} items/s`);
console.log(`ingest service       : ${result.serviceItemsPerSec} items/s (${accepted}/${N} accepted)`);
console.log(`ratio service / raw  : ${result.ratio}  (goal ≥ 0.8)`);
console.log(
  `normalization alone  : ${result.normalizeOnlyItemsPerSec} items/s  → service / normalization-only ceiling: ${result.serviceVsNormalizeOnly}`,
);
console.log(
  `service time in normalize ${result.serviceSecondsIn.normalize} s, produce ${result.serviceSecondsIn.produce} s, wall ${result.serviceSecondsIn.wall} s`,
);
console.log(JSON.stringify(result));
