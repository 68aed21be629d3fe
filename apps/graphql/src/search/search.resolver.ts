import type { ApiKeyPrincipal } from '@catalens/db';
import { UseGuards } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { Principal } from '../auth/request-context';
import { Roles } from '../auth/roles.decorator';
import { apiError } from '../common/api-errors';
import { toItem } from '../items/items.resolver';
import { SearchImagesArgs, SimilarItemsArgs } from './dto/search.args';
import { ScoredItem, SearchResult } from './models/search.models';
import { SearchService } from './search.service';

/** Offset cursors for search results: `o<offset>` in base64url, checked like any input. */
const encodeOffset = (offset: number) => Buffer.from(`o${offset}`).toString('base64url');
function decodeOffset(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^o(\d{1,6})$/.exec(
    /^[A-Za-z0-9_-]{1,12}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString() : '',
  );
  if (!match)
    throw apiError(
      'BAD_USER_INPUT',
      'after: not a cursor of this search; pass an endCursor it returned',
      'after',
    );
  return Number(match[1]);
}

@Resolver()
@UseGuards(ApiKeyGuard)
@Roles('search', 'curate', 'admin')
export class SearchResolver {
  constructor(private readonly search: SearchService) {}

  @Query(() => [ScoredItem], { description: 'Items that look like an indexed item, most similar first' })
  async similarItems(
    @Args() args: SimilarItemsArgs,
    @Principal() principal: ApiKeyPrincipal,
  ): Promise<ScoredItem[]> {
    const hits = await this.search.similar(
      principal.tenantId,
      args.itemId,
      args.first,
      args.filter,
      args.minScore,
    );
    return hits.map((h) => ({ item: toItem(h.item), score: h.score }));
  }

  @Query(() => SearchResult, { description: 'Images described by words (SEMANTIC: GloVe space)' })
  async searchImages(
    @Args() args: SearchImagesArgs,
    @Principal() principal: ApiKeyPrincipal,
  ): Promise<SearchResult> {
    const offset = decodeOffset(args.after);
    const { query, hits } = await this.search.semantic(
      principal.tenantId,
      args.text,
      args.first,
      offset,
      args.filter,
    );
    const terms = new Set(query.used);
    return {
      hits: hits.map((h) => ({
        item: toItem(h.item),
        score: h.score,
        matchedTerms: h.tags.filter((t) => terms.has(t)),
      })),
      endCursor: hits.length === args.first ? encodeOffset(offset + args.first) : null,
      usedTerms: query.used,
      unknownWords: query.unknown,
      ignoredWords: query.ignored,
    };
  }
}
