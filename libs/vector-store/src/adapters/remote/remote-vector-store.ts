import {
  CollectionMismatchError,
  CollectionNotFoundError,
  VectorStoreInputError,
  VectorStoreUnavailableError,
} from '../../errors';
import type { Filter } from '../../filter/filter';
import type {
  CollectionSpec,
  DeleteSelector,
  PointInput,
  ScoredPoint,
  ScrollPage,
  ScrollRequest,
  SearchRequest,
  StoredPoint,
  UpsertOptions,
  VectorStore,
} from '../../vector-store.port';
import { type RemoteError, type RemoteMethod, toWire } from './remote-protocol';

export interface RemoteVectorStoreOptions {
  /** The store server, e.g. http://127.0.0.1:6343 (`catalens store serve`). */
  url: string;
  token?: string;
  /** Per call (ms); a call that takes longer counts as the store being unavailable. Default 30 s. */
  timeoutMs?: number;
}

/**
 * The VectorStore port over HTTP to a store server, for processes that share one embedded
 * store. Network failures and timeouts become VectorStoreUnavailableError (retryable); the
 * server's validation errors come back as the same typed errors an in-process store throws.
 */
export class RemoteVectorStore implements VectorStore {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: RemoteVectorStoreOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  private async call<T>(method: RemoteMethod, ...args: unknown[]): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/v1/${method}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
        },
        body: JSON.stringify({ args: toWire(args) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new VectorStoreUnavailableError(
        `vector store server ${this.base} unreachable for ${method}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    let body: { result?: T; error?: RemoteError };
    try {
      body = (await res.json()) as typeof body;
    } catch (error) {
      throw new VectorStoreUnavailableError(
        `vector store server ${this.base} answered ${res.status} without JSON`,
        {
          cause: error,
        },
      );
    }
    if (res.ok) return body.result as T;
    const e = body.error ?? { name: 'Error', message: `HTTP ${res.status}` };
    if (e.name === 'VectorStoreInputError')
      throw new VectorStoreInputError(e.field ?? '(unknown)', e.message.replace(/^[^:]*: /, ''));
    if (e.name === 'CollectionNotFoundError') throw new CollectionNotFoundError(e.collection ?? '(unknown)');
    if (e.name === 'CollectionMismatchError')
      throw Object.assign(new CollectionMismatchError(e.collection ?? '(unknown)', ''), {
        message: e.message,
      });
    if (res.status === 401) throw new Error(`vector store server refused the token: ${e.message}`);
    throw new VectorStoreUnavailableError(`vector store server ${this.base} failed ${method}: ${e.message}`);
  }

  ensureCollection(name: string, spec: CollectionSpec): Promise<void> {
    return this.call('ensureCollection', name, spec);
  }
  listCollections(): Promise<string[]> {
    return this.call('listCollections');
  }
  deleteCollection(name: string): Promise<void> {
    return this.call('deleteCollection', name);
  }
  upsert(collection: string, points: readonly PointInput[], options?: UpsertOptions): Promise<void> {
    return this.call('upsert', collection, points, options ?? {});
  }
  delete(collection: string, selector: DeleteSelector): Promise<void> {
    return this.call('delete', collection, selector);
  }
  retrieve(
    collection: string,
    ids: readonly string[],
    options?: { withVectors?: boolean },
  ): Promise<StoredPoint[]> {
    return this.call('retrieve', collection, ids, options ?? {});
  }
  search(collection: string, request: SearchRequest): Promise<ScoredPoint[]> {
    return this.call('search', collection, request);
  }
  count(collection: string, filter?: Filter): Promise<number> {
    return filter === undefined ? this.call('count', collection) : this.call('count', collection, filter);
  }
  scroll(collection: string, request: ScrollRequest): Promise<ScrollPage> {
    return this.call('scroll', collection, request);
  }
  createAlias(alias: string, collection: string): Promise<void> {
    return this.call('createAlias', alias, collection);
  }
  switchAlias(alias: string, collection: string): Promise<void> {
    return this.call('switchAlias', alias, collection);
  }
  deleteAlias(alias: string): Promise<void> {
    return this.call('deleteAlias', alias);
  }
  listAliases(): Promise<Record<string, string>> {
    return this.call('listAliases');
  }
  async checkHealth(): Promise<void> {
    await this.call('checkHealth');
  }
  /** The server owns the store; closing a client closes nothing remote. */
  async close(): Promise<void> {}
}
