import { Pool } from 'pg';
import { BusRecordRejectedError, type ConsumedRecord, EmbeddedBus, type Subscription } from '@catalens/bus';
import { embeddedDatabase, freshDatabase, type TestDatabase } from '../../../test/support/databases';
import { waitFor } from '../../../test/support/services';

// Opening PGlite (a WebAssembly Postgres) takes seconds, more under a loaded CI machine.
jest.setTimeout(120_000);

const TOPIC = 'items.test';
const record = (key: string, n: number) => ({
  key,
  value: Buffer.from(JSON.stringify({ key, n })),
  headers: { n: String(n) },
});
const decoded = (r: ConsumedRecord) => JSON.parse(r.value?.toString() ?? '{}') as { key: string; n: number };

/**
 * The same behaviour on the embedded PGlite server (what `npm start` runs) and on a real
 * PostgreSQL (the queue is plain SQL).
 */
describe.each([
  ['PGlite (embedded)', () => embeddedDatabase()],
  ['PostgreSQL', () => freshDatabase('bus')],
])('EmbeddedBus on %s', (_name, open: () => Promise<TestDatabase>) => {
  let db: TestDatabase;
  let pool: Pool;
  let bus: EmbeddedBus;
  const subscriptions: Subscription[] = [];

  beforeAll(async () => {
    db = await open();
    pool = new Pool({ connectionString: db.url, max: 1 });
  });
  beforeEach(async () => {
    await pool.query('DROP SCHEMA IF EXISTS catalens_bus CASCADE');
    bus = new EmbeddedBus({ sql: pool, pollIntervalMs: 50 });
    await bus.ensureTopics([{ topic: TOPIC, partitions: 3, configs: { 'max.message.bytes': '2048' } }]);
  });
  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
    await bus.close();
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('acknowledges a publish once stored, and delivers every record once per group, in key order', async () => {
    const acks = await bus.publish(
      TOPIC,
      Array.from({ length: 60 }, (_, i) => record(`k${i % 6}`, i)),
    );
    expect(acks).toHaveLength(60);
    expect(new Set(acks.map((a) => a.partition)).size).toBeGreaterThan(1);
    const seen: { key: string; n: number; partition: number }[] = [];
    subscriptions.push(
      await bus.subscribe({
        groupId: 'g1',
        topics: [TOPIC],
        fromBeginning: true,
        partitionsConcurrently: 3,
        handleBatch: async (batch) => {
          for (const r of batch.records) seen.push({ ...decoded(r), partition: batch.partition });
          expect(BigInt(batch.highWatermark ?? '0')).toBeGreaterThan(
            BigInt(batch.records.at(-1)?.offset ?? 0),
          );
        },
      }),
    );
    await waitFor('60 records', async () => (seen.length >= 60 ? true : undefined), 20_000);
    expect(seen.map((s) => s.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    for (let k = 0; k < 6; k++) {
      const ofKey = seen.filter((s) => s.key === `k${k}`);
      expect(ofKey.map((s) => s.n)).toEqual([...ofKey.map((s) => s.n)].sort((a, b) => a - b));
      expect(new Set(ofKey.map((s) => s.partition)).size).toBe(1);
    }
  });

  it('redelivers a batch whose handler threw, and after a restart resumes at the committed position', async () => {
    await bus.publish(TOPIC, [record('a', 1), record('a', 2)]);
    let attempts = 0;
    const handled: number[] = [];
    const first = await bus.subscribe({
      groupId: 'g2',
      topics: [TOPIC],
      fromBeginning: true,
      handleBatch: async (batch) => {
        attempts++;
        if (attempts === 1) throw new Error('the store is down');
        handled.push(...batch.records.map((r) => decoded(r).n));
      },
    });
    await waitFor('retried batch', async () => (handled.length >= 2 ? true : undefined), 20_000);
    expect(attempts).toBeGreaterThanOrEqual(2);
    await first.stop();

    await bus.publish(TOPIC, [record('a', 3)]);
    await bus.close();
    // A new process (new bus) on the same database: only the record after the commit arrives.
    bus = new EmbeddedBus({ sql: pool, pollIntervalMs: 50 });
    const after: number[] = [];
    subscriptions.push(
      await bus.subscribe({
        groupId: 'g2',
        topics: [TOPIC],
        fromBeginning: true,
        handleBatch: async (batch) => {
          after.push(...batch.records.map((r) => decoded(r).n));
        },
      }),
    );
    await waitFor('record 3', async () => (after.includes(3) ? true : undefined), 20_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(after).toEqual([3]);
  });

  it('starts a new group at the end unless fromBeginning, and refuses a second consumer of one group', async () => {
    await bus.publish(TOPIC, [record('old', 1)]);
    const got: number[] = [];
    subscriptions.push(
      await bus.subscribe({
        groupId: 'latest',
        topics: [TOPIC],
        handleBatch: async (batch) => {
          got.push(...batch.records.map((r) => decoded(r).n));
        },
      }),
    );
    await bus.publish(TOPIC, [record('new', 2)]);
    await waitFor('new record', async () => (got.includes(2) ? true : undefined), 20_000);
    expect(got).toEqual([2]);
    await expect(
      bus.subscribe({ groupId: 'latest', topics: [TOPIC], handleBatch: async () => undefined }),
    ).rejects.toThrow(/already has a consumer.*use Kafka/);
  });

  it('rejects records larger than the topic allows and topics that were never created, storing nothing', async () => {
    const big = { key: 'k', value: Buffer.alloc(4096) };
    await expect(bus.publish(TOPIC, [record('k', 1), big])).rejects.toThrow(BusRecordRejectedError);
    await expect(bus.publish(TOPIC, [big])).rejects.toThrow(
      /4097 bytes is larger than topic "items.test" accepts \(2048/,
    );
    await expect(bus.publish('nope', [record('k', 1)])).rejects.toThrow(
      /topic "nope" does not exist.*ensureTopics/,
    );
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM catalens_bus.records');
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('reads a topic from a point in time outside any group, and drops records past retention', async () => {
    await bus.publish(TOPIC, [record('x', 1)]);
    await pool.query("UPDATE catalens_bus.records SET created_at = now() - interval '2 days'");
    const since = new Date(Date.now() - 60_000);
    await bus.publish(TOPIC, [record('x', 2), record('y', 3)]);
    const read: number[] = [];
    const count = await bus.read(TOPIC, {
      since,
      handle: async (records) => {
        read.push(...records.map((r) => decoded(r).n));
      },
    });
    expect(count).toBe(2);
    expect(read.sort()).toEqual([2, 3]);

    await bus.ensureTopics([
      { topic: TOPIC, partitions: 3, configs: { 'retention.ms': String(86_400_000) } },
    ]);
    expect(await bus.enforceRetention()).toBe(1);
    let all = 0;
    await bus.read(TOPIC, {
      handle: async (records) => {
        all += records.length;
      },
    });
    expect(all).toBe(2);
  });
});
