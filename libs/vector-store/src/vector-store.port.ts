import type { Filter } from './filter/filter';

/**
 * Types a payload field can be indexed as. Only indexed fields can be filtered on: the embedded
 * store evaluates filters on its own typed columns, and Qdrant filters on unindexed fields scan
 * every point, so both adapters refuse them alike.
 */
export type PayloadFieldType = 'keyword' | 'keyword[]' | 'float' | 'integer' | 'bool';

export interface CollectionSpec {
  /** Named dense vectors and their sizes. Distance is cosine for every vector. */
  vectors: Record<string, { size: number }>;
  /** Payload fields that filters may use, with their types. */
  payloadIndexes: Record<string, PayloadFieldType>;
  /**
   * The keyword field that partitions the collection by tenant (Qdrant's `is_tenant` index,
   * which co-locates a tenant's points). Must be one of `payloadIndexes`.
   */
  tenantKey?: string;
}

export type Payload = Record<string, unknown>;
export type VectorInput = Float32Array | readonly number[];

export interface PointInput {
  /** A UUID (the project derives them with `pointId()` from tenant and external id). */
  id: string;
  /** One vector per name the collection declares; all are required. */
  vectors: Record<string, VectorInput>;
  payload: Payload;
}

export interface StoredPoint {
  id: string;
  payload: Payload;
  /** Unit-length vectors (cosine collections store normalized vectors), when asked for. */
  vectors?: Record<string, number[]>;
}

export interface ScoredPoint {
  id: string;
  /** Cosine similarity in [-1, 1], higher is closer. */
  score: number;
  payload?: Payload;
}

export interface SearchRequest {
  /** Which named vector to search. */
  vector: string;
  query: VectorInput;
  limit: number;
  offset?: number;
  filter?: Filter;
  /** Drop results whose cosine similarity is below this. */
  scoreThreshold?: number;
  withPayload?: boolean;
  /** Force an exact scan instead of the ANN index (for audits and recall measurements). */
  exact?: boolean;
}

export interface ScrollRequest {
  filter?: Filter;
  limit: number;
  /** The `nextCursor` of the previous page; omit for the first page. */
  cursor?: string;
  withVectors?: boolean;
}

export interface ScrollPage {
  /** Points in ascending id order. */
  points: StoredPoint[];
  /** Pass to the next call; null when there is nothing more. */
  nextCursor: string | null;
}

export type DeleteSelector = { ids: readonly string[] } | { filter: Filter };

export interface UpsertOptions {
  /**
   * Resolve only once the points are durable and searchable (default true). The embedded store
   * is always synchronous; Qdrant acknowledges earlier without it.
   */
  wait?: boolean;
}

/**
 * Where vectors live. A `collection` argument may name a collection or an alias of one, except
 * where noted. Every method validates its input and throws `VectorStoreInputError` naming the
 * field, so both adapters refuse the same things with the same words.
 */
export interface VectorStore {
  /** Creates the collection (and its payload indexes) or checks that the existing one matches. */
  ensureCollection(name: string, spec: CollectionSpec): Promise<void>;
  /** Names of the real collections (not aliases). */
  listCollections(): Promise<string[]>;
  /** Drops the collection and its data. Refuses while an alias points at it. */
  deleteCollection(name: string): Promise<void>;

  upsert(collection: string, points: readonly PointInput[], options?: UpsertOptions): Promise<void>;
  delete(collection: string, selector: DeleteSelector): Promise<void>;
  retrieve(
    collection: string,
    ids: readonly string[],
    options?: { withVectors?: boolean },
  ): Promise<StoredPoint[]>;
  search(collection: string, request: SearchRequest): Promise<ScoredPoint[]>;
  count(collection: string, filter?: Filter): Promise<number>;
  scroll(collection: string, request: ScrollRequest): Promise<ScrollPage>;

  /** Points `alias` at `collection`; fails if the alias exists. */
  createAlias(alias: string, collection: string): Promise<void>;
  /** Atomically re-points `alias` (creating it if needed): readers see the old or the new target. */
  switchAlias(alias: string, collection: string): Promise<void>;
  deleteAlias(alias: string): Promise<void>;
  /** alias → collection */
  listAliases(): Promise<Record<string, string>>;

  /** Resolves when the store answers; throws `VectorStoreUnavailableError` otherwise. */
  checkHealth(): Promise<void>;
  close(): Promise<void>;
}

/** DI token for the `VectorStore` port. */
export const VECTOR_STORE = Symbol('VECTOR_STORE');
