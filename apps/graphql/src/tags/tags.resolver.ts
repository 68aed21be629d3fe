import {
  CatalogStatsRepository,
  ItemQueryRepository,
  Roles,
  type ApiKeyPrincipal,
  type TagAction,
} from '@catalens/db';
import { canonicalTerm } from '@catalens/semantics';
import { Inject, UseGuards } from '@nestjs/common';
import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { Principal } from '../auth/request-context';
import { apiError, checkPageSize } from '../common/api-errors';
import { GRAPHQL_CONFIG, type GraphqlConfig } from '../config';
import { toItem } from '../items/items.resolver';
import { VocabularyService } from '../vocabulary/vocabulary.service';
import { TagChangeArgs, TagSuggestionsArgs } from './dto/tag-change.args';
import { ReviewEntry } from './models/review.model';
import { TagChangeResult, TagSuggestion } from './models/tag-change.model';
import { TAG_WORD, TagCurationService } from './tag-curation.service';

/** Merchandiser feedback on tags (role `curate`), and tag autocomplete for anyone who searches. */
@Resolver()
@UseGuards(ApiKeyGuard)
@Roles('curate', 'admin')
export class TagsResolver {
  constructor(
    @Inject(GRAPHQL_CONFIG) private readonly config: GraphqlConfig,
    private readonly curation: TagCurationService,
    private readonly stats: CatalogStatsRepository,
    private readonly vocabulary: VocabularyService,
    private readonly items: ItemQueryRepository,
  ) {}

  @Query(() => [ReviewEntry], {
    description: 'Automatic tags awaiting a decision, least confident first (the dashboard’s review queue)',
  })
  async reviewQueue(
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Principal() principal: ApiKeyPrincipal,
  ): Promise<ReviewEntry[]> {
    checkPageSize(first, this.config.GRAPHQL_MAX_PAGE_SIZE);
    const pending = await this.items.pendingSuggestions(principal.tenantId, first);
    const rows = await this.items.byIds(principal.tenantId, [...new Set(pending.map((p) => p.itemId))]);
    return pending.flatMap((p) => {
      const item = rows.get(p.itemId);
      return item ? [{ item: toItem(item), word: p.word, score: p.score }] : [];
    });
  }

  private async change(action: TagAction, args: TagChangeArgs, principal: ApiKeyPrincipal) {
    const outcome = await this.curation.apply(principal.tenantId, action, args.itemIds, args.words);
    return { ...outcome, items: outcome.items.map(toItem) };
  }

  @Mutation(() => TagChangeResult, {
    description: 'Accepts suggested (or rejected) tags; items without the word are left alone',
  })
  acceptTags(@Args() args: TagChangeArgs, @Principal() principal: ApiKeyPrincipal) {
    return this.change('accept', args, principal);
  }

  @Mutation(() => TagChangeResult, {
    description:
      'Rejects the words on every item given, suggested or not: re-embedding never suggests them again',
  })
  rejectTags(@Args() args: TagChangeArgs, @Principal() principal: ApiKeyPrincipal) {
    return this.change('reject', args, principal);
  }

  @Mutation(() => TagChangeResult, { description: 'Adds accepted tags (MANUAL where not suggested)' })
  addTags(@Args() args: TagChangeArgs, @Principal() principal: ApiKeyPrincipal) {
    return this.change('add', args, principal);
  }

  @Mutation(() => TagChangeResult, {
    description: 'Removes the words: MANUAL tags are deleted, AUTO ones rejected so they do not come back',
  })
  removeTags(@Args() args: TagChangeArgs, @Principal() principal: ApiKeyPrincipal) {
    return this.change('remove', args, principal);
  }

  @Query(() => [TagSuggestion], {
    description:
      'Tag words starting with `prefix`: those in use (most used first), then unused vocabulary terms',
  })
  @Roles('search', 'curate', 'admin')
  async tagSuggestions(
    @Args() args: TagSuggestionsArgs,
    @Principal() principal: ApiKeyPrincipal,
  ): Promise<TagSuggestion[]> {
    checkPageSize(args.first, this.config.GRAPHQL_MAX_PAGE_SIZE);
    const prefix = canonicalTerm(args.prefix);
    // Only word characters: the prefix goes into a LIKE pattern, where % and _ are wildcards.
    if (!TAG_WORD.test(prefix))
      throw apiError(
        'BAD_USER_INPUT',
        'prefix: 1 to 64 letters, digits, spaces, hyphens or apostrophes',
        'prefix',
      );
    const [used, { vocabulary }] = await Promise.all([
      this.stats.tagWords(principal.tenantId, prefix, args.first),
      this.vocabulary.resolve(principal.tenantId),
    ]);
    const seen = new Set(used.map((u) => u.word));
    const unused = vocabulary.terms
      .map((t) => t.term)
      .filter((term) => term.startsWith(prefix) && !seen.has(term))
      .sort();
    return [
      ...used.map((u) => ({ word: u.word, items: u.items, inVocabulary: vocabulary.has(u.word) })),
      ...unused.map((word) => ({ word, items: 0, inVocabulary: true })),
    ].slice(0, args.first);
  }
}
