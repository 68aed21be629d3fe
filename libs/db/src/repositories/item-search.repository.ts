import { Prisma, type PrismaClient } from '../generated/prisma/client';

/** Text search configuration: English stemming, so "dresses" finds "dress". */
const CONFIG = Prisma.sql`'english'::regconfig`;

/**
 * The keyword document of the items `ids` selects: title (weight A), accepted tags (B) and
 * description (C). One statement for any number of items; run it wherever one of those changes.
 */
export function refreshSearchDocumentsSql(ids: readonly string[]): Prisma.Sql {
  return Prisma.sql`
    UPDATE items i SET search_document =
      setweight(to_tsvector(${CONFIG}, i.title), 'A') ||
      setweight(to_tsvector(${CONFIG}, coalesce((
        SELECT string_agg(t.word, ' ' ORDER BY t.word) FROM tags t
        WHERE t.item_id = i.id AND t.state = 'accepted'), '')), 'B') ||
      setweight(to_tsvector(${CONFIG}, coalesce(i.description, '')), 'C')
    WHERE i.id = ANY(${[...ids]}::uuid[])`;
}

/** Conditions a search may add; the same meaning as the vector-store filter of a search. */
export interface ItemSearchFilter {
  /** Lower-case categories, any of. */
  categories?: readonly string[];
  minPrice?: number;
  maxPrice?: number;
  /** Lower-case tags the item must all carry (not rejected). */
  allTags?: readonly string[];
  /** Lower-case tags of which the item must carry one. */
  anyTags?: readonly string[];
  /** Lower-case `attributes.availability` values (booleans read as in_stock / out_of_stock). */
  availability?: readonly string[];
}

export interface KeywordHit {
  itemId: string;
  /** `ts_rank_cd` of the item's document for the query (higher is better). */
  rank: number;
  /** Query words found in the item's document. */
  matched: string[];
}

/** Words of a query as full-text search sees them: letters and digits only, lower case. */
export function queryWords(text: string, max = 32): string[] {
  return [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, max);
}

function conditions(filter: ItemSearchFilter): Prisma.Sql[] {
  const out: Prisma.Sql[] = [];
  if (filter.categories?.length)
    out.push(Prisma.sql`lower(btrim(i.category)) = ANY(${[...filter.categories]}::text[])`);
  if (filter.minPrice !== undefined) out.push(Prisma.sql`i.price >= ${filter.minPrice}`);
  if (filter.maxPrice !== undefined) out.push(Prisma.sql`i.price <= ${filter.maxPrice}`);
  for (const tag of filter.allTags ?? [])
    out.push(Prisma.sql`EXISTS (SELECT 1 FROM tags t
      WHERE t.item_id = i.id AND t.word = ${tag} AND t.state <> 'rejected')`);
  if (filter.anyTags?.length)
    out.push(Prisma.sql`EXISTS (SELECT 1 FROM tags t
      WHERE t.item_id = i.id AND t.word = ANY(${[...filter.anyTags]}::text[]) AND t.state <> 'rejected')`);
  if (filter.availability?.length)
    out.push(Prisma.sql`(CASE jsonb_typeof(i.attributes -> 'availability')
      WHEN 'string' THEN lower(btrim(i.attributes ->> 'availability'))
      WHEN 'boolean' THEN CASE WHEN (i.attributes ->> 'availability')::boolean
        THEN 'in_stock' ELSE 'out_of_stock' END
      END) = ANY(${[...filter.availability]}::text[])`);
  return out;
}

/**
 * PostgreSQL full-text search over the items' keyword documents (GIN-indexed), always within
 * one tenant. Query words are OR-ed and ranked by cover density, so every word helps and none is
 * required.
 */
export class ItemSearchRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async keyword(
    tenantId: string,
    words: readonly string[],
    filter: ItemSearchFilter,
    limit: number,
    offset = 0,
  ): Promise<KeywordHit[]> {
    if (words.length === 0 || limit <= 0) return [];
    const query = Prisma.sql`to_tsquery(${CONFIG}, ${words.join(' | ')})`;
    const where = [
      Prisma.sql`i.tenant_id = ${tenantId}::uuid`,
      Prisma.sql`i.search_document @@ q.query`,
      ...conditions(filter),
    ];
    const rows = await this.prisma.$queryRaw<{ id: string; rank: number; matched: string[] }[]>`
      WITH q AS (SELECT ${query} AS query)
      SELECT i.id, ts_rank_cd(i.search_document, q.query)::float8 AS rank,
        ARRAY(SELECT w FROM unnest(${[...words]}::text[]) AS w
              WHERE i.search_document @@ plainto_tsquery(${CONFIG}, w)) AS matched
      FROM items i, q
      WHERE ${Prisma.join(where, ' AND ')}
      ORDER BY rank DESC, i.id
      LIMIT ${limit} OFFSET ${offset}`;
    return rows.map((r) => ({ itemId: r.id, rank: r.rank, matched: r.matched }));
  }

  /** Rebuilds the keyword documents of these items (after indexing or tag curation). */
  async refresh(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.prisma.$executeRaw(refreshSearchDocumentsSql(ids));
  }
}
