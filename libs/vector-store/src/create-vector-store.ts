import { EmbeddedVectorStore } from './adapters/embedded/embedded-vector-store';
import { QdrantVectorStore } from './adapters/qdrant/qdrant-vector-store';
import type { VectorStore } from './vector-store.port';

export interface VectorStoreConfig {
  QDRANT_URL?: string | undefined;
  QDRANT_API_KEY?: string | undefined;
  VECTOR_STORE_DIR: string;
}

/** Qdrant when `QDRANT_URL` is set, the embedded store otherwise. */
export function createVectorStore(config: VectorStoreConfig): VectorStore {
  if (config.QDRANT_URL) {
    return new QdrantVectorStore({
      url: config.QDRANT_URL,
      ...(config.QDRANT_API_KEY ? { apiKey: config.QDRANT_API_KEY } : {}),
    });
  }
  return new EmbeddedVectorStore({ directory: config.VECTOR_STORE_DIR });
}
