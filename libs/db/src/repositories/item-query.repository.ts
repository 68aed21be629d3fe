import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { sqlPool } from '../prisma';
import { toStoredItem, type ItemStatus, type StoredItem } from './item.repository';

/**
 * The columns of StoredItem, named as its fields. Timestamps are stored without a zone and meant
 * as UTC (Prisma's convention), so they are read as UTC whatever the server's or process's zone.
 */
const ITEM_COLUMNS = `id, tenant_id AS "tenantId", external_id AS "externalId", title, description,
  category, price::float8 AS price, currency, attributes, source_url AS "sourceUrl",
  content_hash AS "contentHash", duplicate_of_id AS "duplicateOfId", status::text AS status,
  failure_reason AS "failureReason", model_version AS "modelVersion",
  created_at AT TIME ZONE 'UTC' AS "createdAt", updated_at AT TIME ZONE 'UTC' AS "updatedAt",
  queued_at AT TIME ZONE 'UTC' AS "queuedAt", indexed_at AT TIME ZONE 'UTC' AS "indexedAt"`;
const BY_IDS = `SELECT ${ITEM_COLUMNS} FROM items WHERE tenant_id = $1::uuid AND id = ANY($2::uuid[])`;

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

  /**
   * Rows by id: the join behind every search result and the item DataLoader, so the API's hottest
   * read. One plain SQL statement on Prisma's own pool: Prisma's query building and result mapping
   * cost more than the query itself (bench/RESULTS.md, bench/graphql). `ids` must be UUIDs.
   */
  async byIds(tenantId: string, ids: readonly string[]): Promise<Map<string, StoredItem>> {
    if (ids.length === 0) return new Map();
    const { rows } = await sqlPool(this.prisma).query<StoredItem>(BY_IDS, [tenantId, [...ids]]);
    return new Map(rows.map((r) => [r.id, { ...r, attributes: r.attributes ?? {} }]));
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
