import {
  ItemQueryRepository,
  ItemSearchRepository,
  queryWords,
  type ItemSearchFilter,
  type StoredItem,
} from '@catalens/db';
import { SEMANTIC } from '@catalens/indexing';
import type { EncodedQuery } from '@catalens/semantics';
import { MAX_SEARCH_WINDOW } from '@catalens/vector-store';
import { Inject, Injectable } from '@nestjs/common';
import { apiError, checkPageSize } from '../common/api-errors';
import { GRAPHQL_CONFIG, type GraphqlConfig } from '../config';
import { VocabularyService } from '../vocabulary/vocabulary.service';
import { SearchMode } from './models/search.models';
import { reciprocalRankFusion } from './rank-fusion';
import { storeFilter } from './search-filter';
import { SearchService } from './search.service';

/** HYBRID fuses the top this-many of each list, so its pages stay stable and deep pages cheap. */
export const HYBRID_DEPTH = 500;

export interface TextHit {
  item: StoredItem;
  score: number;
  matchedTerms: string[];
}

export interface TextSearchResult {
  query: EncodedQuery;
  hits: TextHit[];
}

/**
 * `searchImages`: SEMANTIC (the query's GloVe vector against the images' semantic vectors),
 * KEYWORD (PostgreSQL full-text over title, accepted tags and description) and HYBRID (reciprocal
 * rank fusion of both). Every mode applies the tenant and the filter inside its query.
 */
@Injectable()
export class TextSearchService {
  constructor(
    @Inject(GRAPHQL_CONFIG) private readonly config: GraphqlConfig,
    private readonly search: SearchService,
    private readonly vocabulary: VocabularyService,
    private readonly keywordIndex: ItemSearchRepository,
    private readonly items: ItemQueryRepository,
  ) {}

  async searchImages(
    tenantId: string,
    text: string,
    mode: SearchMode,
    first: number,
    offset: number,
    filter: ItemSearchFilter,
  ): Promise<TextSearchResult> {
    checkPageSize(first, this.config.GRAPHQL_MAX_PAGE_SIZE);
    if (text.trim().length === 0 || text.length > 500)
      throw apiError('BAD_USER_INPUT', 'text: 1 to 500 characters of search words', 'text');
    const window = mode === SearchMode.HYBRID ? HYBRID_DEPTH : MAX_SEARCH_WINDOW;
    if (offset + first > window)
      throw apiError(
        'BAD_USER_INPUT',
        `after: ${mode} search serves the first ${window} results only; refine the query`,
        'after',
      );
    const query = (await this.vocabulary.encoderFor(tenantId)).encode(text);
    if (mode === SearchMode.SEMANTIC)
      return { query, hits: await this.semantic(tenantId, query, first, offset, filter) };
    if (mode === SearchMode.KEYWORD)
      return { query, hits: await this.keyword(tenantId, text, first, offset, filter) };
    return { query, hits: await this.hybrid(tenantId, text, query, first, offset, filter) };
  }

  private async semantic(
    tenantId: string,
    query: EncodedQuery,
    limit: number,
    offset: number,
    filter: ItemSearchFilter,
  ): Promise<TextHit[]> {
    if (!query.vector) return [];
    const points = await this.search.points({
      vector: SEMANTIC,
      query: query.vector,
      limit,
      offset,
      filter: storeFilter(tenantId, filter),
      withPayload: true,
    });
    const terms = new Set(query.used);
    return (await this.search.join(tenantId, points)).map((h) => ({
      item: h.item,
      score: h.score,
      matchedTerms: h.tags.filter((t) => terms.has(t)),
    }));
  }

  private async keyword(
    tenantId: string,
    text: string,
    limit: number,
    offset: number,
    filter: ItemSearchFilter,
  ): Promise<TextHit[]> {
    const found = await this.keywordIndex.keyword(tenantId, queryWords(text), filter, limit, offset);
    const rows = await this.items.byIds(
      tenantId,
      found.map((f) => f.itemId),
    );
    return found.flatMap((f) => {
      const item = rows.get(f.itemId);
      return item ? [{ item, score: f.rank, matchedTerms: f.matched }] : [];
    });
  }

  private async hybrid(
    tenantId: string,
    text: string,
    query: EncodedQuery,
    first: number,
    offset: number,
    filter: ItemSearchFilter,
  ): Promise<TextHit[]> {
    const [keyword, semantic] = await Promise.all([
      this.keywordIndex.keyword(tenantId, queryWords(text), filter, HYBRID_DEPTH),
      query.vector
        ? this.search.points({
            vector: SEMANTIC,
            query: query.vector,
            limit: HYBRID_DEPTH,
            filter: storeFilter(tenantId, filter),
            withPayload: true,
          })
        : Promise.resolve([]),
    ]);
    const fused = reciprocalRankFusion([
      keyword.map((k) => ({ id: k.itemId })),
      semantic.map((p) => ({ id: String(p.payload?.itemId) })),
    ]).slice(offset, offset + first);
    const rows = await this.items.byIds(
      tenantId,
      fused.map((f) => f.id),
    );
    const terms = new Set(query.used);
    return fused.flatMap((f) => {
      const item = rows.get(f.id);
      if (!item) return [];
      const [keywordRank, semanticRank] = f.ranks;
      const tags =
        semanticRank !== undefined ? ((semantic[semanticRank - 1]!.payload?.tags as string[]) ?? []) : [];
      const matched = new Set([
        ...(keywordRank !== undefined ? keyword[keywordRank - 1]!.matched : []),
        ...tags.filter((t) => terms.has(t)),
      ]);
      return [{ item, score: f.score, matchedTerms: [...matched] }];
    });
  }
}
