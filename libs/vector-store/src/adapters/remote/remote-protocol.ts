/**
 * The wire format between RemoteVectorStore and the store server: one POST per port method,
 * `POST /v1/<method>` with `{ args: [...] }`, answered `{ result }` or `{ error }`. Vectors
 * travel as JSON number arrays.
 */
export const REMOTE_METHODS = [
  'ensureCollection',
  'listCollections',
  'deleteCollection',
  'upsert',
  'delete',
  'retrieve',
  'search',
  'count',
  'scroll',
  'createAlias',
  'switchAlias',
  'deleteAlias',
  'listAliases',
  'checkHealth',
] as const;

export type RemoteMethod = (typeof REMOTE_METHODS)[number];

export interface RemoteError {
  name: string;
  message: string;
  /** VectorStoreInputError's field, CollectionNotFoundError's/CollectionMismatchError's collection. */
  field?: string;
  collection?: string;
}

/** Float32Arrays become plain arrays (JSON.stringify would turn them into objects). */
export function toWire(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(toWire);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
  }
  return value;
}
