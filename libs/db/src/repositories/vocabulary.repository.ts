import type { PrismaClient } from '../generated/prisma/client';

/** A tenant's stored changes to a vocabulary: the shipped list it extends plus its own words. */
export interface TenantVocabularyRecord {
  name: string;
  /** Shipped vocabulary it extends (`products`, `real-estate`), or null for a list of its own. */
  base: string | null;
  words: string[];
  synonyms: Record<string, string[]>;
  stopWords: string[];
  updatedAt: Date;
}

export class VocabularyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async find(tenantId: string, name: string): Promise<TenantVocabularyRecord | undefined> {
    const row = await this.prisma.vocabulary.findUnique({ where: { tenantId_name: { tenantId, name } } });
    if (!row) return undefined;
    return {
      name: row.name,
      base: row.base,
      words: row.words,
      synonyms: (row.synonyms ?? {}) as Record<string, string[]>,
      stopWords: row.stopWords,
      updatedAt: row.updatedAt,
    };
  }

  /** Replaces the tenant's vocabulary `name` with this one (its whole list of changes). */
  async save(
    tenantId: string,
    record: Omit<TenantVocabularyRecord, 'updatedAt'>,
  ): Promise<TenantVocabularyRecord> {
    const data = {
      base: record.base,
      words: [...record.words],
      synonyms: record.synonyms,
      stopWords: [...record.stopWords],
    };
    const row = await this.prisma.vocabulary.upsert({
      where: { tenantId_name: { tenantId, name: record.name } },
      create: { tenantId, name: record.name, ...data },
      update: data,
    });
    return { ...record, updatedAt: row.updatedAt };
  }
}
