import { VectorStoreInputError } from './errors';
import { MAX_KEYWORD_LENGTH, validateFilter, type Filter } from './filter/filter';
import type {
  CollectionSpec,
  Payload,
  PayloadFieldType,
  PointInput,
  ScrollRequest,
  SearchRequest,
  VectorInput,
} from './vector-store.port';

/** Inputs both adapters refuse alike, so the contract suite can hold them to the same behaviour. */
export const MAX_UPSERT_POINTS = 10_000;
export const MAX_SEARCH_WINDOW = 10_000;
export const MAX_VECTOR_SIZE = 65_536;
export const MAX_PAYLOAD_BYTES = 64 * 1024;

const NAME = /^[a-z][a-z0-9_-]{0,62}$/;
const FIELD = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const TYPES: readonly PayloadFieldType[] = ['keyword', 'keyword[]', 'float', 'integer', 'bool'];

/** Array.isArray without narrowing, for inputs typed as arrays that callers may still get wrong. */
const isList = (value: unknown): boolean => Array.isArray(value);

export function validateName(name: unknown, field: string): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new VectorStoreInputError(
      field,
      `${JSON.stringify(name)?.slice(0, 80)} is not a valid name: use 1-63 characters a-z, 0-9, _ or -, starting with a letter`,
    );
  }
  return name;
}

export function validateSpec(spec: CollectionSpec): CollectionSpec {
  const names = Object.keys(spec?.vectors ?? {});
  if (names.length === 0)
    throw new VectorStoreInputError('spec.vectors', 'declare at least one named vector');
  for (const name of names) {
    if (!FIELD.test(name))
      throw new VectorStoreInputError(
        `spec.vectors.${name}`,
        'vector names are identifiers (A-Z, a-z, 0-9, _)',
      );
    const size = spec.vectors[name]!.size;
    if (!Number.isInteger(size) || size < 1 || size > MAX_VECTOR_SIZE) {
      throw new VectorStoreInputError(
        `spec.vectors.${name}.size`,
        `must be an integer in 1..${MAX_VECTOR_SIZE}, got ${size}`,
      );
    }
  }
  for (const [field, type] of Object.entries(spec.payloadIndexes ?? {})) {
    if (!FIELD.test(field))
      throw new VectorStoreInputError(
        `spec.payloadIndexes.${field}`,
        'payload index names are identifiers (A-Z, a-z, 0-9, _)',
      );
    if (!TYPES.includes(type))
      throw new VectorStoreInputError(
        `spec.payloadIndexes.${field}`,
        `type must be one of ${TYPES.join(', ')}`,
      );
  }
  if (spec.tenantKey !== undefined && spec.payloadIndexes?.[spec.tenantKey] !== 'keyword') {
    throw new VectorStoreInputError(
      'spec.tenantKey',
      `"${spec.tenantKey}" must be declared in payloadIndexes as a keyword field`,
    );
  }
  return {
    vectors: spec.vectors,
    payloadIndexes: spec.payloadIndexes ?? {},
    ...(spec.tenantKey ? { tenantKey: spec.tenantKey } : {}),
  };
}

/** Canonical form of a point id: lowercase, hyphenated UUID (what Qdrant returns). */
export function canonicalId(id: unknown, field: string): string {
  if (typeof id !== 'string' || !UUID.test(id)) {
    throw new VectorStoreInputError(
      field,
      `${JSON.stringify(id)?.slice(0, 60)} is not a UUID; derive ids with pointId()`,
    );
  }
  const hex = id.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function validateIds(ids: readonly unknown[], field: string): string[] {
  if (!isList(ids)) throw new VectorStoreInputError(field, 'expected a list of ids');
  return ids.map((id, i) => canonicalId(id, `${field}[${i}]`));
}

/** Checks size and finiteness and returns the unit-length vector (cosine is on directions only). */
export function unitVector(vector: VectorInput | undefined, size: number, field: string): Float32Array {
  if (!vector || typeof vector.length !== 'number')
    throw new VectorStoreInputError(field, `expected ${size} numbers`);
  if (vector.length !== size)
    throw new VectorStoreInputError(field, `expected ${size} numbers, got ${vector.length}`);
  let norm = 0;
  for (let i = 0; i < size; i++) {
    const x = vector[i]!;
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new VectorStoreInputError(`${field}[${i}]`, `${x} is not a finite number`);
    norm += x * x;
  }
  if (norm === 0)
    throw new VectorStoreInputError(field, 'the zero vector has no direction, so no cosine similarity');
  const out = new Float32Array(size);
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < size; i++) out[i] = vector[i]! * inv;
  return out;
}

export interface ValidPoint {
  id: string;
  vectors: Record<string, Float32Array>;
  payload: Payload;
}

export function validatePoints(points: readonly PointInput[], spec: CollectionSpec): ValidPoint[] {
  if (!isList(points)) throw new VectorStoreInputError('points', 'expected a list of points');
  if (points.length > MAX_UPSERT_POINTS) {
    throw new VectorStoreInputError(
      'points',
      `at most ${MAX_UPSERT_POINTS} points per upsert, got ${points.length}; split the batch`,
    );
  }
  const seen = new Set<string>();
  return points.map((p, i) => {
    const at = `points[${i}]`;
    const id = canonicalId(p?.id, `${at}.id`);
    if (seen.has(id)) throw new VectorStoreInputError(`${at}.id`, `${id} appears twice in one upsert`);
    seen.add(id);
    const vectors: Record<string, Float32Array> = {};
    for (const [name, { size }] of Object.entries(spec.vectors)) {
      vectors[name] = unitVector(p.vectors?.[name], size, `${at}.vectors.${name}`);
    }
    for (const name of Object.keys(p.vectors ?? {})) {
      if (!spec.vectors[name])
        throw new VectorStoreInputError(
          `${at}.vectors.${name}`,
          `the collection has no vector named "${name}"`,
        );
    }
    return { id, vectors, payload: validatePayload(p.payload, spec.payloadIndexes, `${at}.payload`) };
  });
}

function validatePayload(payload: unknown, indexes: Record<string, PayloadFieldType>, at: string): Payload {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new VectorStoreInputError(at, 'expected a JSON object');
  }
  const json = JSON.stringify(payload);
  if (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) {
    throw new VectorStoreInputError(
      at,
      `payload is larger than ${MAX_PAYLOAD_BYTES} bytes as JSON; keep large data in the database`,
    );
  }
  const copy = JSON.parse(json) as Payload;
  for (const [key, type] of Object.entries(indexes)) {
    const value = copy[key];
    if (value === undefined || value === null) continue;
    const bad = (expected: string): never => {
      throw new VectorStoreInputError(
        `${at}.${key}`,
        `expected ${expected} (an indexed ${type} field), got ${JSON.stringify(value).slice(0, 60)}`,
      );
    };
    const isKeyword = (v: unknown): boolean =>
      typeof v === 'string' && v.length > 0 && v.length <= MAX_KEYWORD_LENGTH;
    if (type === 'keyword' && !isKeyword(value)) bad(`a string of 1..${MAX_KEYWORD_LENGTH} characters`);
    if (type === 'keyword[]' && !(Array.isArray(value) && value.every(isKeyword)))
      bad('a list of non-empty strings');
    if (type === 'float' && !(typeof value === 'number' && Number.isFinite(value))) bad('a finite number');
    if (type === 'integer' && !Number.isSafeInteger(value)) bad('a safe integer');
    if (type === 'bool' && typeof value !== 'boolean') bad('true or false');
  }
  return copy;
}

export interface ValidSearch {
  vector: string;
  query: Float32Array;
  limit: number;
  offset: number;
  filter?: Filter;
  scoreThreshold?: number;
  withPayload: boolean;
  exact: boolean;
}

export function validateSearch(request: SearchRequest, spec: CollectionSpec): ValidSearch {
  const dims = spec.vectors[request?.vector];
  if (!dims) {
    throw new VectorStoreInputError(
      'vector',
      `the collection has no vector named ${JSON.stringify(request?.vector)}; it has ${Object.keys(spec.vectors).join(', ')}`,
    );
  }
  const limit = request.limit;
  const offset = request.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1)
    throw new VectorStoreInputError('limit', `must be a positive integer, got ${limit}`);
  if (!Number.isInteger(offset) || offset < 0)
    throw new VectorStoreInputError('offset', `must be a non-negative integer, got ${offset}`);
  if (limit + offset > MAX_SEARCH_WINDOW) {
    throw new VectorStoreInputError(
      'limit',
      `offset + limit may be at most ${MAX_SEARCH_WINDOW}; page with a filter instead`,
    );
  }
  const t = request.scoreThreshold;
  if (t !== undefined && !(Number.isFinite(t) && t >= -1 && t <= 1)) {
    throw new VectorStoreInputError('scoreThreshold', `must be a cosine similarity in [-1, 1], got ${t}`);
  }
  return {
    vector: request.vector,
    query: unitVector(request.query, dims.size, 'query'),
    limit,
    offset,
    ...(request.filter ? { filter: validateFilter(request.filter, spec.payloadIndexes) } : {}),
    ...(t !== undefined ? { scoreThreshold: t } : {}),
    withPayload: request.withPayload ?? true,
    exact: request.exact ?? false,
  };
}

export function validateScroll(
  request: ScrollRequest,
  spec: CollectionSpec,
): Required<Pick<ScrollRequest, 'limit'>> & ScrollRequest {
  const limit = request?.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_WINDOW) {
    throw new VectorStoreInputError('limit', `must be an integer in 1..${MAX_SEARCH_WINDOW}, got ${limit}`);
  }
  return {
    limit,
    ...(request.filter ? { filter: validateFilter(request.filter, spec.payloadIndexes) } : {}),
    ...(request.cursor !== undefined ? { cursor: canonicalId(request.cursor, 'cursor') } : {}),
    withVectors: request.withVectors ?? false,
  };
}

/** Structural equality of two specs, for `ensureCollection` on an existing collection. */
export function specDifference(a: CollectionSpec, b: CollectionSpec): string | null {
  const describe = (s: CollectionSpec): string =>
    JSON.stringify({
      vectors: Object.fromEntries(
        Object.entries(s.vectors)
          .sort()
          .map(([k, v]) => [k, v.size]),
      ),
      payloadIndexes: Object.fromEntries(Object.entries(s.payloadIndexes).sort()),
      tenantKey: s.tenantKey ?? null,
    });
  const [x, y] = [describe(a), describe(b)];
  return x === y ? null : `existing ${x}, requested ${y}`;
}
