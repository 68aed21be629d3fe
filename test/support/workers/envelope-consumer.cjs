// A consumer process for the at-least-once test: it reads item envelopes with a consumer group and
// appends each processed item id to a file (one write per batch) before the offsets are committed.
// The test SIGKILLs it mid-stream; records processed but not committed are redelivered.
// Runs on the built libraries (npm test builds first).
const { appendFileSync } = require('node:fs');
const { KafkaBus } = require('@catalens/bus');
const { decodeItemEnvelope } = require('@catalens/contracts');

const [brokers, topic, groupId, outFile, batchDelayMs] = process.argv.slice(2);
const bus = new KafkaBus({ clientId: 'test-envelope-consumer', brokers: brokers.split(',') });

bus
  .subscribe({
    groupId,
    topics: [topic],
    fromBeginning: true,
    maxBytesPerPartition: 32 * 1024,
    handleBatch: async (batch) => {
      const ids = batch.records.map((r) => decodeItemEnvelope(r.value).itemId);
      appendFileSync(outFile, ids.join('\n') + '\n');
      await new Promise((r) => setTimeout(r, Number(batchDelayMs)));
    },
  })
  .then(() => process.stdout.write('subscribed\n'))
  .catch((error) => {
    process.stderr.write(`consumer failed: ${error.stack}\n`);
    process.exit(1);
  });
process.on('SIGTERM', () => void bus.close().finally(() => process.exit(0)));
