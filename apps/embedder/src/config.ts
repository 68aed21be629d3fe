import { availableParallelism } from 'node:os';
import {
  collectionEnv,
  commonEnv,
  databaseEnv,
  env,
  kafkaEnv,
  loadConfig,
  vectorStoreEnv,
} from '@catalens/config';
import { ENGINES } from '@catalens/vision';
import { z } from 'zod';

export const embedderConfigSchema = z.object({
  ...commonEnv,
  ...databaseEnv,
  ...kafkaEnv,
  ...vectorStoreEnv,
  /** HTTP port for /healthz, /readyz and /metrics only: the embedder serves no API. */
  PORT: env.port(3002),
  KAFKA_GROUP_ID: z.string().min(1).default('catalens-embedder'),
  /** A crashed embedder's partitions move to the others after this long (broker allows 6–300 s). */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(30_000),
  ...collectionEnv,
  /** Image model directory (catalens-model.json); default: the shipped EfficientNet-Lite0. */
  MODEL_DIR: z.string().min(1).optional(),
  /**
   * Inference engine: `onnx` (ONNX Runtime CPU, one single-threaded session per worker; falls back
   * to tfjs-wasm with a logged reason when it cannot load), `tfjs-wasm`, `tfjs-node`,
   * `tfjs-node-gpu` (CUDA 11 hosts) or `tfjs-cpu`.
   */
  EMBEDDER_ENGINE: z.enum(ENGINES).default('onnx'),
  /**
   * `conse` (zero-shot over the model's classes, top 10), `conse-t<N>` (top N), or a DeViSE head
   * directory from `catalens train devise`.
   */
  SEMANTIC_HEAD: z.string().min(1).default('conse'),
  /** A GloVe text file or `.wv` cache; default: the shipped 100-d subset. */
  GLOVE_PATH: z.string().min(1).optional(),
  /** Shipped vocabulary for tenants without a `default` vocabulary of their own. */
  EMBEDDER_VOCABULARY: z.enum(['products', 'real-estate']).default('products'),
  EMBEDDER_TAGS_PER_ITEM: z.coerce.number().int().min(1).max(50).default(5),
  /** Minimum cosine similarity between an image and a tag word. */
  EMBEDDER_TAG_THRESHOLD: z.coerce.number().min(-1).max(1).default(0.25),
  /** Encoder worker threads (the WebAssembly backend uses one core each). */
  EMBEDDER_WORKERS: env.positiveInt(Math.max(1, availableParallelism())),
  /** Images per model batch, and how long a partial batch waits for more before it runs. */
  EMBEDDER_BATCH_MAX: z.coerce.number().int().min(1).max(64).default(8),
  EMBEDDER_BATCH_MAX_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(25),
  /** Model batches in flight: above the worker count, decoding of one overlaps inference of another. */
  EMBEDDER_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(64).optional(),
  /** Partitions handled at once: their records share model batches. */
  EMBEDDER_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(4),
  /** Bytes fetched per partition per request; bounds memory together with the concurrency. */
  EMBEDDER_FETCH_MAX_BYTES: env.positiveInt(2 * 1024 * 1024),
  /** Images waiting for the model above which fetching pauses until the backlog halves. */
  EMBEDDER_MAX_QUEUED_IMAGES: env.positiveInt(256),
  /** Backoff bounds for a store, database or broker that is unavailable (retried until it is back). */
  EMBEDDER_RETRY_INITIAL_MS: env.positiveInt(250),
  EMBEDDER_RETRY_MAX_MS: env.positiveInt(10_000),
  /** How long a tenant's vocabulary is cached before changes are picked up. */
  EMBEDDER_VOCABULARY_TTL_MS: env.positiveInt(30_000),
});

export type EmbedderConfig = z.infer<typeof embedderConfigSchema>;
export const EMBEDDER_CONFIG = Symbol.for('catalens.EmbedderConfig');
export const loadEmbedderConfig = (source: NodeJS.ProcessEnv = process.env): EmbedderConfig =>
  loadConfig(embedderConfigSchema, source);
