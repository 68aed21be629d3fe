// Child process for embedded-interrupted-build.test.ts: writes points, starts an index build,
// writes more points while it runs (each batch's ids printed only after upsert() resolved), and
// SIGKILLs itself with the build still in flight.
'use strict';
const { writeSync } = require('node:fs');
const { EmbeddedVectorStore } = require('../../dist');

const [directory, collection, before, during] = process.argv.slice(2);
const store = new EmbeddedVectorStore({ directory, indexAfterWrites: Number.MAX_SAFE_INTEGER });
const id = (i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const point = (i) => ({
  id: id(i),
  vectors: { v: Array.from({ length: 16 }, (_, d) => Math.sin((i + 1) * (d + 1))) },
  payload: { tenantId: i % 2 ? 'a' : 'b', i },
});
const write = async (from, to) => {
  for (let i = from; i < to; i += 100) {
    const points = Array.from({ length: Math.min(100, to - i) }, (_, k) => point(i + k));
    await store.upsert(collection, points);
    writeSync(1, points.map((p) => p.id).join('\n') + '\n');
  }
};

async function main() {
  await store.ensureCollection(collection, {
    vectors: { v: { size: 16 } },
    payloadIndexes: { tenantId: 'keyword' },
  });
  await write(0, Number(before));
  const build = store.buildIndex(collection); // copies the collection, then zvec's optimize() runs
  build.catch(() => undefined);
  await write(Number(before), Number(before) + Number(during));
  process.kill(process.pid, 'SIGKILL');
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
