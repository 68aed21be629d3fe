import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BusUnavailableError, KafkaBus } from '@catalens/bus';
import { encodeItemEnvelope } from '@catalens/contracts';
import { makeItemEnvelope } from '../fixtures/envelopes';
import { REPO_ROOT, kafkaBrokers, privateBroker, uniqueName, waitFor } from '../support/services';

jest.setTimeout(240_000);

const readIds = (file: string): string[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => /^[0-9a-f-]{36}$/.test(l))
    : [];

function startConsumer(topic: string, group: string, outFile: string): ChildProcess {
  const worker = resolve(REPO_ROOT, 'test/support/workers/envelope-consumer.cjs');
  const child = spawn(process.execPath, [worker, kafkaBrokers().join(','), topic, group, outFile, '15'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return child;
}

describe('KafkaBus against a real broker', () => {
  it('delivers every one of 10,000 envelopes across a consumer SIGKILL (at-least-once)', async () => {
    const bus = new KafkaBus({ clientId: 'test-producer', brokers: kafkaBrokers() });
    const topic = uniqueName('test.items');
    const group = uniqueName('test-group');
    const outFile = join(await mkdtemp(join(tmpdir(), 'catalens-bus-')), 'processed.txt');
    try {
      await bus.ensureTopics([{ topic, partitions: 6 }]);
      const tenantId = '00000000-0000-4000-8000-000000000001';
      const envelopes = Array.from({ length: 10_000 }, () => makeItemEnvelope({ tenantId }));
      for (let i = 0; i < envelopes.length; i += 500) {
        const chunk = envelopes.slice(i, i + 500);
        const acks = await bus.publish(
          topic,
          chunk.map((e) => ({ key: `${e.tenantId}/${e.itemId}`, value: encodeItemEnvelope(e) })),
        );
        expect(acks.length).toBeGreaterThan(0);
      }
      const expected = new Set(envelopes.map((e) => e.itemId));

      const first = startConsumer(topic, group, outFile);
      await waitFor(
        'half of the records to be processed',
        async () => (readIds(outFile).length >= 5_000 ? true : undefined),
        120_000,
      );
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      const beforeRestart = readIds(outFile).length;

      const second = startConsumer(topic, group, outFile);
      try {
        await waitFor(
          'every record to be processed after the restart',
          async () => (new Set(readIds(outFile)).size >= expected.size ? true : undefined),
          180_000,
        );
      } finally {
        second.kill('SIGTERM');
        await new Promise((r) => second.once('exit', r));
      }

      const processed = readIds(outFile);
      const unique = new Set(processed);
      const duplicates = processed.length - unique.size;
      console.log(
        `at-least-once: ${expected.size} produced, ${beforeRestart} processed before SIGKILL, ` +
          `${unique.size} unique processed in total, ${duplicates} redelivered duplicates`,
      );
      expect(unique.size).toBe(expected.size);
      expect([...unique].every((id) => expected.has(id))).toBe(true);
      expect(beforeRestart).toBeLessThan(expected.size);
    } finally {
      await bus.close();
    }
  });

  describe('when the broker goes away and comes back', () => {
    const port = 19092;
    const brokers = [`127.0.0.1:${port}`];
    beforeAll(async () => {
      await privateBroker(port, 'wipe');
      await privateBroker(port, 'up');
    });
    afterAll(async () => {
      await privateBroker(port, 'down');
    });

    it('fails a publish within a bounded time with a typed error, then publishes again without a restart', async () => {
      const bus = new KafkaBus({
        clientId: 'test-outage',
        brokers,
        publishTimeoutMs: 4_000,
        connectionTimeoutMs: 1_000,
      });
      const topic = uniqueName('test.outage');
      const record = () => {
        const e = makeItemEnvelope();
        return { key: `${e.tenantId}/${e.itemId}`, value: encodeItemEnvelope(e) };
      };
      try {
        await bus.ensureTopics([{ topic, partitions: 1 }]);
        await expect(bus.publish(topic, [record()])).resolves.toHaveLength(1);
        await expect(bus.checkHealth()).resolves.toBeUndefined();

        await privateBroker(port, 'down');
        const started = Date.now();
        await expect(bus.publish(topic, [record()])).rejects.toBeInstanceOf(BusUnavailableError);
        const elapsed = Date.now() - started;
        console.log(`publish with the broker down failed after ${elapsed} ms (timeout 4000 ms)`);
        expect(elapsed).toBeLessThan(4_000 + 2_000);
        await expect(bus.checkHealth()).rejects.toBeInstanceOf(BusUnavailableError);

        await privateBroker(port, 'up');
        const acks = await waitFor(
          'a publish to succeed after the broker restarted',
          async () => bus.publish(topic, [record()]),
          60_000,
          500,
        );
        expect(acks).toHaveLength(1);
        await expect(bus.checkHealth()).resolves.toBeUndefined();
      } finally {
        await bus.close();
      }
    });
  });
});
