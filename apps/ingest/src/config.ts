import { authEnv, commonEnv, databaseEnv, env, kafkaEnv, loadConfig } from '@catalens/config';
import { z } from 'zod';

export const ingestConfigSchema = z.object({
  ...commonEnv,
  ...databaseEnv,
  ...kafkaEnv,
  ...authEnv,
  PORT: env.port(3001),
  /** Largest JSON body (a batch with base64 images); bigger bodies get 413. */
  INGEST_MAX_BODY_BYTES: env.positiveInt(64 * 1024 * 1024),
  INGEST_MAX_IMAGE_BYTES: env.positiveInt(20 * 1024 * 1024),
  INGEST_MAX_IMAGE_PIXELS: env.positiveInt(40_000_000),
  /** Hamming distance of 64-bit dHashes at or below which an item is marked a near duplicate. */
  INGEST_NEAR_DUPLICATE_DISTANCE: z.coerce.number().int().min(0).max(64).default(6),
  /** CIDRs image URLs may reach although not public (comma-separated); empty = public only. */
  INGEST_FETCH_ALLOW_CIDRS: env.list(),
  /** Lines one feed request may carry; a longer feed stops there with FEED_TOO_LONG. */
  INGEST_FEED_MAX_LINES: env.positiveInt(1_000_000),
  INGEST_FETCH_TIMEOUT_MS: env.positiveInt(10_000),
  INGEST_FETCH_CONCURRENCY: env.positiveInt(32),
  INGEST_FETCH_PER_HOST_CONCURRENCY: env.positiveInt(4),
  /**
   * Origins whose pages may call ingest from a browser (the dashboard's ingest page when it is
   * served from another origin); empty: none, `*`: any (keys are headers, never cookies).
   */
  INGEST_CORS_ORIGINS: env.list(),
});

export type IngestConfig = z.infer<typeof ingestConfigSchema>;
export const INGEST_CONFIG = Symbol.for('catalens.IngestConfig');
export const loadIngestConfig = (source: NodeJS.ProcessEnv = process.env): IngestConfig =>
  loadConfig(ingestConfigSchema, source);
