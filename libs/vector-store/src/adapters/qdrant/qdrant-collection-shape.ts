import type { CollectionSpec, PayloadFieldType } from '../../vector-store.port';

/** The part of Qdrant's collection info (GET /collections/{name}) that a spec is read from. */
export interface QdrantCollectionInfo {
  config: { params: { vectors?: unknown } };
  payload_schema: Record<string, { data_type?: string; params?: unknown } | undefined>;
}

type QdrantIndexType = 'keyword' | 'float' | 'integer' | 'bool';

/** keyword[] and keyword are one type to Qdrant: it indexes every element of a list. */
export const QDRANT_INDEX_TYPES: Record<PayloadFieldType, QdrantIndexType> = {
  keyword: 'keyword',
  'keyword[]': 'keyword',
  float: 'float',
  integer: 'integer',
  bool: 'bool',
};

/**
 * Why an existing collection cannot serve `spec`, or null when it can. Only what cannot be changed
 * in place counts: the named vectors, their sizes and their distance (every spec vector is
 * cosine), and the type of a payload index the spec needs. Indexes the spec needs and the
 * collection lacks are not a difference: `ensureCollection` creates them. Whether the tenant
 * index carries `is_tenant` is a storage-layout hint, not a shape, so it is not compared either
 * (the old check compared it against info read before the index existed, and refused every
 * fresh collection).
 */
export function shapeDifference(info: QdrantCollectionInfo, spec: CollectionSpec): string | null {
  const problems: string[] = [];
  const vectors = namedVectors(info);
  if (!vectors) {
    problems.push('it has a single unnamed vector, not named vectors');
  } else {
    const wanted = Object.keys(spec.vectors).sort();
    const have = Object.keys(vectors).sort();
    if (wanted.join() !== have.join())
      problems.push(`vectors [${have.join(', ')}], requested [${wanted.join(', ')}]`);
    for (const [name, { size }] of Object.entries(spec.vectors)) {
      const v = vectors[name];
      if (!v) continue;
      if (v.size !== size) problems.push(`vector "${name}" has size ${v.size}, requested ${size}`);
      if (v.distance !== 'Cosine')
        problems.push(`vector "${name}" uses ${v.distance} distance, requested Cosine`);
    }
  }
  for (const [key, type] of Object.entries(spec.payloadIndexes)) {
    const existing = info.payload_schema[key]?.data_type;
    if (existing !== undefined && existing !== QDRANT_INDEX_TYPES[type])
      problems.push(`payload field "${key}" is indexed as ${existing}, requested ${type}`);
  }
  return problems.length ? problems.join('; ') : null;
}

/** Payload fields the spec indexes and the collection does not yet. */
export function missingIndexes(
  info: QdrantCollectionInfo,
  spec: CollectionSpec,
): [key: string, type: PayloadFieldType][] {
  return Object.entries(spec.payloadIndexes).filter(([key]) => !info.payload_schema[key]);
}

/** Rebuilds a spec from collection info (list-valued keyword fields read as `keyword`). */
export function specFromInfo(info: QdrantCollectionInfo): CollectionSpec {
  const spec: CollectionSpec = { vectors: {}, payloadIndexes: {} };
  for (const [k, v] of Object.entries(namedVectors(info) ?? {})) spec.vectors[k] = { size: v.size };
  for (const [key, index] of Object.entries(info.payload_schema)) {
    const type = index?.data_type;
    if (type === 'keyword' || type === 'float' || type === 'integer' || type === 'bool')
      spec.payloadIndexes[key] = type;
    const params = index?.params as { is_tenant?: boolean } | undefined;
    if (params?.is_tenant) spec.tenantKey = key;
  }
  return spec;
}

function namedVectors(info: QdrantCollectionInfo): Record<string, { size: number; distance: string }> | null {
  const vectors = info.config.params.vectors;
  if (!vectors || typeof vectors !== 'object') return {};
  // A collection created with one unnamed vector has `{ size, distance }` here instead of a map.
  if ('size' in vectors) return null;
  const out: Record<string, { size: number; distance: string }> = {};
  for (const [k, v] of Object.entries(vectors as Record<string, { size?: unknown; distance?: unknown }>)) {
    if (typeof v?.size === 'number') out[k] = { size: v.size, distance: String(v.distance) };
  }
  return out;
}
