import type { PrismaClient } from '../generated/prisma/client';
import type { ItemStatus } from './item.repository';

export interface CatalogStats {
  itemsByStatus: Record<ItemStatus, number>;
  /** Automatic tags by state, and manual ones. */
  tags: { suggested: number; accepted: number; rejected: number; manual: number };
  /** Indexed items per model version, most items first. */
  modelVersions: { modelVersion: string; items: number }[];
}

export interface TagWordCount {
  word: string;
  /** Items carrying the word (not rejected). */
  items: number;
}

/** Aggregates over one tenant's catalog for dashboards. */
export class CatalogStatsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async stats(tenantId: string): Promise<CatalogStats> {
    const [statuses, tagStates, manual, versions] = await Promise.all([
      this.prisma.item.groupBy({ by: ['status'], where: { tenantId }, _count: { _all: true } }),
      this.prisma.tag.groupBy({
        by: ['state'],
        where: { tenantId, source: 'auto' },
        _count: { _all: true },
      }),
      this.prisma.tag.count({ where: { tenantId, source: 'manual', state: { not: 'rejected' } } }),
      this.prisma.item.groupBy({
        by: ['modelVersion'],
        where: { tenantId, status: 'indexed' },
        _count: { _all: true },
      }),
    ]);
    const itemsByStatus: Record<ItemStatus, number> = { received: 0, queued: 0, indexed: 0, failed: 0 };
    for (const s of statuses) itemsByStatus[s.status] = s._count._all;
    const tags = { suggested: 0, accepted: 0, rejected: 0, manual };
    for (const t of tagStates) tags[t.state] = t._count._all;
    return {
      itemsByStatus,
      tags,
      modelVersions: versions
        .filter((v) => v.modelVersion !== null)
        .map((v) => ({ modelVersion: v.modelVersion!, items: v._count._all }))
        .sort((a, b) => b.items - a.items || a.modelVersion.localeCompare(b.modelVersion)),
    };
  }

  /** Tag words in use that start with `prefix`, most used first (for autocomplete). */
  async tagWords(tenantId: string, prefix: string, limit: number): Promise<TagWordCount[]> {
    const rows = await this.prisma.tag.groupBy({
      by: ['word'],
      where: { tenantId, word: { startsWith: prefix }, state: { not: 'rejected' } },
      _count: { _all: true },
      orderBy: [{ _count: { word: 'desc' } }, { word: 'asc' }],
      take: limit,
    });
    return rows.map((r) => ({ word: r.word, items: r._count._all }));
  }
}
