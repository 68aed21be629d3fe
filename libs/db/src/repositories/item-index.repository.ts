import type { PrismaClient } from '../generated/prisma/client';
import type { ItemStatus, StoredItem } from './item.repository';
import { refreshSearchDocumentsSql } from './item-search.repository';

/** What the database knows about an item, as the embedder needs it to decide what to do. */
export interface ItemIndexState {
  id: string;
  tenantId: string;
  contentHash: string | null;
  status: ItemStatus;
  modelVersion: string | null;
}

/** Tags a merchandiser decided on, which re-embedding must respect. */
export interface CuratedTags {
  /** Words never to suggest again for this item. */
  rejected: Set<string>;
  /** Accepted or manual words: they stay on the item and in its searchable payload. */
  kept: string[];
}

/** An item as a reindex re-publishes it: its metadata and its stored, normalized image. */
export type ReindexableItem = Pick<
  StoredItem,
  | 'id'
  | 'tenantId'
  | 'externalId'
  | 'title'
  | 'description'
  | 'category'
  | 'price'
  | 'currency'
  | 'attributes'
  | 'duplicateOfId'
> & {
  contentHash: string;
  perceptualHash: bigint | null;
  image: { mime: string; width: number; height: number; bytes: Buffer };
};

export interface IndexedItem {
  itemId: string;
  /** The image that was embedded; a row whose image changed since is left alone. */
  contentHash: string;
  modelVersion: string;
  tags: readonly { word: string; score: number }[];
}

/**
 * The embedder's side of the items table: status, model version and automatic tags. Writes are
 * conditional on the content hash, so a record embedded from an older image never marks a newer
 * image as indexed.
 */
export class ItemIndexRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async states(itemIds: readonly string[]): Promise<Map<string, ItemIndexState>> {
    if (itemIds.length === 0) return new Map();
    const rows = await this.prisma.item.findMany({
      where: { id: { in: [...itemIds] } },
      select: { id: true, tenantId: true, contentHash: true, status: true, modelVersion: true },
    });
    return new Map(rows.map((r) => [r.id, r]));
  }

  async curatedTags(itemIds: readonly string[]): Promise<Map<string, CuratedTags>> {
    const out = new Map<string, CuratedTags>(itemIds.map((id) => [id, { rejected: new Set(), kept: [] }]));
    if (itemIds.length === 0) return out;
    const rows = await this.prisma.tag.findMany({
      where: {
        itemId: { in: [...itemIds] },
        OR: [{ state: { in: ['accepted', 'rejected'] } }, { source: 'manual' }],
      },
      select: { itemId: true, word: true, state: true },
      orderBy: [{ itemId: 'asc' }, { word: 'asc' }],
    });
    for (const row of rows) {
      const curated = out.get(row.itemId)!;
      if (row.state === 'rejected') curated.rejected.add(row.word);
      else curated.kept.push(row.word);
    }
    return out;
  }

  /**
   * Marks items indexed, replaces their automatic suggestions with the new ones and rebuilds
   * their keyword documents, in one transaction. Accepted, rejected and manual tags are never
   * touched.
   */
  async markIndexed(items: readonly IndexedItem[], indexedAt = new Date()): Promise<void> {
    await this.writeIndexed(items, { status: 'indexed', indexedAt, failureReason: null });
  }

  /**
   * Replaces the items' automatic suggestions and rebuilds their keyword documents, leaving their
   * status alone: a tenant's new semantic head re-tagged them from their stored vectors.
   */
  async replaceSuggestions(items: readonly IndexedItem[]): Promise<void> {
    await this.writeIndexed(items, null);
  }

  private async writeIndexed(
    items: readonly IndexedItem[],
    state: { status: 'indexed'; indexedAt: Date; failureReason: null } | null,
  ): Promise<void> {
    if (items.length === 0) return;
    const ids = items.map((i) => i.itemId);
    await this.prisma.$transaction(async (tx) => {
      const rows = await tx.item.findMany({
        where: { id: { in: ids } },
        select: { id: true, tenantId: true, contentHash: true },
      });
      const current = new Map(rows.map((r) => [r.id, r]));
      const fresh = items.filter((i) => current.get(i.itemId)?.contentHash === i.contentHash);
      if (fresh.length === 0) return;
      if (state)
        for (const item of fresh) {
          await tx.item.update({
            where: { id: item.itemId },
            data: { ...state, modelVersion: item.modelVersion },
          });
        }
      await tx.tag.deleteMany({
        where: { itemId: { in: fresh.map((i) => i.itemId) }, source: 'auto', state: 'suggested' },
      });
      await tx.tag.createMany({
        data: fresh.flatMap((item) =>
          item.tags.map((t) => ({
            tenantId: current.get(item.itemId)!.tenantId,
            itemId: item.itemId,
            word: t.word,
            score: t.score,
            source: 'auto' as const,
          })),
        ),
        // A word the merchandiser already decided on keeps its row and its state.
        skipDuplicates: true,
      });
      await tx.$executeRaw(refreshSearchDocumentsSql(fresh.map((i) => i.itemId)));
    });
  }

  /** Records why an item cannot be indexed (undecodable image, invalid record). */
  async markFailed(itemId: string, contentHash: string | null, reason: string): Promise<void> {
    await this.prisma.item.updateMany({
      where: { id: itemId, ...(contentHash ? { contentHash } : {}) },
      data: { status: 'failed', failureReason: reason.slice(0, 2000) },
    });
  }

  /** Items a reindex must cover: everything with an image that is not `failed`. */
  async countReindexable(): Promise<number> {
    return this.prisma.item.count({
      where: { status: { not: 'failed' }, contentHash: { not: null }, image: { isNot: null } },
    });
  }

  /**
   * Starts a tenant's re-embedding: its indexed items become `queued` again (they stay searchable
   * meanwhile). Returns how many; `reindexProgress` counts them back as `indexed`.
   */
  async queueTenantForReindex(tenantId: string, at: Date): Promise<number> {
    const { count } = await this.prisma.item.updateMany({
      where: { tenantId, status: 'indexed', contentHash: { not: null }, image: { isNot: null } },
      data: { status: 'queued', queuedAt: at },
    });
    return count;
  }

  /**
   * A tenant's items since `since`: indexed or failed since then, and still waiting. One
   * statement, so the three counts come from one snapshot: separate counts could straddle an
   * embedder's commit and report "nothing pending" before the just-indexed items are counted.
   */
  async reindexProgress(
    tenantId: string,
    since: Date,
  ): Promise<{ indexed: number; failed: number; pending: number }> {
    const groups = await this.prisma.item.groupBy({
      by: ['status'],
      where: {
        tenantId,
        OR: [
          { status: 'indexed', indexedAt: { gte: since } },
          { status: 'failed', updatedAt: { gte: since } },
          { status: { in: ['received', 'queued'] } },
        ],
      },
      _count: { _all: true },
    });
    const of = (...statuses: ItemStatus[]) =>
      groups.filter((g) => statuses.includes(g.status)).reduce((n, g) => n + g._count._all, 0);
    return { indexed: of('indexed'), failed: of('failed'), pending: of('received', 'queued') };
  }

  /**
   * A page of reindexable items with their stored images, in id order after `afterId`; of one
   * tenant when `tenantId` is given.
   */
  async pageForReindex(afterId: string | null, limit: number, tenantId?: string): Promise<ReindexableItem[]> {
    const rows = await this.prisma.item.findMany({
      where: {
        ...(tenantId ? { tenantId } : {}),
        status: { not: 'failed' },
        contentHash: { not: null },
        image: { isNot: null },
        ...(afterId ? { id: { gt: afterId } } : {}),
      },
      include: { image: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenantId,
      externalId: r.externalId,
      title: r.title,
      description: r.description,
      category: r.category,
      price: r.price === null ? null : Number(r.price),
      currency: r.currency,
      attributes: (r.attributes ?? {}) as Record<string, unknown>,
      contentHash: r.contentHash!,
      perceptualHash: r.perceptualHash,
      duplicateOfId: r.duplicateOfId,
      image: {
        mime: r.image!.mime,
        width: r.image!.width,
        height: r.image!.height,
        bytes: Buffer.from(r.image!.bytes),
      },
    }));
  }

  /** After an alias switch: indexed rows now name the version that serves them. */
  async setServingVersion(modelVersion: string): Promise<number> {
    const { count } = await this.prisma.item.updateMany({
      where: { status: 'indexed' },
      data: { modelVersion },
    });
    return count;
  }
}
