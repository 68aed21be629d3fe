import { Roles } from '@catalens/db';
import type { ApiKeyPrincipal } from '@catalens/db';
import { UseGuards } from '@nestjs/common';
import { Args, Info, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { Principal } from '../auth/request-context';
import { apiError } from '../common/api-errors';
import { toItem } from '../items/items.resolver';
import { SearchImagesArgs, SimilarItemsArgs } from './dto/search.args';
import { ScoredItem, SearchResult } from './models/search.models';
import { normalizeFilter } from './search-filter';
import { cardItem, hitDetail } from './hit-detail';
import { QueryImagesService } from '../query-images/query-images.service';
import { SearchService } from './search.service';
import { TextSearchService } from './text-search.service';

/** Offset cursors for search results: `o<offset>` in base64url, checked like any input. */
const encodeOffset = (offset: number) => Buffer.from(`o${offset}`).toString('base64url');
function decodeOffset(cursor: string | null | undefined): number {
  // GraphQL clients send an explicit null for "no cursor" as often as they leave it out.
  if (cursor === undefined || cursor === null) return 0;
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
  constructor(
    private readonly search: SearchService,
    private readonly text: TextSearchService,
    private readonly images: QueryImagesService,
  ) {}

  @Query(() => [ScoredItem], {
    description:
      'Items that look like an indexed item, an uploaded image or an image URL (pass one), most similar first',
  })
  async similarItems(
    @Args() args: SimilarItemsArgs,
    @Principal() principal: ApiKeyPrincipal,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ScoredItem[]> {
    const given = [args.itemId, args.imageId, args.imageUrl].filter((a) => a != null).length;
    if (given !== 1)
      throw apiError('BAD_USER_INPUT', 'pass exactly one of itemId, imageId or imageUrl', 'itemId');
    const anchor =
      args.itemId != null
        ? { itemId: args.itemId }
        : {
            image:
              args.imageId != null
                ? await this.images.byId(principal.tenantId, args.imageId)
                : await this.images.byUrl(args.imageUrl!),
          };
    const hits = await this.search.similar(
      principal.tenantId,
      anchor,
      args.first,
      normalizeFilter(args.filter),
      args.minScore,
      // A storefront card (title, price, thumbnail) is answered from the points: no row read.
      hitDetail(info),
    );
    return hits.map((h) => ({ item: 'card' in h ? cardItem(h.card) : toItem(h.item), score: h.score }));
  }

  @Query(() => SearchResult, { description: 'Items found by words: SEMANTIC, KEYWORD or HYBRID' })
  async searchImages(
    @Args() args: SearchImagesArgs,
    @Principal() principal: ApiKeyPrincipal,
  ): Promise<SearchResult> {
    const offset = decodeOffset(args.after);
    const { query, hits } = await this.text.searchImages(
      principal.tenantId,
      args.text,
      args.mode,
      args.first,
      offset,
      normalizeFilter(args.filter),
    );
    return {
      hits: hits.map((h) => ({ item: toItem(h.item), score: h.score, matchedTerms: h.matchedTerms })),
      endCursor: hits.length === args.first ? encodeOffset(offset + args.first) : null,
      usedTerms: query.used,
      unknownWords: query.unknown,
      ignoredWords: query.ignored,
    };
  }
}
