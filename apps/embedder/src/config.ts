import { commonEnv, databaseEnv, env, kafkaEnv, loadConfig } from '@catalens/config';
import { z } from 'zod';

export const embedderConfigSchema = z.object({
  ...commonEnv,
  ...databaseEnv,
  ...kafkaEnv,
  /** HTTP port for /healthz, /readyz and /metrics only: the embedder serves no API. */
  PORT: env.port(3002),
  KAFKA_GROUP_ID: z.string().min(1).default('catalens-embedder'),
});

export type EmbedderConfig = z.infer<typeof embedderConfigSchema>;
export const EMBEDDER_CONFIG = Symbol.for('catalens.EmbedderConfig');
export const loadEmbedderConfig = (source: NodeJS.ProcessEnv = process.env): EmbedderConfig =>
  loadConfig(embedderConfigSchema, source);
