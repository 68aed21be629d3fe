import type { CollectionSpec, PayloadFieldType } from '../../vector-store.port';

/** The part of Qdrant's collection info (GET /collections/{name}) that a spec is read from. */
export interface QdrantCollectionInfo {
  config: { params: { vectors?: unknown }; metadata?: unknown };
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
 * The collection-metadata key under which `ensureCollection` records the spec's payload field
 * types. Qdrant indexes `keyword[]` and `keyword` alike (it indexes every element of a list), so
 * its index types cannot tell them apart: a process that reads a collection it did not ensure
 * (GraphQL rewriting an item's `tags`) would read `tags` back as `keyword` and refuse its own
 * list values. The recorded types are what it reads instead.
 */
export const PAYLOAD_TYPES_METADATA_KEY = 'catalens_payload_indexes';

const FIELD_TYPES: readonly PayloadFieldType[] = ['keyword', 'keyword[]', 'float', 'integer', 'bool'];

/** The payload field types recorded in the collection's metadata (none when not recorded). */
export function recordedTypes(info: QdrantCollectionInfo): Record<string, PayloadFieldType> {
  const metadata = info.config.metadata;
  const recorded =
    metadata && typeof metadata === 'object'
      ? (metadata as Record<string, unknown>)[PAYLOAD_TYPES_METADATA_KEY]
      : undefined;
  if (!recorded || typeof recorded !== 'object') return {};
  return Object.fromEntries(
    Object.entries(recorded as Record<string, unknown>).filter(([, type]) =>
      FIELD_TYPES.includes(type as PayloadFieldType),
    ),
  ) as Record<string, PayloadFieldType>;
}

/**
 * The metadata to write so that `recordedTypes` gives the spec's types (types recorded for fields
 * the spec does not index are kept), or null when it already does.
 */
export function payloadTypesMetadata(
  info: QdrantCollectionInfo,
  spec: CollectionSpec,
): Record<string, Record<string, PayloadFieldType>> | null {
  const recorded = recordedTypes(info);
  const current = Object.entries(spec.payloadIndexes).every(([key, type]) => recorded[key] === type);
  return current ? null : { [PAYLOAD_TYPES_METADATA_KEY]: { ...recorded, ...spec.payloadIndexes } };
}

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
  const recorded = recordedTypes(info);
  for (const [key, type] of Object.entries(spec.payloadIndexes)) {
    const existing = info.payload_schema[key]?.data_type;
    if (existing !== undefined && existing !== QDRANT_INDEX_TYPES[type])
      problems.push(`payload field "${key}" is indexed as ${existing}, requested ${type}`);
    else if (recorded[key] !== undefined && recorded[key] !== type)
      problems.push(`payload field "${key}" is declared ${recorded[key]}, requested ${type}`);
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

/**
 * Rebuilds a spec from collection info: each index's type as recorded by `ensureCollection`, or,
 * where none was recorded (a collection no current adapter ensured), as Qdrant reports it, which
 * reads a list-valued keyword field as `keyword`.
 */
export function specFromInfo(info: QdrantCollectionInfo): CollectionSpec {
  const spec: CollectionSpec = { vectors: {}, payloadIndexes: {} };
  const recorded = recordedTypes(info);
  for (const [k, v] of Object.entries(namedVectors(info) ?? {})) spec.vectors[k] = { size: v.size };
  for (const [key, index] of Object.entries(info.payload_schema)) {
    const type = index?.data_type;
    const declared = recorded[key];
    if (declared !== undefined && QDRANT_INDEX_TYPES[declared] === type) spec.payloadIndexes[key] = declared;
    else if (type === 'keyword' || type === 'float' || type === 'integer' || type === 'bool')
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
