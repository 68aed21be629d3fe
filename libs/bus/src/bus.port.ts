/** A record to publish. The key decides the partition: records with one key stay in order. */
export interface BusRecord {
  key: string;
  value: Buffer;
  headers?: Record<string, string>;
}

/** Where the broker stored a published record. */
export interface PublishAck {
  topic: string;
  partition: number;
  /** Base offset of the batch the record was written in. */
  offset: string;
}

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: string;
}

/** Records of one partition, in offset order. */
export interface ConsumedBatch {
  topic: string;
  partition: number;
  records: ConsumedRecord[];
  /** Offset after the partition's last record when fetched (lag = highWatermark − next offset). */
  highWatermark?: string;
  /** Keeps the group membership alive during long processing. */
  heartbeat(): Promise<void>;
  /** False once the subscription is stopping: finish fast, the uncommitted rest is redelivered. */
  isRunning(): boolean;
}

export interface SubscribeOptions {
  groupId: string;
  topics: string[];
  /**
   * Called once per fetched partition batch. Offsets are committed only after it resolves, so a
   * crash redelivers the batch (at-least-once). Throwing retries the batch after a backoff.
   */
  handleBatch(batch: ConsumedBatch): Promise<void>;
  /** Start from the earliest retained record when the group has no committed offset. */
  fromBeginning?: boolean;
  /** Upper bound of bytes fetched per partition per request. */
  maxBytesPerPartition?: number;
  /**
   * Partition batches handled at once (default 1). Each partition's records stay in order; more
   * than one lets a handler gather records of several partitions into one model batch.
   */
  partitionsConcurrently?: number;
  /**
   * How long the group waits for a silent member before giving its partitions to others
   * (default 30 s): after a crash, its records wait this long for a new owner.
   */
  sessionTimeoutMs?: number;
}

export interface ReadOptions {
  /** Only records with a broker timestamp at or after this. */
  since?: Date;
  /** Called with each fetched batch of records, partition by partition, in offset order. */
  handle(records: ConsumedRecord[]): Promise<void>;
  /** Upper bound for the whole read (ms); default 5 minutes. */
  timeoutMs?: number;
}

export interface Subscription {
  /** Stops fetching, lets the in-flight batch finish, commits, leaves the group. */
  stop(): Promise<void>;
  pause(): void;
  resume(): void;
}

export interface TopicSpec {
  topic: string;
  partitions: number;
  /** Broker configs such as `retention.ms`. */
  configs?: Record<string, string>;
}

/**
 * The message bus port. `publish` resolves only when the broker acknowledged every record
 * (all in-sync replicas), so a caller may promise durability to its own client afterwards.
 */
export interface Bus {
  publish(topic: string, records: BusRecord[]): Promise<PublishAck[]>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /**
   * Reads a topic from `since` (or its beginning) up to its end as of the call, outside any
   * consumer group (for replays and audits); resolves with the number of records handed over.
   */
  read(topic: string, options: ReadOptions): Promise<number>;
  ensureTopics(specs: TopicSpec[]): Promise<void>;
  /** Resolves when the broker answers; throws BusUnavailableError otherwise. */
  checkHealth(): Promise<void>;
  close(): Promise<void>;
}

/** DI token for the Bus port. */
export const BUS = Symbol.for('catalens.Bus');
