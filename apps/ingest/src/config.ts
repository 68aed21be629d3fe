import { authEnv, commonEnv, databaseEnv, env, kafkaEnv, loadConfig } from '@catalens/config';
import { z } from 'zod';

export const ingestConfigSchema = z.object({
  ...commonEnv,
  ...databaseEnv,
  ...kafkaEnv,
  ...authEnv,
  PORT: env.port(3001),
});

export type IngestConfig = z.infer<typeof ingestConfigSchema>;
export const INGEST_CONFIG = Symbol.for('catalens.IngestConfig');
export const loadIngestConfig = (source: NodeJS.ProcessEnv = process.env): IngestConfig =>
  loadConfig(ingestConfigSchema, source);
