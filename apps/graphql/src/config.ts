import {
  authEnv,
  collectionEnv,
  commonEnv,
  databaseEnv,
  env,
  kafkaEnv,
  loadConfig,
  vectorStoreEnv,
} from '@catalens/config';
import { z } from 'zod';

export const graphqlConfigSchema = z.object({
  ...commonEnv,
  ...databaseEnv,
  ...authEnv,
  ...vectorStoreEnv,
  /** Kafka carries the records of a `reindex` mutation; search works without it. */
  ...kafkaEnv,
  PORT: env.port(3000),
  ...collectionEnv,
  /** A GloVe text file or `.wv` cache (the same the embedders use); default: the shipped subset. */
  GLOVE_PATH: z.string().min(1).optional(),
  /** Shipped vocabulary for text queries of tenants without their own `default` vocabulary. */
  SEARCH_VOCABULARY: z.enum(['products', 'real-estate']).default('products'),
  /** Schema introspection (and field suggestions in errors); off in production unless wanted. */
  GRAPHQL_INTROSPECTION: env.bool(true),
  /** Abuse limits, enforced before execution (graphql-armor). */
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(10),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(1).max(1000).default(15),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(100).max(1_000_000).default(5000),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(100_000).default(2000),
  /** Largest `first` a connection accepts. */
  GRAPHQL_MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
});

export type GraphqlConfig = z.infer<typeof graphqlConfigSchema>;
export const GRAPHQL_CONFIG = Symbol.for('catalens.GraphqlConfig');
export const loadGraphqlConfig = (source: NodeJS.ProcessEnv = process.env): GraphqlConfig =>
  loadConfig(graphqlConfigSchema, source);
