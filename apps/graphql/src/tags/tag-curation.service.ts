import { isUuid, pointId } from '@catalens/contracts';
import { canonicalTerm } from '@catalens/semantics';
import { ItemQueryRepository, TagCurationRepository, type StoredItem, type TagAction } from '@catalens/db';
import {
  CollectionNotFoundError,
  VECTOR_STORE,
  VectorStoreUnavailableError,
  type VectorStore,
} from '@catalens/vector-store';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { apiError } from '../common/api-errors';
import { GRAPHQL_CONFIG, type GraphqlConfig } from '../config';
import { SemanticHeadsService } from '../heads/semantic-heads.service';

export const MAX_CURATED_ITEMS = 500;
export const MAX_CURATED_WORDS = 50;
/** A tag: letters or digits, then also spaces, hyphens and apostrophes; at most 64 characters. */
export const TAG_WORD = /^[\p{L}\p{N}][\p{L}\p{N}' -]{0,63}$/u;

export interface CurationOutcome {
  items: StoredItem[];
  missingIds: string[];
  changed: number;
}

/** Checked, de-duplicated ids and words of a tag mutation (lower-case, single-spaced words). */
export function checkCuration(itemIds: readonly string[], words: readonly string[]) {
  if (itemIds.length === 0 || itemIds.length > MAX_CURATED_ITEMS)
    throw apiError('BAD_USER_INPUT', `itemIds: 1 to ${MAX_CURATED_ITEMS} item ids`, 'itemIds');
  const badId = itemIds.find((id) => !isUuid(id));
  if (badId !== undefined)
    throw apiError('BAD_USER_INPUT', `itemIds: "${badId.slice(0, 60)}" is not an item id (UUID)`, 'itemIds');
  if (words.length === 0 || words.length > MAX_CURATED_WORDS)
    throw apiError('BAD_USER_INPUT', `words: 1 to ${MAX_CURATED_WORDS} tag words`, 'words');
  const normalized = words.map(canonicalTerm);
  const bad = normalized.find((w) => !TAG_WORD.test(w));
  if (bad !== undefined)
    throw apiError(
      'BAD_USER_INPUT',
      `words: "${bad.slice(0, 80)}" is not a tag; use letters, digits, spaces, hyphens or apostrophes, at most 64 characters`,
      'words',
    );
  return { itemIds: [...new Set(itemIds.map((id) => id.toLowerCase()))], words: [...new Set(normalized)] };
}

/**
 * A merchandiser's tag decisions: the database first (tags, keyword documents), then the
 * searchable payload of each indexed item, so tag filters and matchedTerms agree at once.
 * The embedder reads the same decisions whenever it (re-)embeds an item, so a rejected word never
 * comes back.
 */
@Injectable()
export class TagCurationService {
  private readonly logger = new Logger(TagCurationService.name);

  constructor(
    @Inject(GRAPHQL_CONFIG) private readonly config: GraphqlConfig,
    @Inject(VECTOR_STORE) private readonly store: VectorStore,
    private readonly curation: TagCurationRepository,
    private readonly items: ItemQueryRepository,
    private readonly heads: SemanticHeadsService,
  ) {}

  async apply(
    tenantId: string,
    action: TagAction,
    itemIds: readonly string[],
    words: readonly string[],
  ): Promise<CurationOutcome> {
    const checked = checkCuration(itemIds, words);
    const result = await this.curation.apply(tenantId, action, checked.itemIds, checked.words);
    await this.syncPayloads(tenantId, result.searchableTags);
    // Enough new decisions train the tenant's own head (SEMANTIC_HEAD_AUTOTRAIN_EVERY).
    if (result.changed > 0) void this.heads.feedbackRecorded(tenantId);
    const rows = await this.items.byIds(tenantId, result.itemIds);
    return {
      items: result.itemIds.flatMap((id) => rows.get(id) ?? []),
      missingIds: result.missingIds,
      changed: result.changed,
    };
  }

  /** Rewrites the `tags` of the items' points (items not indexed yet have none to rewrite). */
  private async syncPayloads(tenantId: string, tags: Map<string, string[]>): Promise<void> {
    if (tags.size === 0) return;
    const alias = this.config.CATALENS_COLLECTION;
    try {
      const points = await this.store.retrieve(
        alias,
        [...tags.keys()].map((id) => pointId(tenantId, id)),
        { withVectors: true },
      );
      const changed = points.filter((p) => p.vectors && p.payload.tenantId === tenantId);
      if (changed.length === 0) return;
      await this.store.upsert(
        alias,
        changed.map((p) => ({
          id: p.id,
          vectors: p.vectors!,
          payload: { ...p.payload, tags: tags.get(String(p.payload.itemId)) ?? [] },
        })),
        { wait: true },
      );
    } catch (error) {
      if (error instanceof CollectionNotFoundError) return; // nothing is indexed yet
      if (!(error instanceof VectorStoreUnavailableError)) throw error;
      this.logger.warn(error.message);
      // The decision is saved; the next embedding of these items writes it into the index.
      throw apiError(
        'SERVICE_UNAVAILABLE',
        'the tags were saved, but the search index is unavailable: tag filters see the change after the items are next indexed; retry to apply it now',
      );
    }
  }
}
