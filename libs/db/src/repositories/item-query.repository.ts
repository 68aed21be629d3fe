import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { toStoredItem, type ItemStatus, type StoredItem } from './item.repository';

export interface ItemListFilter {
  status?: ItemStatus;
  category?: string;
}

/** Position after which a page starts: the last item of the previous page. */
export interface ItemPosition {
  createdAt: Date;
  id: string;
}

export interface TagRow {
  itemId: string;
  word: string;
  score: number | null;
  source: 'auto' | 'manual';
  state: 'suggested' | 'accepted' | 'rejected';
}

/**
 * Read side of items for the API. Every method takes the tenant id from the caller's API key:
 * no query reads another tenant's rows.
 */
export class ItemQueryRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async byIds(tenantId: string, ids: readonly string[]): Promise<Map<string, StoredItem>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.item.findMany({ where: { tenantId, id: { in: [...ids] } } });
    return new Map(rows.map((r) => [r.id, toStoredItem(r)]));
  }

  async byExternalId(tenantId: string, externalId: string): Promise<StoredItem | undefined> {
    const row = await this.prisma.item.findUnique({
      where: { tenantId_externalId: { tenantId, externalId } },
    });
    return row ? toStoredItem(row) : undefined;
  }

  /** Newest first; `limit + 1` rows are read so the caller knows whether a next page exists. */
  async page(
    tenantId: string,
    filter: ItemListFilter,
    limit: number,
    after?: ItemPosition,
  ): Promise<{ items: StoredItem[]; hasNext: boolean; total: number }> {
    const where: Prisma.ItemWhereInput = {
      tenantId,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.category ? { category: filter.category } : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.item.findMany({
        where: {
          ...where,
          ...(after
            ? {
                OR: [
                  { createdAt: { lt: after.createdAt } },
                  { createdAt: after.createdAt, id: { lt: after.id } },
                ],
              }
            : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
      }),
      this.prisma.item.count({ where }),
    ]);
    return { items: rows.slice(0, limit).map(toStoredItem), hasNext: rows.length > limit, total };
  }

  /**
   * An item's stored, normalized image with the hash it is stored under, whatever the tenant: the
   * caller has proven access another way (a signed thumbnail link).
   */
  async image(itemId: string): Promise<{ mime: string; bytes: Buffer; contentHash: string } | undefined> {
    const row = await this.prisma.item.findUnique({
      where: { id: itemId },
      select: { contentHash: true, image: { select: { mime: true, bytes: true } } },
    });
    if (!row?.image || !row.contentHash) return undefined;
    return { mime: row.image.mime, bytes: Buffer.from(row.image.bytes), contentHash: row.contentHash };
  }

  /** Automatic suggestions awaiting a decision, least confident first (the review queue). */
  async pendingSuggestions(
    tenantId: string,
    limit: number,
  ): Promise<{ itemId: string; word: string; score: number | null }[]> {
    return this.prisma.tag.findMany({
      where: { tenantId, source: 'auto', state: 'suggested' },
      select: { itemId: true, word: true, score: true },
      orderBy: [{ score: { sort: 'asc', nulls: 'first' } }, { itemId: 'asc' }, { word: 'asc' }],
      take: limit,
    });
  }

  /** Tags of many items in one query (the DataLoader batch), best score first. */
  async tagsOf(tenantId: string, itemIds: readonly string[]): Promise<Map<string, TagRow[]>> {
    const out = new Map<string, TagRow[]>(itemIds.map((id) => [id, []]));
    if (itemIds.length === 0) return out;
    const rows = await this.prisma.tag.findMany({
      where: { tenantId, itemId: { in: [...itemIds] } },
      select: { itemId: true, word: true, score: true, source: true, state: true },
      orderBy: [{ itemId: 'asc' }, { score: { sort: 'desc', nulls: 'last' } }, { word: 'asc' }],
    });
    for (const row of rows) out.get(row.itemId)?.push(row);
    return out;
  }
}
