// Child process for the crash test: upserts small batches into an embedded store forever and
// prints each batch's ids only after upsert() resolved. The parent SIGKILLs it at a random moment.
'use strict';
const { randomUUID } = require('node:crypto');
const { writeSync } = require('node:fs');
const { setImmediate } = require('node:timers');
const { EmbeddedVectorStore } = require('../../dist');

const [directory, collection] = process.argv.slice(2);
const store = new EmbeddedVectorStore({
  directory,
  indexAfterWrites: Number(process.env.INDEX_AFTER_WRITES ?? 500),
});
const vector = (n) => Array.from({ length: n }, () => Math.random() * 2 - 1);

async function main() {
  await store.ensureCollection(collection, {
    vectors: { visual: { size: 32 }, semantic: { size: 8 } },
    payloadIndexes: { tenantId: 'keyword' },
  });
  for (;;) {
    const points = Array.from({ length: 5 }, () => ({
      id: randomUUID(),
      vectors: { visual: vector(32), semantic: vector(8) },
      payload: { tenantId: 't1', at: Date.now() },
    }));
    await store.upsert(collection, points);
    writeSync(1, points.map((p) => p.id).join('\n') + '\n');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
