import {
  EmbeddedVectorStore,
  type EmbeddedVectorStoreOptions,
} from './adapters/embedded/embedded-vector-store';
import { QdrantVectorStore } from './adapters/qdrant/qdrant-vector-store';
import { RemoteVectorStore } from './adapters/remote/remote-vector-store';
import type { VectorStore } from './vector-store.port';

export interface VectorStoreConfig {
  QDRANT_URL?: string | undefined;
  QDRANT_API_KEY?: string | undefined;
  VECTOR_STORE_URL?: string | undefined;
  VECTOR_STORE_TOKEN?: string | undefined;
  VECTOR_STORE_DIR: string;
  /** The embedded store's HNSW search beam (EmbeddedVectorStoreOptions.hnsw.ef). */
  VECTOR_STORE_HNSW_EF?: number | undefined;
}

/**
 * Qdrant when `QDRANT_URL` is set; else a store server (`catalens store serve`) when
 * `VECTOR_STORE_URL` is set; else the embedded store in `VECTOR_STORE_DIR`, owned by this process.
 */
export function createVectorStore(
  config: VectorStoreConfig,
  options: Pick<EmbeddedVectorStoreOptions, 'warn'> = {},
): VectorStore {
  if (config.QDRANT_URL) {
    return new QdrantVectorStore({
      url: config.QDRANT_URL,
      ...(config.QDRANT_API_KEY ? { apiKey: config.QDRANT_API_KEY } : {}),
    });
  }
  if (config.VECTOR_STORE_URL) {
    return new RemoteVectorStore({
      url: config.VECTOR_STORE_URL,
      ...(config.VECTOR_STORE_TOKEN ? { token: config.VECTOR_STORE_TOKEN } : {}),
      // A short bound: an unavailable store should be noticed and retried, not waited on.
      timeoutMs: 10_000,
    });
  }
  return new EmbeddedVectorStore({
    directory: config.VECTOR_STORE_DIR,
    ...(config.VECTOR_STORE_HNSW_EF ? { hnsw: { ef: config.VECTOR_STORE_HNSW_EF } } : {}),
    warn: options.warn,
  });
}
