import { z } from 'zod';
import { env } from './load-config';

/** Variables every app reads, spread into each app's schema. */
export const commonEnv = {
  LOG_LEVEL: env.logLevel(),
  HOST: z.string().default('0.0.0.0'),
};

export const databaseEnv = {
  DATABASE_URL: env.url(['postgres', 'postgresql']),
  DATABASE_POOL_SIZE: env.positiveInt(10),
};

export const kafkaEnv = {
  KAFKA_BROKERS: env.brokers(),
  KAFKA_CLIENT_ID: z.string().min(1).default('catalens'),
  KAFKA_PUBLISH_TIMEOUT_MS: env.positiveInt(10_000),
  KAFKA_TOPIC_PARTITIONS: env.positiveInt(12),
  /** How long records stay replayable (reindex, DLQ replay); default 7 days. */
  KAFKA_TOPIC_RETENTION_MS: env.positiveInt(7 * 24 * 3600 * 1000),
  CATALENS_TOPIC_ITEMS: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,249}$/)
    .default('catalens.items.v1'),
  CATALENS_TOPIC_ITEMS_DLQ: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,249}$/)
    .default('catalens.items.dlq.v1'),
};

export const authEnv = {
  /**
   * Server-side secret mixed into API-key hashes. Changing it invalidates every key.
   * At least 16 characters; generate one with `openssl rand -hex 32`.
   */
  API_KEY_PEPPER: z.string().min(16, 'must be at least 16 characters (e.g. `openssl rand -hex 32`)'),
  /** How long a server trusts an authenticated key before reading it again (a revocation's delay); 0 = every request. */
  API_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
};

/** The serving alias the embedders and `catalens reindex` maintain; versions write `<alias>__<version>`. */
export const collectionEnv = {
  CATALENS_COLLECTION: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,30}$/, 'expected 1-31 characters a-z, 0-9, _ or -, starting with a letter')
    .default('items'),
};

export const vectorStoreEnv = {
  /** Qdrant's REST endpoint; when unset the embedded store under VECTOR_STORE_DIR is used. */
  QDRANT_URL: env.url(['http', 'https']).optional(),
  QDRANT_API_KEY: z.string().min(1).optional(),
  /** A store server (`catalens store serve`) that shares one embedded store between processes. */
  VECTOR_STORE_URL: env.url(['http', 'https']).optional(),
  VECTOR_STORE_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Directory of the embedded store (single process: one app owns it). */
  VECTOR_STORE_DIR: z.string().min(1).default('./data/vectors'),
  /**
   * The embedded store's HNSW search beam: how many candidates a search keeps (at least the page
   * asked for). Higher finds more of the exact neighbours and takes longer; bench/ann-ef measures it.
   */
  VECTOR_STORE_HNSW_EF: z.coerce.number().int().min(10).max(4096).default(64),
};
