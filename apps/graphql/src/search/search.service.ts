import { isUuid, pointId } from '@catalens/contracts';
import { ItemQueryRepository, type ItemSearchFilter, type StoredItem } from '@catalens/db';
import { VISUAL } from '@catalens/indexing';
import {
  CollectionNotFoundError,
  VECTOR_STORE,
  VectorStoreUnavailableError,
  type ScoredPoint,
  type SearchRequest,
  type VectorStore,
} from '@catalens/vector-store';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { apiError, checkPageSize } from '../common/api-errors';
import { GRAPHQL_CONFIG, type GraphqlConfig } from '../config';
import { storeFilter } from './search-filter';

export interface Hit {
  item: StoredItem;
  score: number;
  tags: string[];
}

/** Search over the serving alias, always filtered by the caller's tenant inside the store query. */
@Injectable()
export class SearchService {
  private readonly logger = new Logger(SearchService.name);

  constructor(
    @Inject(GRAPHQL_CONFIG) private readonly config: GraphqlConfig,
    @Inject(VECTOR_STORE) private readonly store: VectorStore,
    private readonly items: ItemQueryRepository,
  ) {}

  /** Store errors as API errors: a missing collection means nothing is indexed yet. */
  private async query<P>(run: () => Promise<P[]>): Promise<P[]> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof CollectionNotFoundError) return [];
      if (error instanceof VectorStoreUnavailableError) {
        this.logger.warn(error.message);
        throw apiError('SERVICE_UNAVAILABLE', 'the search index is unavailable; retry shortly');
      }
      throw error;
    }
  }

  /** A vector search of the serving collection (tenant and filter are the caller's to set). */
  async points(request: SearchRequest): Promise<ScoredPoint[]> {
    return this.query(() => this.store.search(this.config.CATALENS_COLLECTION, request));
  }

  /** Hits in store order, joined with the tenant's rows (a point whose row is gone is dropped). */
  async join(tenantId: string, points: ScoredPoint[]): Promise<Hit[]> {
    const rows = await this.items.byIds(
      tenantId,
      points.map((p) => String(p.payload?.itemId)),
    );
    return points.flatMap((p) => {
      const item = rows.get(String(p.payload?.itemId));
      return item ? [{ item, score: p.score, tags: (p.payload?.tags as string[] | undefined) ?? [] }] : [];
    });
  }

  async similar(
    tenantId: string,
    itemId: string,
    first: number,
    filter: ItemSearchFilter,
    minScore: number | undefined,
  ): Promise<Hit[]> {
    checkPageSize(first, this.config.GRAPHQL_MAX_PAGE_SIZE);
    if (!isUuid(itemId)) throw apiError('BAD_USER_INPUT', 'itemId: expected an item id (UUID)', 'itemId');
    const alias = this.config.CATALENS_COLLECTION;
    const [point] = await this.query(() =>
      this.store.retrieve(alias, [pointId(tenantId, itemId)], { withVectors: true }),
    );
    const visual = point?.vectors?.[VISUAL];
    if (!visual) {
      const row = (await this.items.byIds(tenantId, [itemId])).get(itemId);
      throw apiError(
        'NOT_FOUND',
        row
          ? `item ${itemId} is not searchable yet (status ${row.status}); it can be compared once indexed`
          : `no item ${itemId} in this tenant`,
        'itemId',
      );
    }
    const points = await this.points({
      vector: VISUAL,
      query: visual,
      limit: first,
      filter: storeFilter(tenantId, filter, itemId),
      withPayload: true,
      ...(minScore !== undefined ? { scoreThreshold: minScore } : {}),
    });
    return this.join(tenantId, points);
  }
}
