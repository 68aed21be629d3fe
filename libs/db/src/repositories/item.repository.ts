import type { Prisma, PrismaClient } from '../generated/prisma/client';

export type ItemStatus = 'received' | 'queued' | 'indexed' | 'failed';

export interface ItemFields {
  externalId: string;
  title: string;
  description?: string | null;
  category?: string | null;
  price?: number | null;
  currency?: string | null;
  attributes?: Record<string, unknown>;
  sourceUrl?: string | null;
}

export interface ItemImageFields {
  bytes: Buffer;
  mime: string;
  width: number;
  height: number;
  contentHash: string;
  /** Signed 64-bit form of the dHash. */
  perceptualHash: bigint;
}

export interface StoredItem {
  id: string;
  tenantId: string;
  externalId: string;
  title: string;
  description: string | null;
  category: string | null;
  price: number | null;
  currency: string | null;
  attributes: Record<string, unknown>;
  sourceUrl: string | null;
  contentHash: string | null;
  duplicateOfId: string | null;
  status: ItemStatus;
  failureReason: string | null;
  modelVersion: string | null;
  createdAt: Date;
  updatedAt: Date;
  queuedAt: Date | null;
  indexedAt: Date | null;
}

export const toStoredItem = (row: Prisma.ItemGetPayload<object>): StoredItem => ({
  id: row.id,
  tenantId: row.tenantId,
  externalId: row.externalId,
  title: row.title,
  description: row.description,
  category: row.category,
  price: row.price === null ? null : Number(row.price),
  currency: row.currency,
  attributes: (row.attributes ?? {}) as Record<string, unknown>,
  sourceUrl: row.sourceUrl,
  contentHash: row.contentHash,
  duplicateOfId: row.duplicateOfId,
  status: row.status,
  failureReason: row.failureReason,
  modelVersion: row.modelVersion,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  queuedAt: row.queuedAt,
  indexedAt: row.indexedAt,
});

/** Items of one tenant. Every method takes the tenant id: no query crosses tenants. */
export class ItemRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async findByExternalId(tenantId: string, externalId: string): Promise<StoredItem | undefined> {
    const row = await this.prisma.item.findUnique({
      where: { tenantId_externalId: { tenantId, externalId } },
    });
    return row ? toStoredItem(row) : undefined;
  }

  async findManyByExternalIds(tenantId: string, externalIds: string[]): Promise<Map<string, StoredItem>> {
    const rows = await this.prisma.item.findMany({ where: { tenantId, externalId: { in: externalIds } } });
    return new Map(rows.map((r) => [r.externalId, toStoredItem(r)]));
  }

  /**
   * The closest other item of the tenant whose perceptual hash is within `maxDistance` bits.
   * A sequential scan over the tenant's hashes (bit_count of the XOR); fine to ~10⁶ items per
   * tenant, after which a multi-index hash table is the upgrade.
   */
  async findNearDuplicate(
    tenantId: string,
    perceptualHash: bigint,
    maxDistance: number,
    excludeExternalId: string,
  ): Promise<string | undefined> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT id::text AS id FROM items
      WHERE tenant_id = ${tenantId}::uuid
        AND external_id <> ${excludeExternalId}
        AND perceptual_hash IS NOT NULL
        AND bit_count((perceptual_hash # ${perceptualHash})::bit(64)) <= ${maxDistance}
      ORDER BY bit_count((perceptual_hash # ${perceptualHash})::bit(64)), created_at
      LIMIT 1`;
    return rows[0]?.id;
  }

  /**
   * Records an item (new or changed) with status `received` and its normalized image, before it
   * is produced to Kafka. Status becomes `queued` only after the broker acknowledged.
   */
  async saveReceived(
    tenantId: string,
    fields: ItemFields,
    image: ItemImageFields,
    duplicateOfId: string | null,
  ): Promise<StoredItem> {
    const data = {
      title: fields.title,
      description: fields.description ?? null,
      category: fields.category ?? null,
      price: fields.price ?? null,
      currency: fields.currency ?? null,
      attributes: (fields.attributes ?? {}) as Prisma.InputJsonValue,
      sourceUrl: fields.sourceUrl ?? null,
      contentHash: image.contentHash,
      perceptualHash: image.perceptualHash,
      duplicateOfId,
      status: 'received' as const,
      failureReason: null,
      queuedAt: null,
    };
    const imageData = {
      mime: image.mime,
      width: image.width,
      height: image.height,
      bytes: new Uint8Array(image.bytes),
    };
    const row = await this.prisma.item.upsert({
      where: { tenantId_externalId: { tenantId, externalId: fields.externalId } },
      create: { tenantId, externalId: fields.externalId, ...data, image: { create: imageData } },
      update: { ...data, image: { upsert: { create: imageData, update: imageData } } },
    });
    return toStoredItem(row);
  }

  async markQueued(tenantId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.prisma.item.updateMany({
      // Only rows still `received`: the embedder may have indexed (or failed) the item already,
      // between the broker's ack and this update.
      where: { tenantId, id: { in: ids }, status: 'received' },
      data: { status: 'queued', queuedAt: new Date() },
    });
  }

  async tagsOf(tenantId: string, itemId: string) {
    return this.prisma.tag.findMany({
      where: { tenantId, itemId },
      select: { word: true, score: true, source: true, state: true },
      orderBy: [{ score: 'desc' }, { word: 'asc' }],
    });
  }
}
