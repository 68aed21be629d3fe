export {
  VECTOR_STORE,
  type CollectionSpec,
  type DeleteSelector,
  type Payload,
  type PayloadFieldType,
  type PointInput,
  type ScoredPoint,
  type ScrollPage,
  type ScrollRequest,
  type SearchRequest,
  type StoredPoint,
  type UpsertOptions,
  type VectorInput,
  type VectorStore,
} from './vector-store.port';
export {
  CollectionMismatchError,
  CollectionNotFoundError,
  VectorStoreInputError,
  VectorStoreUnavailableError,
} from './errors';
export {
  matchesFilter,
  validateFilter,
  type Condition,
  type Filter,
  type IsNullCondition,
  type MatchAnyCondition,
  type MatchCondition,
  type RangeCondition,
} from './filter/filter';
export { MAX_SEARCH_WINDOW, MAX_UPSERT_POINTS, canonicalId } from './validation';
export {
  EmbeddedVectorStore,
  type EmbeddedVectorStoreOptions,
} from './adapters/embedded/embedded-vector-store';
export { QdrantVectorStore, type QdrantVectorStoreOptions } from './adapters/qdrant/qdrant-vector-store';
export { toQdrantFilter } from './adapters/qdrant/qdrant-filter';
export { RemoteVectorStore, type RemoteVectorStoreOptions } from './adapters/remote/remote-vector-store';
export {
  serveVectorStore,
  type RunningVectorStoreServer,
  type VectorStoreServerOptions,
} from './adapters/remote/vector-store-server';
export { createVectorStore, type VectorStoreConfig } from './create-vector-store';
export { VECTOR_STORE_READINESS, VectorStoreModule } from './nest/vector-store.module';
