import { isUuid } from '@catalens/contracts';
import { productUrl } from '@catalens/indexing';
import { ItemQueryRepository, type ApiKeyPrincipal, type StoredItem, Roles } from '@catalens/db';
import { Inject, UseGuards } from '@nestjs/common';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { Principal, type RequestContext } from '../auth/request-context';
import { apiError, checkPageSize } from '../common/api-errors';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { GRAPHQL_CONFIG, type GraphqlConfig } from '../config';
import { ItemArgs, ItemsArgs } from './dto/items.args';
import { ItemConnection } from './models/item-connection.model';
import { Item, type ItemStatus } from './models/item.model';
import { Tag, type TagSource, type TagState } from './models/tag.model';
import { ThumbnailSigner } from '../thumbnails/thumbnail-signer';

export function toItem(item: StoredItem): Item {
  return {
    id: item.id,
    externalId: item.externalId,
    title: item.title,
    description: item.description,
    category: item.category,
    price: item.price,
    currency: item.currency,
    attributes: item.attributes,
    url: productUrl(item.attributes),
    status: item.status as ItemStatus,
    failureReason: item.failureReason,
    duplicateOf: item.duplicateOfId,
    modelVersion: item.modelVersion,
    indexedAt: item.indexedAt,
    createdAt: item.createdAt,
    contentHash: item.contentHash,
  };
}

@Resolver(() => Item)
@UseGuards(ApiKeyGuard)
@Roles('search', 'curate', 'admin')
export class ItemsResolver {
  constructor(
    private readonly repository: ItemQueryRepository,
    @Inject(GRAPHQL_CONFIG) private readonly config: GraphqlConfig,
    private readonly signer: ThumbnailSigner,
  ) {}

  @Query(() => Item, { nullable: true, description: 'One item by id or externalId; null when there is none' })
  async item(@Args() args: ItemArgs, @Principal() principal: ApiKeyPrincipal): Promise<Item | null> {
    if ((args.id === undefined) === (args.externalId === undefined))
      throw apiError('BAD_USER_INPUT', 'pass exactly one of id or externalId', 'id');
    if (args.id !== undefined) {
      if (!isUuid(args.id)) throw apiError('BAD_USER_INPUT', 'id: expected an item id (UUID)', 'id');
      const found = (await this.repository.byIds(principal.tenantId, [args.id])).get(args.id);
      return found ? toItem(found) : null;
    }
    const found = await this.repository.byExternalId(principal.tenantId, args.externalId!);
    return found ? toItem(found) : null;
  }

  @Query(() => ItemConnection, { description: 'The tenant’s items, newest first' })
  async items(@Args() args: ItemsArgs, @Principal() principal: ApiKeyPrincipal): Promise<ItemConnection> {
    checkPageSize(args.first, this.config.GRAPHQL_MAX_PAGE_SIZE);
    const after = args.after != null ? decodeCursor(args.after) : undefined;
    const page = await this.repository.page(principal.tenantId, args.filter ?? {}, args.first, after);
    const edges = page.items.map((item) => ({ cursor: encodeCursor(item), node: toItem(item) }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNext, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: page.total,
    };
  }

  @ResolveField(() => String, {
    nullable: true,
    description:
      'The normalized image (≤ 512 px), behind a signed link valid for about a day: usable in <img> without a key',
  })
  thumbnailUrl(@Parent() item: Item, @Context() ctx: RequestContext): string | null {
    if (!item.contentHash) return null;
    const base = this.config.PUBLIC_URL ?? `${ctx.req.protocol}://${ctx.req.get('host')}`;
    return `${base.replace(/\/$/, '')}${this.signer.path(item.id, item.contentHash)}`;
  }

  @ResolveField(() => [Tag])
  async tags(
    @Parent() item: Item,
    @Principal() principal: ApiKeyPrincipal,
    @Context() ctx: RequestContext,
  ): Promise<Tag[]> {
    const rows = await ctx.loaders.tagsOf(principal.tenantId).load(item.id);
    return rows.map((t) => ({
      word: t.word,
      score: t.score,
      source: t.source as TagSource,
      state: t.state as TagState,
    }));
  }
}
