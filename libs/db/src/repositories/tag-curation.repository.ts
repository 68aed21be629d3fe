import type { PrismaClient } from '../generated/prisma/client';
import { refreshSearchDocumentsSql } from './item-search.repository';

/**
 * What a merchandiser does to tags, on many items at once:
 * - `accept`: suggested or rejected tags become accepted (items without the word are unchanged);
 * - `reject`: the word is rejected on every item, suggested or not, so re-embedding never
 *   suggests it again;
 * - `add`: the word becomes an accepted tag (a manual one where it was not suggested);
 * - `remove`: manual tags are deleted and automatic ones rejected, so the word is gone for good.
 */
export type TagAction = 'accept' | 'reject' | 'add' | 'remove';

export interface CurationResult {
  /** The tenant's items among those asked for. */
  itemIds: string[];
  /** Ids asked for that are not items of this tenant (nothing was done to them). */
  missingIds: string[];
  /** Tag rows created, changed or deleted. */
  changed: number;
  /** Per item, its tags that are not rejected: what the item's searchable payload must carry. */
  searchableTags: Map<string, string[]>;
}

/**
 * Tag decisions, each in one transaction that also rebuilds the items' keyword documents.
 * Always within the caller's tenant: ids of other tenants' items are reported missing.
 */
export class TagCurationRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async apply(
    tenantId: string,
    action: TagAction,
    itemIds: readonly string[],
    words: readonly string[],
  ): Promise<CurationResult> {
    return this.prisma.$transaction(async (tx) => {
      const found = await tx.item.findMany({
        where: { tenantId, id: { in: [...itemIds] } },
        select: { id: true },
        orderBy: { id: 'asc' },
      });
      const ids = found.map((r) => r.id);
      const known = new Set(ids);
      const rows = { tenantId, itemId: { in: ids }, word: { in: [...words] } };
      const create = (state: 'accepted' | 'rejected', source: 'auto' | 'manual') =>
        tx.tag.createMany({
          data: ids.flatMap((itemId) => words.map((word) => ({ tenantId, itemId, word, state, source }))),
          skipDuplicates: true,
        });
      let changed = 0;
      if (action === 'accept' || action === 'add') {
        changed += (
          await tx.tag.updateMany({
            where: { ...rows, state: { not: 'accepted' } },
            data: { state: 'accepted' },
          })
        ).count;
        if (action === 'add') changed += (await create('accepted', 'manual')).count;
      } else if (action === 'reject') {
        changed += (
          await tx.tag.updateMany({
            where: { ...rows, state: { not: 'rejected' } },
            data: { state: 'rejected' },
          })
        ).count;
        changed += (await create('rejected', 'auto')).count;
      } else {
        changed += (await tx.tag.deleteMany({ where: { ...rows, source: 'manual' } })).count;
        changed += (
          await tx.tag.updateMany({
            where: { ...rows, source: 'auto', state: { not: 'rejected' } },
            data: { state: 'rejected' },
          })
        ).count;
      }
      if (ids.length > 0) await tx.$executeRaw(refreshSearchDocumentsSql(ids));
      const tags = await tx.tag.findMany({
        where: { tenantId, itemId: { in: ids }, state: { not: 'rejected' } },
        select: { itemId: true, word: true },
        orderBy: [{ itemId: 'asc' }, { score: { sort: 'desc', nulls: 'last' } }, { word: 'asc' }],
      });
      const searchableTags = new Map<string, string[]>(ids.map((id) => [id, []]));
      for (const t of tags) searchableTags.get(t.itemId)!.push(t.word);
      return {
        itemIds: ids,
        missingIds: [...new Set(itemIds)].filter((id) => !known.has(id)),
        changed,
        searchableTags,
      };
    });
  }

  /**
   * Training examples from merchandisers' decisions: each accepted tag (manual ones included)
   * with its item's stored image, at most `perWord` items per word, words in order.
   */
  async acceptedExamples(
    tenantId: string,
    perWord = Number.MAX_SAFE_INTEGER,
  ): Promise<{ itemId: string; word: string; image: Buffer }[]> {
    const rows = await this.prisma.tag.findMany({
      where: { tenantId, state: 'accepted', item: { image: { isNot: null } } },
      select: { itemId: true, word: true, item: { select: { image: { select: { bytes: true } } } } },
      orderBy: [{ word: 'asc' }, { itemId: 'asc' }],
    });
    const taken = new Map<string, number>();
    return rows.flatMap((r) => {
      const n = taken.get(r.word) ?? 0;
      if (n >= perWord || !r.item.image) return [];
      taken.set(r.word, n + 1);
      return [{ itemId: r.itemId, word: r.word, image: Buffer.from(r.item.image.bytes) }];
    });
  }
}
