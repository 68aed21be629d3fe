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
  /** Origins whose pages may call the API (`*`: any; keys are headers, never cookies). */
  GRAPHQL_CORS_ORIGINS: env.list('*'),
  /** This API's public base URL, for thumbnail links (default: the request's own host). */
  PUBLIC_URL: env.url(['http', 'https']).optional(),
  /**
   * Where the dashboard's ingest page sends items (the ingest app's base URL); default: this
   * origin, as behind an Ingress that routes /v1/items and /v1/feeds to ingest.
   */
  DASHBOARD_INGEST_URL: env.url(['http', 'https']).optional(),
  ...collectionEnv,
  /** A GloVe text file or `.wv` cache (the same the embedders use); default: the shipped subset. */
  GLOVE_PATH: z.string().min(1).optional(),
  /** Shipped vocabulary for text queries of tenants without their own `default` vocabulary. */
  SEARCH_VOCABULARY: z.enum(['products', 'real-estate']).default('products'),
  /**
   * Schema introspection (and field suggestions in errors). Default: on, except where
   * NODE_ENV=production (the images set it); introspection obeys the same depth, alias and cost
   * limits as every other document.
   */
  GRAPHQL_INTROSPECTION: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1')),
  NODE_ENV: z.string().optional(),
  /** Largest JSON request body (bytes); a larger one is answered 413 naming this setting. */
  GRAPHQL_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  /** Abuse limits, enforced before execution (graphql-armor). */
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(10),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(1).max(1000).default(15),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(100).max(1_000_000).default(5000),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(100_000).default(2000),
  /** The image model's directory, as the embedders have it (image queries); default: the shipped model. */
  MODEL_DIR: z.string().min(1).optional(),
  /**
   * The embedders' semantic head, so that text queries land in the space its vectors live in:
   * `conse` / `conse-t<N>` (the model's label concepts place query words among its classes) or a
   * DeViSE head directory (query words at their word vectors).
   */
  SEMANTIC_HEAD: z.string().min(1).default('conse'),
  /**
   * The embedders' tagging (same names and defaults), so that re-tagging a tenant's items when
   * its own semantic head is promoted gives the tags the embedders would.
   */
  EMBEDDER_TAGS_PER_ITEM: z.coerce.number().int().min(1).max(50).default(5),
  EMBEDDER_TAG_THRESHOLD: z.coerce.number().min(-1).max(1).default(0.25),
  /**
   * Train a tenant's own semantic head automatically once it has made this many tag decisions
   * (accept, reject, add) since its last training; 0 turns automatic training off.
   */
  SEMANTIC_HEAD_AUTOTRAIN_EVERY: z.coerce.number().int().min(0).max(1_000_000).default(50),
  /** Model worker threads for image queries; the model loads at the first image query. */
  GRAPHQL_ENCODER_WORKERS: z.coerce.number().int().min(1).max(16).default(1),
  /** Largest query image `POST /v1/query-images` or `similarItems(imageUrl:)` accepts. */
  GRAPHQL_MAX_IMAGE_BYTES: env.positiveInt(10 * 1024 * 1024),
  /** How long an uploaded query image's id stays valid. */
  GRAPHQL_QUERY_IMAGE_TTL_S: z.coerce.number().int().min(10).max(86_400).default(900),
  /** Private ranges `similarItems(imageUrl:)` may fetch from (default: public addresses only). */
  GRAPHQL_FETCH_ALLOW_CIDRS: env.list(),
  GRAPHQL_FETCH_TIMEOUT_MS: env.positiveInt(10_000),
  /** Largest `first` a connection accepts. */
  GRAPHQL_MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
});

export type GraphqlConfig = Omit<z.infer<typeof graphqlConfigSchema>, 'GRAPHQL_INTROSPECTION'> & {
  GRAPHQL_INTROSPECTION: boolean;
};
export const GRAPHQL_CONFIG = Symbol.for('catalens.GraphqlConfig');
export const loadGraphqlConfig = (source: NodeJS.ProcessEnv = process.env): GraphqlConfig => {
  const config = loadConfig(graphqlConfigSchema, source);
  return {
    ...config,
    GRAPHQL_INTROSPECTION: config.GRAPHQL_INTROSPECTION ?? config.NODE_ENV !== 'production',
  };
};
