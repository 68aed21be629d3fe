import { ExponentialBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import {
  CollectionMismatchError,
  CollectionNotFoundError,
  VectorStoreInputError,
  VectorStoreUnavailableError,
} from '../../errors';
import { validateFilter, type Filter } from '../../filter/filter';
import {
  validateIds,
  validateName,
  validatePoints,
  validateScroll,
  validateSearch,
  validateSpec,
} from '../../validation';
import type {
  CollectionSpec,
  DeleteSelector,
  Payload,
  PointInput,
  ScoredPoint,
  ScrollPage,
  ScrollRequest,
  SearchRequest,
  StoredPoint,
  UpsertOptions,
  VectorStore,
} from '../../vector-store.port';
import {
  QDRANT_INDEX_TYPES,
  missingIndexes,
  payloadTypesMetadata,
  shapeDifference,
  specFromInfo,
  type QdrantCollectionInfo,
} from './qdrant-collection-shape';
import { toQdrantFilter } from './qdrant-filter';

// The client ships a CommonJS build, but its type declarations sit in an ES-module package, which
// TypeScript refuses to `import` from CommonJS; requiring the CJS build keeps the real types.
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-unsafe-assignment -- typescript-eslint cannot follow resolution-mode; tsc checks these types */
const { QdrantClient } = require('@qdrant/js-client-rest') as typeof import('@qdrant/js-client-rest', {
  with: { 'resolution-mode': 'import' },
});
/* eslint-enable @typescript-eslint/no-require-imports, @typescript-eslint/no-unsafe-assignment */
type QdrantClient = InstanceType<typeof QdrantClient>;

export interface QdrantVectorStoreOptions {
  url: string;
  apiKey?: string;
  /** Per-request timeout in ms. Default 10,000. */
  timeoutMs?: number;
  /** Attempts for a call that failed with a 5xx, 429 or connection error. Default 4. */
  maxAttempts?: number;
  /** Points per upsert request. Default 256. */
  upsertBatchSize?: number;
}

/**
 * Qdrant keeps only results scoring strictly above `score_threshold` (a point scoring exactly the
 * threshold, even 1.0, is dropped), while the contract's cut is inclusive. So the adapter asks for
 * a little less and cuts exactly here. Results arrive ranked, so whatever the slack lets in sits
 * at the tail, behind every point that qualifies, and dropping it leaves exactly the points with
 * score >= threshold, up to the limit. The slack is far above float32 rounding of cosine scores
 * (about 6e-8 near 1) and far below any threshold anyone tunes.
 */
const SCORE_THRESHOLD_SLACK = 1e-5;

interface HttpFailure {
  status?: number;
  data?: { status?: { error?: string } };
}

/** The production store, on the official REST client. */
export class QdrantVectorStore implements VectorStore {
  private readonly client: QdrantClient;
  private readonly retry: RetryPolicy;
  private readonly specs = new Map<string, CollectionSpec>();
  private readonly upsertBatchSize: number;

  constructor(private readonly options: QdrantVectorStoreOptions) {
    this.client = new QdrantClient({
      url: options.url,
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      timeout: options.timeoutMs ?? 10_000,
      checkCompatibility: false,
    });
    this.retry = retry(
      handleWhen((e) => isTransient(e)),
      {
        maxAttempts: (options.maxAttempts ?? 4) - 1,
        backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }),
      },
    );
    this.upsertBatchSize = options.upsertBatchSize ?? 256;
  }

  async ensureCollection(name: string, spec: CollectionSpec): Promise<void> {
    validateName(name, 'name');
    const valid = validateSpec(spec);
    const aliases = await this.listAliases();
    if (aliases[name])
      throw new VectorStoreInputError(
        'name',
        `"${name}" is an alias; collections and aliases share one namespace`,
      );
    const { exists } = await this.call(`check collection "${name}"`, () =>
      this.client.collectionExists(name),
    );
    if (!exists) {
      await this.call(`create collection "${name}"`, () =>
        this.client.createCollection(name, {
          vectors: Object.fromEntries(
            Object.entries(valid.vectors).map(([k, { size }]) => [k, { size, distance: 'Cosine' as const }]),
          ),
          metadata: payloadTypesMetadata({ config: { params: {} }, payload_schema: {} }, valid),
        }),
      ).catch((error: unknown) => {
        // Another replica created it first: fall through to the shape check.
        if ((error as HttpFailure).status !== 409) throw error;
      });
    }
    const info = await this.readInfo(name);
    const difference = shapeDifference(info, valid);
    if (difference) throw new CollectionMismatchError(name, difference);
    // A collection made before the types were recorded (or by another client) gets them now; Qdrant
    // merges metadata by key, so replicas ensuring the same spec write the same value.
    const metadata = payloadTypesMetadata(info, valid);
    if (metadata) {
      await this.call(`record payload types of "${name}"`, () =>
        this.client.updateCollection(name, { metadata }),
      );
    }
    for (const [key, type] of missingIndexes(info, valid)) {
      const schema =
        key === valid.tenantKey ? { type: 'keyword' as const, is_tenant: true } : QDRANT_INDEX_TYPES[type];
      // Creating an index that exists with the same schema is a no-op in Qdrant, so two replicas
      // ensuring the same collection at once both succeed.
      await this.call(`index payload field "${key}" of "${name}"`, () =>
        this.client.createPayloadIndex(name, { field_name: key, field_schema: schema, wait: true }),
      );
    }
    this.specs.set(name, valid);
  }

  async listCollections(): Promise<string[]> {
    const { collections } = await this.call('list collections', () => this.client.getCollections());
    return collections.map((c) => c.name).sort();
  }

  async deleteCollection(name: string): Promise<void> {
    validateName(name, 'name');
    const pointing = Object.entries(await this.listAliases()).filter(([, target]) => target === name);
    if (pointing.length) {
      throw new VectorStoreInputError(
        'name',
        `alias ${pointing.map(([a]) => `"${a}"`).join(', ')} points at "${name}"; switch or delete it first`,
      );
    }
    const { exists } = await this.call(`check collection "${name}"`, () =>
      this.client.collectionExists(name),
    );
    if (!exists) throw new CollectionNotFoundError(name);
    await this.call(`delete collection "${name}"`, () => this.client.deleteCollection(name));
    this.specs.delete(name);
  }

  async upsert(
    collection: string,
    points: readonly PointInput[],
    options: UpsertOptions = {},
  ): Promise<void> {
    const spec = await this.specOf(collection);
    const valid = validatePoints(points, spec);
    for (let i = 0; i < valid.length; i += this.upsertBatchSize) {
      const batch = valid.slice(i, i + this.upsertBatchSize).map((p) => ({
        id: p.id,
        vector: Object.fromEntries(Object.entries(p.vectors).map(([k, v]) => [k, Array.from(v)])),
        payload: p.payload,
      }));
      await this.call(`upsert into "${collection}"`, () =>
        this.client.upsert(collection, { wait: options.wait ?? true, points: batch }),
      );
    }
  }

  async delete(collection: string, selector: DeleteSelector): Promise<void> {
    const spec = await this.specOf(collection);
    const body =
      'ids' in selector
        ? { points: validateIds(selector.ids, 'ids') }
        : { filter: toQdrantFilter(validateFilter(selector.filter, spec.payloadIndexes)) };
    if (body.points?.length === 0) return;
    await this.call(`delete from "${collection}"`, () =>
      this.client.delete(collection, { wait: true, ...body }),
    );
  }

  async retrieve(
    collection: string,
    ids: readonly string[],
    options: { withVectors?: boolean } = {},
  ): Promise<StoredPoint[]> {
    await this.specOf(collection);
    const wanted = validateIds(ids, 'ids');
    if (wanted.length === 0) return [];
    const found = await this.call(`retrieve from "${collection}"`, () =>
      this.client.retrieve(collection, {
        ids: wanted,
        with_payload: true,
        with_vector: options.withVectors ?? false,
      }),
    );
    const byId = new Map(found.map((p) => [String(p.id), p]));
    return wanted
      .filter((id) => byId.has(id))
      .map((id) => toStoredPoint(byId.get(id)!, options.withVectors ?? false));
  }

  async search(collection: string, request: SearchRequest): Promise<ScoredPoint[]> {
    const q = validateSearch(request, await this.specOf(collection));
    const { points } = await this.call(`search "${collection}"`, () =>
      this.client.query(collection, {
        query: Array.from(q.query),
        using: q.vector,
        limit: q.limit,
        offset: q.offset,
        with_payload: q.withPayload,
        ...(q.filter ? { filter: toQdrantFilter(q.filter) } : {}),
        ...(q.scoreThreshold !== undefined
          ? { score_threshold: q.scoreThreshold - SCORE_THRESHOLD_SLACK }
          : {}),
        ...(q.exact ? { params: { exact: true } } : {}),
      }),
    );
    const kept = q.scoreThreshold === undefined ? points : points.filter((p) => p.score >= q.scoreThreshold!);
    return kept.map((p) => ({
      id: String(p.id),
      score: p.score,
      ...(q.withPayload ? { payload: p.payload ?? {} } : {}),
    }));
  }

  async count(collection: string, filter?: Filter): Promise<number> {
    const spec = await this.specOf(collection);
    const qFilter = filter ? toQdrantFilter(validateFilter(filter, spec.payloadIndexes)) : undefined;
    const { count } = await this.call(`count "${collection}"`, () =>
      this.client.count(collection, { exact: true, ...(qFilter ? { filter: qFilter } : {}) }),
    );
    return count;
  }

  async scroll(collection: string, request: ScrollRequest): Promise<ScrollPage> {
    const q = validateScroll(request, await this.specOf(collection));
    const page = await this.call(`scroll "${collection}"`, () =>
      this.client.scroll(collection, {
        limit: q.limit,
        with_payload: true,
        with_vector: q.withVectors ?? false,
        ...(q.filter ? { filter: toQdrantFilter(q.filter) } : {}),
        ...(q.cursor ? { offset: q.cursor } : {}),
      }),
    );
    const next = page.next_page_offset;
    return {
      points: page.points.map((p) => toStoredPoint(p, q.withVectors ?? false)),
      nextCursor: typeof next === 'string' || typeof next === 'number' ? String(next) : null,
    };
  }

  async createAlias(alias: string, collection: string): Promise<void> {
    validateName(alias, 'alias');
    const aliases = await this.listAliases();
    if (aliases[alias])
      throw new VectorStoreInputError(
        'alias',
        `"${alias}" already exists (pointing at "${aliases[alias]}"); use switchAlias to re-point it`,
      );
    await this.pointAlias(alias, collection, false);
  }

  async switchAlias(alias: string, collection: string): Promise<void> {
    validateName(alias, 'alias');
    const aliases = await this.listAliases();
    await this.pointAlias(alias, collection, Boolean(aliases[alias]));
  }

  async deleteAlias(alias: string): Promise<void> {
    const aliases = await this.listAliases();
    if (!aliases[alias]) throw new CollectionNotFoundError(alias);
    await this.call(`delete alias "${alias}"`, () =>
      this.client.updateCollectionAliases({ actions: [{ delete_alias: { alias_name: alias } }] }),
    );
  }

  async listAliases(): Promise<Record<string, string>> {
    const { aliases } = await this.call('list aliases', () => this.client.getAliases());
    return Object.fromEntries(aliases.map((a) => [a.alias_name, a.collection_name]));
  }

  async checkHealth(): Promise<void> {
    try {
      await this.client.versionInfo();
    } catch (error) {
      throw new VectorStoreUnavailableError(
        `Qdrant at ${this.options.url} does not answer: ${describe(error)}`,
        { cause: error },
      );
    }
  }

  async close(): Promise<void> {
    // The REST client keeps no state beyond its keep-alive pool, which closes with the process.
  }

  private async pointAlias(alias: string, collection: string, replace: boolean): Promise<void> {
    validateName(collection, 'collection');
    const { exists } = await this.call(`check collection "${collection}"`, () =>
      this.client.collectionExists(collection),
    );
    if (!exists) throw new CollectionNotFoundError(collection);
    if ((await this.listCollections()).includes(alias)) {
      throw new VectorStoreInputError(
        'alias',
        `"${alias}" is a collection; collections and aliases share one namespace`,
      );
    }
    // One request with both actions: Qdrant applies them atomically.
    const actions = [
      ...(replace ? [{ delete_alias: { alias_name: alias } }] : []),
      { create_alias: { alias_name: alias, collection_name: collection } },
    ];
    await this.call(`point alias "${alias}" at "${collection}"`, () =>
      this.client.updateCollectionAliases({ actions }),
    );
  }

  private async specOf(nameOrAlias: string): Promise<CollectionSpec> {
    validateName(nameOrAlias, 'collection');
    const target = (await this.listAliases())[nameOrAlias] ?? nameOrAlias;
    const cached = this.specs.get(target);
    if (cached) return cached;
    const spec = await this.readSpec(target);
    this.specs.set(target, spec);
    return spec;
  }

  private async readSpec(name: string): Promise<CollectionSpec> {
    return specFromInfo(await this.readInfo(name));
  }

  private async readInfo(name: string): Promise<QdrantCollectionInfo> {
    return this.call(`read collection "${name}"`, () => this.client.getCollection(name));
  }

  private async call<T>(what: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await this.retry.execute(operation);
    } catch (error) {
      const failure = error as HttpFailure;
      const reason = failure.data?.status?.error ?? describe(error);
      if (failure.status === 404) throw new CollectionNotFoundError(/"([^"]+)"/.exec(what)?.[1] ?? what);
      if (
        failure.status &&
        failure.status >= 400 &&
        failure.status < 500 &&
        failure.status !== 429 &&
        failure.status !== 409
      ) {
        throw new VectorStoreInputError('qdrant', `Qdrant refused to ${what}: ${reason}`);
      }
      if (failure.status === 409) throw error;
      throw new VectorStoreUnavailableError(`could not ${what} at ${this.options.url}: ${reason}`, {
        cause: error,
      });
    }
  }
}

function toStoredPoint(
  p: { id: string | number; payload?: unknown; vector?: unknown },
  withVectors: boolean,
): StoredPoint {
  const point: StoredPoint = { id: String(p.id), payload: (p.payload ?? {}) as Payload };
  if (withVectors && p.vector && typeof p.vector === 'object' && !Array.isArray(p.vector)) {
    point.vectors = p.vector as Record<string, number[]>;
  }
  return point;
}

function isTransient(error: unknown): boolean {
  const status = (error as HttpFailure).status;
  if (typeof status === 'number') return status >= 500 || status === 429;
  // fetch rejects with a TypeError on connection failures; the client wraps timeouts.
  return error instanceof TypeError || (error as Error)?.name === 'QdrantClientTimeoutError';
}

function describe(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  return [e?.message, e?.cause?.code ?? e?.cause?.message].filter(Boolean).join(': ') || String(error);
}
