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
}
