import {
  type Admin,
  type Consumer,
  type IHeaders,
  type KafkaMessage,
  Kafka,
  KafkaJSError,
  type Producer,
  type RecordMetadata,
  logLevel as KafkaLogLevel,
  CompressionTypes,
} from 'kafkajs';
import type {
  Bus,
  BusRecord,
  ConsumedRecord,
  PublishAck,
  ReadOptions,
  SubscribeOptions,
  Subscription,
  TopicSpec,
} from '../../bus.port';
import { BusRecordRejectedError, BusUnavailableError } from '../../errors';

export interface KafkaBusOptions {
  clientId: string;
  brokers: string[];
  /** Upper bound for one `publish` call, retries included (ms). */
  publishTimeoutMs?: number;
  /** TCP connect timeout per broker (ms). */
  connectionTimeoutMs?: number;
  /** Upper bound for a health check (ms). */
  healthTimeoutMs?: number;
  /** Where kafkajs logs go; silent by default (the app logs outcomes itself). */
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string, extra: Record<string, unknown>) => void;
}

/** Broker error types that say the record itself is unacceptable (retrying cannot help). */
const PERMANENT_KAFKA_ERRORS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TOPIC_EXCEPTION',
  'TOPIC_AUTHORIZATION_FAILED',
  'CORRUPT_MESSAGE',
]);

function errorType(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const type = (current as { type?: unknown }).type;
    if (typeof type === 'string' && PERMANENT_KAFKA_ERRORS.has(type)) return type;
    current =
      (current as { originalError?: unknown; cause?: unknown }).originalError ??
      (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}

function consumedRecord(topic: string, partition: number, m: KafkaMessage): ConsumedRecord {
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key ? m.key.toString('utf8') : null,
    value: m.value,
    headers: headersOf(m.headers),
    timestamp: m.timestamp,
  };
}

async function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Bus adapter on kafkajs. The producer is idempotent (`acks: -1`, one request in flight per
 * connection) so a retried send never writes a record twice. Consumers commit offsets manually,
 * only after the batch handler succeeded.
 */
export class KafkaBus implements Bus {
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private producerReady: Promise<Producer> | undefined;
  private admin: Admin | undefined;
  private readonly consumers = new Set<Consumer>();
  private closed = false;
  private readonly publishTimeoutMs: number;
  private readonly healthTimeoutMs: number;

  constructor(private readonly options: KafkaBusOptions) {
    this.publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
    this.healthTimeoutMs = options.healthTimeoutMs ?? 3_000;
    const log = options.log;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      connectionTimeout: options.connectionTimeoutMs ?? 3_000,
      requestTimeout: 15_000,
      retry: { initialRetryTime: 200, maxRetryTime: 3_000, retries: 5 },
      logLevel: log ? KafkaLogLevel.WARN : KafkaLogLevel.NOTHING,
      logCreator: () => (entry) => {
        if (!log) return;
        const level =
          entry.level === KafkaLogLevel.ERROR
            ? 'error'
            : entry.level === KafkaLogLevel.WARN
              ? 'warn'
              : 'info';
        const { message, ...extra } = entry.log;
        log(level, `kafkajs ${entry.namespace}: ${message}`, extra);
      },
    });
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.closed) throw new BusUnavailableError('the bus is closed');
    this.producerReady ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        retry: { initialRetryTime: 200, maxRetryTime: 2_000, retries: 4 },
      });
      this.producer = producer;
      await producer.connect();
      return producer;
    })();
    try {
      return await this.producerReady;
    } catch (error) {
      await this.resetProducer();
      throw error;
    }
  }

  /** Drops the producer so the next publish connects afresh (after the broker came back). */
  private async resetProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    this.producerReady = undefined;
    if (producer) await producer.disconnect().catch(() => undefined);
  }

  async publish(topic: string, records: BusRecord[]): Promise<PublishAck[]> {
    if (records.length === 0) return [];
    const attempt = async (): Promise<RecordMetadata[]> => {
      const producer = await this.connectedProducer();
      return producer.send({
        topic,
        acks: -1,
        timeout: this.publishTimeoutMs,
        compression: CompressionTypes.None,
        messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
      });
    };
    try {
      const metadata = await withDeadline(
        attempt(),
        this.publishTimeoutMs,
        () =>
          new BusUnavailableError(
            `broker did not acknowledge ${records.length} record(s) to ${topic} within ${this.publishTimeoutMs} ms`,
          ),
      );
      return metadata.map((m) => ({
        topic: m.topicName,
        partition: m.partition,
        offset: m.baseOffset ?? m.offset ?? '-1',
      }));
    } catch (error) {
      const permanent = errorType(error);
      if (permanent) {
        throw new BusRecordRejectedError(`broker rejected the record(s) for ${topic}: ${permanent}`, {
          cause: error,
        });
      }
      // Whatever state the producer is in after a timeout or lost connection, start clean next time.
      await this.resetProducer();
      if (error instanceof BusUnavailableError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new BusUnavailableError(`publishing to ${topic} failed: ${reason}`, { cause: error });
    }
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 4 * 1024 * 1024,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 10 },
    });
    this.consumers.add(consumer);
    await consumer.connect();
    for (const topic of options.topics) {
      await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
    }
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
      // kafkajs passes these as bound closures; destructuring them is its documented usage.
      // eslint-disable-next-line @typescript-eslint/unbound-method
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        if (batch.messages.length === 0) return;
        const records = batch.messages.map((m) => consumedRecord(batch.topic, batch.partition, m));
        // A throw here makes kafkajs retry the same batch (nothing is resolved or committed).
        await options.handleBatch({
          topic: batch.topic,
          partition: batch.partition,
          records,
          highWatermark: batch.highWatermark,
          heartbeat,
          isRunning: () => isRunning() && !isStale(),
        });
        resolveOffset(batch.lastOffset());
        // The committed offset is the next one to read.
        const next = (BigInt(batch.lastOffset()) + 1n).toString();
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
        await heartbeat();
      },
    });
    return {
      stop: async () => {
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
      pause: () => consumer.pause(options.topics.map((topic) => ({ topic }))),
      resume: () => consumer.resume(options.topics.map((topic) => ({ topic }))),
    };
  }

  async read(topic: string, options: ReadOptions): Promise<number> {
    const admin = await this.connectedAdmin().catch((error: unknown) => {
      throw new BusUnavailableError(`cannot reach the broker to read ${topic}: ${String(error)}`, {
        cause: error,
      });
    });
    const ends = await admin.fetchTopicOffsets(topic);
    const starts = options.since
      ? await admin.fetchTopicOffsetsByTimestamp(topic, options.since.getTime())
      : ends.map((p) => ({ partition: p.partition, offset: p.low }));
    // A partition is done once the next offset to read reaches its end as of now.
    const remaining = new Map<number, bigint>();
    for (const end of ends) {
      const start = starts.find((s) => s.partition === end.partition)?.offset ?? end.high;
      const from = BigInt(start === '-1' ? end.high : start);
      if (from < BigInt(end.high)) remaining.set(end.partition, BigInt(end.high));
    }
    if (remaining.size === 0) return 0;
    const groupId = `${this.options.clientId}-read-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false });
    let count = 0;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const done = new Promise<void>((resolve, reject) => {
        void consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              const end = remaining.get(batch.partition);
              if (end === undefined) return;
              const records = batch.messages
                .filter((m) => BigInt(m.offset) < end)
                .filter((m) => !options.since || Number(m.timestamp) >= options.since.getTime())
                .map((m) => consumedRecord(topic, batch.partition, m));
              if (records.length > 0) {
                await options.handle(records);
                count += records.length;
              }
              if (BigInt(batch.lastOffset()) + 1n >= end) remaining.delete(batch.partition);
              if (remaining.size === 0) resolve();
            },
          })
          .then(() => {
            for (const s of starts) {
              if (remaining.has(s.partition))
                consumer.seek({ topic, partition: s.partition, offset: s.offset === '-1' ? '0' : s.offset });
            }
          }, reject);
      });
      await withDeadline(
        done,
        options.timeoutMs ?? 300_000,
        () =>
          new BusUnavailableError(`reading ${topic} did not finish in ${options.timeoutMs ?? 300_000} ms`),
      );
      return count;
    } finally {
      await consumer.disconnect().catch(() => undefined);
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  }

  private async connectedAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin({ retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 1_000 } });
      try {
        await admin.connect();
      } catch (error) {
        await admin.disconnect().catch(() => undefined);
        throw error;
      }
      this.admin = admin;
    }
    return this.admin;
  }

  private async resetAdmin(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    if (admin) await admin.disconnect().catch(() => undefined);
  }

  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    try {
      const admin = await this.connectedAdmin();
      const existing = new Set(await admin.listTopics());
      const missing = specs.filter((s) => !existing.has(s.topic));
      if (missing.length === 0) return;
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.topic,
          numPartitions: s.partitions,
          configEntries: Object.entries(s.configs ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    } catch (error) {
      await this.resetAdmin();
      if (error instanceof KafkaJSError && error.message.includes('already exists')) return;
      throw new BusUnavailableError(
        `could not ensure topics ${specs.map((s) => s.topic).join(', ')}: ${String(error)}`,
        { cause: error },
      );
    }
  }

  async checkHealth(): Promise<void> {
    try {
      await withDeadline(
        (async () => {
          const admin = await this.connectedAdmin();
          await admin.describeCluster();
        })(),
        this.healthTimeoutMs,
        () =>
          new BusUnavailableError(
            `broker ${this.options.brokers.join(',')} did not answer within ${this.healthTimeoutMs} ms`,
          ),
      );
    } catch (error) {
      await this.resetAdmin();
      if (error instanceof BusUnavailableError) throw error;
      throw new BusUnavailableError(
        `broker ${this.options.brokers.join(',')} unavailable: ${String(error)}`,
        { cause: error },
      );
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    await this.resetProducer();
    await this.resetAdmin();
  }
}
