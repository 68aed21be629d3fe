import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type {
  Bus,
  BusRecord,
  ConsumedBatch,
  ConsumedRecord,
  PublishAck,
  ReadOptions,
  SubscribeOptions,
  Subscription,
  TopicSpec,
} from '../../bus.port';
import { BusRecordRejectedError, BusUnavailableError } from '../../errors';

/** What the embedded bus needs from a database: `pg`'s Pool and Client have this shape. */
export interface SqlClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface EmbeddedBusOptions {
  /** The database the queue lives in (schema `catalens_bus`, created when missing). */
  sql: SqlClient;
  /** How often an idle consumer looks for records written by someone else (ms). Default 500. */
  pollIntervalMs?: number;
  /** Records fetched per partition per round. Default 256. */
  batchRecords?: number;
  /** How often records past their topic's retention are deleted (ms). Default 10 minutes. */
  retentionIntervalMs?: number;
  /** Where failures of a handler are reported before the batch is retried. */
  log?: (level: 'warn' | 'error', message: string, extra: Record<string, unknown>) => void;
}

const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
const DEFAULT_RETENTION_MS = 7 * 24 * 3_600_000;

const SCHEMA = [
  'CREATE SCHEMA IF NOT EXISTS catalens_bus',
  `CREATE TABLE IF NOT EXISTS catalens_bus.topics (
     topic text PRIMARY KEY,
     partitions integer NOT NULL,
     retention_ms bigint NOT NULL,
     max_message_bytes integer NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS catalens_bus.records (
     id bigserial PRIMARY KEY,
     topic text NOT NULL,
     partition integer NOT NULL,
     key text,
     value bytea,
     headers jsonb NOT NULL DEFAULT '{}',
     created_at timestamptz NOT NULL DEFAULT now())`,
  'CREATE INDEX IF NOT EXISTS records_by_partition ON catalens_bus.records (topic, partition, id)',
  `CREATE TABLE IF NOT EXISTS catalens_bus.group_offsets (
     group_id text NOT NULL,
     topic text NOT NULL,
     partition integer NOT NULL,
     next_id bigint NOT NULL,
     PRIMARY KEY (group_id, topic, partition))`,
];

interface TopicRow {
  topic: string;
  partitions: number;
  retention_ms: string;
  max_message_bytes: number;
}
interface RecordRow {
  /** As text (bigint); named apart from `id` so that ORDER BY id sorts numbers, not this text. */
  record_id: string;
  partition: number;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  created_at: Date;
}

/** Kafka's default partitioner idea (a stable hash of the key), with md5 for simplicity. */
function partitionOf(key: string, partitions: number): number {
  return createHash('md5').update(key).digest().readUInt32BE(0) % partitions;
}

function consumed(topic: string, row: RecordRow): ConsumedRecord {
  return {
    topic,
    partition: row.partition,
    offset: row.record_id,
    key: row.key,
    value: row.value,
    headers: row.headers,
    timestamp: String(row.created_at.getTime()),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The Bus port on a durable queue table in the embedded database, for the one-process mode
 * (`npm start`): a publish resolves after its INSERT committed; a consumer group's position is a
 * row per partition, moved only after the handler resolved (at-least-once, like Kafka); topics keep
 * their partitions (records with one key stay in order) and their retention. One consumer per
 * group, in one process: anything multi-process uses Kafka (docs/decisions/0007).
 */
export class EmbeddedBus implements Bus {
  private readonly sql: SqlClient;
  private readonly pollIntervalMs: number;
  private readonly batchRecords: number;
  private readonly log: NonNullable<EmbeddedBusOptions['log']>;
  private schema: Promise<void> | undefined;
  private readonly topics = new Map<string, TopicRow>();
  /** Wakes idle consumers of a topic when this process published to it. */
  private readonly published = new EventEmitter().setMaxListeners(0);
  private readonly groups = new Set<string>();
  private readonly subscriptions = new Set<EmbeddedSubscription>();
  private closed = false;
  private readonly retentionTimer: NodeJS.Timeout;

  constructor(options: EmbeddedBusOptions) {
    this.sql = options.sql;
    this.retentionTimer = setInterval(() => {
      this.enforceRetention().catch((error: unknown) =>
        this.log('warn', `embedded bus: retention failed: ${(error as Error).message}`, {}),
      );
    }, options.retentionIntervalMs ?? 600_000).unref();
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.batchRecords = options.batchRecords ?? 256;
    this.log = options.log ?? (() => undefined);
  }

  private async query<R>(text: string, values: unknown[] = []): Promise<R[]> {
    if (this.closed) throw new BusUnavailableError('the embedded bus is closed');
    try {
      return (await this.sql.query(text, values)).rows as R[];
    } catch (error) {
      throw new BusUnavailableError(`embedded bus: ${(error as Error).message}`, { cause: error });
    }
  }

  private ready(): Promise<void> {
    this.schema ??= (async () => {
      for (const statement of SCHEMA) await this.query(statement);
    })().catch((error: unknown) => {
      this.schema = undefined;
      throw error;
    });
    return this.schema;
  }

  private async topic(name: string): Promise<TopicRow> {
    const cached = this.topics.get(name);
    if (cached) return cached;
    await this.ready();
    const [row] = await this.query<TopicRow>(
      'SELECT topic, partitions, retention_ms::text AS retention_ms, max_message_bytes FROM catalens_bus.topics WHERE topic = $1',
      [name],
    );
    if (!row)
      throw new BusRecordRejectedError(
        `topic "${name}" does not exist on the embedded bus; create it with ensureTopics first`,
      );
    this.topics.set(name, row);
    return row;
  }

  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    await this.ready();
    for (const spec of specs) {
      const retention = Number(spec.configs?.['retention.ms'] ?? DEFAULT_RETENTION_MS);
      const maxBytes = Number(spec.configs?.['max.message.bytes'] ?? DEFAULT_MAX_MESSAGE_BYTES);
      // Like Kafka: an existing topic keeps its partitions (more would move keys between them).
      await this.query(
        `INSERT INTO catalens_bus.topics (topic, partitions, retention_ms, max_message_bytes)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (topic) DO UPDATE SET retention_ms = EXCLUDED.retention_ms,
           max_message_bytes = EXCLUDED.max_message_bytes`,
        [spec.topic, spec.partitions, retention, maxBytes],
      );
      this.topics.delete(spec.topic);
    }
  }

  async publish(topicName: string, records: BusRecord[]): Promise<PublishAck[]> {
    if (records.length === 0) return [];
    const topic = await this.topic(topicName);
    for (const record of records) {
      const size = record.value.length + Buffer.byteLength(record.key);
      if (size > topic.max_message_bytes)
        throw new BusRecordRejectedError(
          `a record of ${size} bytes is larger than topic "${topicName}" accepts (${topic.max_message_bytes} bytes)`,
        );
    }
    const values: unknown[] = [];
    const rows = records.map((record, i) => {
      values.push(
        partitionOf(record.key, topic.partitions),
        record.key,
        record.value,
        JSON.stringify(record.headers ?? {}),
      );
      const p = i * 4;
      return `($1, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::jsonb)`;
    });
    // One statement: every record of the call is stored, or none.
    const inserted = await this.query<{ id: string; partition: number }>(
      `INSERT INTO catalens_bus.records (topic, partition, key, value, headers) VALUES ${rows.join(', ')}
       RETURNING id::text AS id, partition`,
      [topicName, ...values],
    );
    this.published.emit(topicName);
    return inserted.map((row) => ({ topic: topicName, partition: row.partition, offset: row.id }));
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.groups.has(options.groupId))
      throw new Error(
        `consumer group "${options.groupId}" already has a consumer on this embedded bus; it serves one consumer per group (use Kafka for more)`,
      );
    const partitions: { topic: string; partition: number }[] = [];
    for (const name of options.topics) {
      const topic = await this.topic(name);
      for (let partition = 0; partition < topic.partitions; partition++)
        partitions.push({ topic: name, partition });
    }
    const positions = new Map<string, bigint>();
    const committed = await this.query<{ topic: string; partition: number; next_id: string }>(
      'SELECT topic, partition, next_id::text AS next_id FROM catalens_bus.group_offsets WHERE group_id = $1',
      [options.groupId],
    );
    for (const row of committed) positions.set(`${row.topic}/${row.partition}`, BigInt(row.next_id));
    if (!options.fromBeginning) {
      // Like Kafka's `latest`: a new group starts after what is already there.
      for (const { topic, partition } of partitions) {
        const key = `${topic}/${partition}`;
        if (positions.has(key)) continue;
        const [row] = await this.query<{ next: string }>(
          'SELECT COALESCE(MAX(id) + 1, 0)::text AS next FROM catalens_bus.records WHERE topic = $1 AND partition = $2',
          [topic, partition],
        );
        positions.set(key, BigInt(row?.next ?? '0'));
        await this.commit(options.groupId, topic, partition, positions.get(key) ?? 0n);
      }
    }
    this.groups.add(options.groupId);
    const subscription = new EmbeddedSubscription(this, options, partitions, positions, () => {
      this.groups.delete(options.groupId);
      this.subscriptions.delete(subscription);
    });
    this.subscriptions.add(subscription);
    subscription.start();
    return subscription;
  }

  /** @internal */
  async fetch(
    topic: string,
    partition: number,
    from: bigint,
    maxBytes: number,
  ): Promise<{ records: ConsumedRecord[]; highWatermark: string }> {
    const rows = await this.query<RecordRow>(
      `SELECT id::text AS record_id, partition, key, value, headers, created_at FROM catalens_bus.records
       WHERE topic = $1 AND partition = $2 AND id >= $3 ORDER BY id LIMIT $4`,
      [topic, partition, from.toString(), this.batchRecords],
    );
    const records: ConsumedRecord[] = [];
    let bytes = 0;
    for (const row of rows) {
      bytes += (row.value?.length ?? 0) + (row.key?.length ?? 0);
      if (records.length > 0 && bytes > maxBytes) break;
      records.push(consumed(topic, row));
    }
    if (records.length === 0) return { records, highWatermark: from.toString() };
    const [end] = await this.query<{ end: string }>(
      'SELECT COALESCE(MAX(id) + 1, 0)::text AS end FROM catalens_bus.records WHERE topic = $1 AND partition = $2',
      [topic, partition],
    );
    return { records, highWatermark: end?.end ?? from.toString() };
  }

  /** @internal */
  async commit(groupId: string, topic: string, partition: number, next: bigint): Promise<void> {
    await this.query(
      `INSERT INTO catalens_bus.group_offsets (group_id, topic, partition, next_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_id = GREATEST(catalens_bus.group_offsets.next_id, EXCLUDED.next_id)`,
      [groupId, topic, partition, next.toString()],
    );
  }

  /** @internal Resolves when this process publishes to one of `topics`, or after `ms`. */
  waitForRecords(topics: string[], ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        for (const t of topics) this.published.off(t, done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      for (const t of topics) this.published.on(t, done);
    });
  }

  /** @internal */
  get settings() {
    return { pollIntervalMs: this.pollIntervalMs, log: this.log };
  }

  async read(topicName: string, options: ReadOptions): Promise<number> {
    const topic = await this.topic(topicName);
    const deadline = Date.now() + (options.timeoutMs ?? 300_000);
    const [end] = await this.query<{ end: string }>(
      'SELECT COALESCE(MAX(id) + 1, 0)::text AS end FROM catalens_bus.records WHERE topic = $1',
      [topicName],
    );
    const stop = BigInt(end?.end ?? '0');
    let handed = 0;
    for (let partition = 0; partition < topic.partitions; partition++) {
      let from = 0n;
      for (;;) {
        if (Date.now() > deadline)
          throw new BusUnavailableError(
            `reading ${topicName} took longer than ${options.timeoutMs ?? 300_000} ms`,
          );
        const rows = await this.query<RecordRow>(
          `SELECT id::text AS record_id, partition, key, value, headers, created_at FROM catalens_bus.records
           WHERE topic = $1 AND partition = $2 AND id >= $3 AND id < $4 AND created_at >= $5
           ORDER BY id LIMIT $6`,
          [
            topicName,
            partition,
            from.toString(),
            stop.toString(),
            options.since ?? new Date(0),
            this.batchRecords,
          ],
        );
        if (rows.length === 0) break;
        await options.handle(rows.map((row) => consumed(topicName, row)));
        handed += rows.length;
        from = BigInt(rows[rows.length - 1]?.record_id ?? '0') + 1n;
      }
    }
    return handed;
  }

  /** Deletes records older than their topic's retention; returns how many went. */
  async enforceRetention(): Promise<number> {
    await this.ready();
    const deleted = await this.query<{ id: string }>(
      `DELETE FROM catalens_bus.records r USING catalens_bus.topics t
       WHERE r.topic = t.topic AND r.created_at < now() - (t.retention_ms * interval '1 millisecond')
       RETURNING r.id::text AS id`,
    );
    return deleted.length;
  }

  async checkHealth(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.retentionTimer);
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.closed = true;
  }
}

/** One consumer group's loop: fetch per partition, hand over, commit after success, retry on throw. */
class EmbeddedSubscription implements Subscription {
  private running = false;
  private paused = false;
  private loop: Promise<void> | undefined;
  private failures = 0;

  constructor(
    private readonly bus: EmbeddedBus,
    private readonly options: SubscribeOptions,
    private readonly partitions: { topic: string; partition: number }[],
    private readonly positions: Map<string, bigint>,
    private readonly onStopped: () => void,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const { pollIntervalMs, log } = this.bus.settings;
    const concurrency = Math.max(1, this.options.partitionsConcurrently ?? 1);
    const maxBytes = this.options.maxBytesPerPartition ?? 10 * 1024 * 1024;
    while (this.running) {
      if (this.paused) {
        await sleep(pollIntervalMs);
        continue;
      }
      let handled = 0;
      try {
        for (let i = 0; i < this.partitions.length && this.running; i += concurrency) {
          const slice = this.partitions.slice(i, i + concurrency);
          const counts = await Promise.all(slice.map((p) => this.round(p.topic, p.partition, maxBytes)));
          handled += counts.reduce((a, b) => a + b, 0);
        }
        this.failures = 0;
      } catch (error) {
        this.failures++;
        const delay = Math.min(30_000, 250 * 2 ** Math.min(this.failures, 7));
        log('warn', `embedded bus: a batch failed, retrying in ${delay} ms: ${(error as Error).message}`, {
          groupId: this.options.groupId,
        });
        await sleep(delay);
        continue;
      }
      if (handled === 0 && this.running) await this.bus.waitForRecords(this.options.topics, pollIntervalMs);
    }
  }

  /** Fetches and handles one batch of one partition; resolves with the number of records. */
  private async round(topic: string, partition: number, maxBytes: number): Promise<number> {
    const key = `${topic}/${partition}`;
    const from = this.positions.get(key) ?? 0n;
    const { records, highWatermark } = await this.bus.fetch(topic, partition, from, maxBytes);
    if (records.length === 0 || !this.running) return 0;
    const batch: ConsumedBatch = {
      topic,
      partition,
      records,
      highWatermark,
      heartbeat: () => Promise.resolve(),
      isRunning: () => this.running,
    };
    await this.options.handleBatch(batch);
    const next = BigInt(records[records.length - 1]?.offset ?? '0') + 1n;
    await this.bus.commit(this.options.groupId, topic, partition, next);
    this.positions.set(key, next);
    return records.length;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.loop;
    this.onStopped();
  }
}
