import { isFieldCondition, type Condition, type Filter } from '../../filter/filter';

/** Qdrant's filter JSON (the subset the filter language maps to). */
export interface QdrantFilter {
  must?: QdrantCondition[];
  should?: QdrantCondition[];
  must_not?: QdrantCondition[];
}
export type QdrantCondition =
  | { key: string; match: { value: string | number | boolean } | { any: (string | number)[] } }
  | { key: string; range: { gt?: number; gte?: number; lt?: number; lte?: number } }
  | { is_empty: { key: string } }
  | QdrantFilter;

/** Translates a validated `Filter`; the semantics match by construction (the language is Qdrant's). */
export function toQdrantFilter(filter: Filter): QdrantFilter {
  const out: QdrantFilter = {};
  if (filter.must?.length) out.must = filter.must.map(toQdrantCondition);
  if (filter.should?.length) out.should = filter.should.map(toQdrantCondition);
  if (filter.mustNot?.length) out.must_not = filter.mustNot.map(toQdrantCondition);
  return out;
}

function toQdrantCondition(c: Condition): QdrantCondition {
  if (!isFieldCondition(c)) return toQdrantFilter(c);
  if ('match' in c) return { key: c.key, match: { value: c.match } };
  if ('matchAny' in c) return { key: c.key, match: { any: [...c.matchAny] } };
  if ('range' in c) return { key: c.key, range: { ...c.range } };
  // `is_empty` (missing, null or []) rather than `is_null` (explicit null only): the filter
  // language treats all three as "no value", as the embedded store's columns do.
  return { is_empty: { key: c.key } };
}
