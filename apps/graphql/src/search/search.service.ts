import { isUuid, pointId } from '@catalens/contracts';
import { ItemQueryRepository, type ItemSearchFilter, type StoredItem } from '@catalens/db';
import { VISUAL, cardOf, type PayloadCard } from '@catalens/indexing';
import {
  CollectionNotFoundError,
  VECTOR_STORE,
  VectorStoreInputError,
  VectorStoreUnavailableError,
  type ScoredPoint,
  type VectorInput,
  type SearchRequest,
  type VectorStore,
} from '@catalens/vector-store';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { apiError, checkPageSize } from '../common/api-errors';
import { GRAPHQL_CONFIG, type GraphqlConfig } from '../config';
import type { QueryVector } from '../query-images/query-image-encoder';
import { storeFilter } from './search-filter';

export interface Hit {
  item: StoredItem;
  score: number;
  tags: string[];
  /** The model version that indexed the point. */
  modelVersion: string;
}

/** A hit answered from the point's card alone (no row read). */
export interface CardHit {
  card: PayloadCard;
  score: number;
  modelVersion: string;
}

/** What the caller needs of each hit: whole rows, or cards when the query selects only card fields. */
export type HitDetail = 'row' | 'card';

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
      if (!item) return [];
      const tags = (p.payload?.tags as string[] | undefined) ?? [];
      const modelVersion = typeof p.payload?.modelVersion === 'string' ? p.payload.modelVersion : '';
      return [{ item, score: p.score, tags, modelVersion }];
    });
  }

  /** What a `similarItems` query compares with. */
  async similar(
    tenantId: string,
    anchor: { itemId: string } | { image: QueryVector },
    first: number,
    filter: ItemSearchFilter,
    minScore: number | undefined,
    detail: HitDetail = 'row',
  ): Promise<Array<Hit | CardHit>> {
    checkPageSize(first, this.config.GRAPHQL_MAX_PAGE_SIZE);
    if ('itemId' in anchor) {
      const visual = await this.visualOf(tenantId, anchor.itemId);
      return this.nearest(tenantId, visual, first, filter, minScore, detail, anchor.itemId);
    }
    const { image } = anchor;
    let hits: Array<Hit | CardHit>;
    try {
      hits = await this.nearest(tenantId, image.vector, first, filter, minScore, detail);
    } catch (error) {
      if (!(error instanceof VectorStoreInputError)) throw error;
      throw this.otherModel(image.modelId, error.message);
    }
    // Vectors of another image model are not comparable, even when their sizes agree.
    const served = hits.find((h) => !h.modelVersion.startsWith(`${image.modelId}+`));
    if (served) throw this.otherModel(image.modelId, `the index serves ${served.modelVersion}`);
    return hits;
  }

  private otherModel(modelId: string, detail: string) {
    this.logger.warn(`image query with model ${modelId}: ${detail}`);
    return apiError(
      'SERVICE_UNAVAILABLE',
      `image queries need the image model of the serving index, and this server runs ${modelId} (${detail}); set MODEL_DIR as the serving embedders have it`,
    );
  }

  private async visualOf(tenantId: string, itemId: string): Promise<number[]> {
    if (!isUuid(itemId)) throw apiError('BAD_USER_INPUT', 'itemId: expected an item id (UUID)', 'itemId');
    const [point] = await this.query(() =>
      this.store.retrieve(this.config.CATALENS_COLLECTION, [pointId(tenantId, itemId)], {
        withVectors: true,
      }),
    );
    const visual = point?.vectors?.[VISUAL];
    if (visual) return visual;
    const row = (await this.items.byIds(tenantId, [itemId])).get(itemId);
    throw apiError(
      'NOT_FOUND',
      row
        ? `item ${itemId} is not searchable yet (status ${row.status}); it can be compared once indexed`
        : `no item ${itemId} in this tenant`,
      'itemId',
    );
  }

  private async nearest(
    tenantId: string,
    visual: VectorInput,
    first: number,
    filter: ItemSearchFilter,
    minScore: number | undefined,
    detail: HitDetail,
    excludeItemId?: string,
  ): Promise<Array<Hit | CardHit>> {
    const points = await this.points({
      vector: VISUAL,
      query: visual,
      limit: first,
      filter: storeFilter(tenantId, filter, excludeItemId),
      withPayload: true,
      ...(minScore !== undefined ? { scoreThreshold: minScore } : {}),
    });
    if (detail === 'card') {
      // Every point written since cards exist has one; one without (indexed earlier) means rows.
      const cards = points.map((p) => cardOf(p.payload));
      if (cards.every((c) => c !== undefined))
        return cards.map((card, i) => ({ card, score: points[i]!.score, modelVersion: card.modelVersion }));
    }
    return this.join(tenantId, points);
  }
}
