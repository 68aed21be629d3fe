import { isUuid, pointId } from '@catalens/contracts';
import { ItemQueryRepository, VocabularyRepository, type StoredItem } from '@catalens/db';
import { SEMANTIC, VISUAL } from '@catalens/indexing';
import {
  TENANT_VOCABULARY,
  TenantVocabularies,
  TextQueryEncoder,
  loadWordVectors,
  type WordVectors,
} from '@catalens/semantics';
import {
  CollectionNotFoundError,
  MAX_SEARCH_WINDOW,
  VECTOR_STORE,
  VectorStoreUnavailableError,
  type ScoredPoint,
  type VectorStore,
} from '@catalens/vector-store';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { apiError, checkPageSize } from '../common/api-errors';
import { GRAPHQL_CONFIG, type GraphqlConfig } from '../config';
import type { SearchFilter } from './dto/search-filter.input';
import { storeFilter } from './search-filter';

export interface Hit {
  item: StoredItem;
  score: number;
  tags: string[];
}

/** Search over the serving alias, always filtered by the caller's tenant inside the store query. */
@Injectable()
export class SearchService implements OnModuleInit {
  private readonly logger = new Logger(SearchService.name);
  private vectors!: WordVectors;
  private vocabularies!: TenantVocabularies;
  private readonly encoders = new Map<string, { encoder: TextQueryEncoder; at: number }>();

  constructor(
    @Inject(GRAPHQL_CONFIG) private readonly config: GraphqlConfig,
    @Inject(VECTOR_STORE) private readonly store: VectorStore,
    private readonly items: ItemQueryRepository,
    private readonly vocabularyRows: VocabularyRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    this.vectors = (await loadWordVectors(this.config.GLOVE_PATH)).vectors;
    this.vocabularies = new TenantVocabularies(this.vectors, this.config.SEARCH_VOCABULARY);
  }

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

  /** Hits in store order, joined with the tenant's rows (a point whose row is gone is dropped). */
  private async join(tenantId: string, points: ScoredPoint[]): Promise<Hit[]> {
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
    filter: SearchFilter | undefined,
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
    const points = await this.query(() =>
      this.store.search(alias, {
        vector: VISUAL,
        query: visual,
        limit: first,
        filter: storeFilter(tenantId, filter, itemId),
        withPayload: true,
        ...(minScore !== undefined ? { scoreThreshold: minScore } : {}),
      }),
    );
    return this.join(tenantId, points);
  }

  private async encoderFor(tenantId: string): Promise<TextQueryEncoder> {
    const cached = this.encoders.get(tenantId);
    if (cached && Date.now() - cached.at < 30_000) return cached.encoder;
    const vocabulary = this.vocabularies.resolve(await this.vocabularyRows.find(tenantId, TENANT_VOCABULARY));
    const encoder = new TextQueryEncoder(this.vectors, vocabulary);
    this.encoders.set(tenantId, { encoder, at: Date.now() });
    return encoder;
  }

  async semantic(
    tenantId: string,
    text: string,
    first: number,
    offset: number,
    filter: SearchFilter | undefined,
  ) {
    checkPageSize(first, this.config.GRAPHQL_MAX_PAGE_SIZE);
    if (text.trim().length === 0 || text.length > 500)
      throw apiError('BAD_USER_INPUT', 'text: 1 to 500 characters of search words', 'text');
    if (offset + first > MAX_SEARCH_WINDOW)
      throw apiError(
        'BAD_USER_INPUT',
        `after: results beyond the first ${MAX_SEARCH_WINDOW} are not served; refine the query`,
        'after',
      );
    const query = (await this.encoderFor(tenantId)).encode(text);
    if (!query.vector) return { query, hits: [] as Hit[] };
    const vector = query.vector;
    const points = await this.query(() =>
      this.store.search(this.config.CATALENS_COLLECTION, {
        vector: SEMANTIC,
        query: vector,
        limit: first,
        offset,
        filter: storeFilter(tenantId, filter),
        withPayload: true,
      }),
    );
    return { query, hits: await this.join(tenantId, points) };
  }
}
