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

/**
 * Translates a validated `Filter`. The language is Qdrant's, so each clause maps one to one, with
 * one deliberate detour: every field condition under `must_not` is sent wrapped in a one-condition
 * filter (`must_not: [{ must: [c] }]`), which means the same thing.
 *
 * Why: Qdrant 1.18.3 answers a filter wrongly when a `must_not` field condition is identical to a
 * `must` or `should` condition of the same filter and the field has a payload index: it drops the
 * `must_not` condition. `{must: [active = false], must_not: [active = false]}` returns every
 * inactive point instead of none, and `{should: [tenant a, tenant b], must_not: [tenant b]}`
 * returns tenant b's points, so it breaks tenant isolation. The same filters on unindexed fields,
 * and the wrapped form on indexed ones, are answered correctly (checked against 4,000 random
 * filters over an indexed and an unindexed copy of one collection; see docs/qdrant.md). The
 * contract suite pins the behaviour for every adapter.
 */
export function toQdrantFilter(filter: Filter): QdrantFilter {
  const out: QdrantFilter = {};
  if (filter.must?.length) out.must = filter.must.map(toQdrantCondition);
  if (filter.should?.length) out.should = filter.should.map(toQdrantCondition);
  if (filter.mustNot?.length)
    out.must_not = filter.mustNot.map((c) =>
      isFieldCondition(c) ? { must: [toQdrantCondition(c)] } : toQdrantCondition(c),
    );
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
