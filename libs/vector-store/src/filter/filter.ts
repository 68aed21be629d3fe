import { z } from 'zod';
import { VectorStoreInputError } from '../errors';
import type { Payload, PayloadFieldType } from '../vector-store.port';

/**
 * A small typed filter, modelled on Qdrant's: a point passes when every `must` condition holds,
 * at least one `should` condition holds (when there are any) and no `mustNot` condition holds.
 * Empty lists impose nothing. Conditions on a `keyword[]` field hold when any element does.
 */
export interface Filter {
  must?: readonly Condition[];
  should?: readonly Condition[];
  mustNot?: readonly Condition[];
}

export type Condition = MatchCondition | MatchAnyCondition | RangeCondition | IsNullCondition | Filter;

export interface MatchCondition {
  key: string;
  match: string | number | boolean;
}
export interface MatchAnyCondition {
  key: string;
  matchAny: readonly (string | number)[];
}
export interface RangeCondition {
  key: string;
  range: { gt?: number; gte?: number; lt?: number; lte?: number };
}
/** Holds when the field is missing, null, or an empty list (Qdrant's `is_empty`). */
export interface IsNullCondition {
  key: string;
  isNull: true;
}

export const MAX_FILTER_DEPTH = 6;
export const MAX_FILTER_CONDITIONS = 256;
export const MAX_MATCH_ANY_VALUES = 512;
export const MAX_KEYWORD_LENGTH = 512;

const keyword = z.string().min(1).max(MAX_KEYWORD_LENGTH);
const finite = z.number().finite();
const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ key: z.string(), match: z.union([keyword, finite, z.boolean()]) }),
    z.strictObject({
      key: z.string(),
      matchAny: z.array(z.union([keyword, finite])).max(MAX_MATCH_ANY_VALUES),
    }),
    z.strictObject({
      key: z.string(),
      range: z
        .strictObject({
          gt: finite.optional(),
          gte: finite.optional(),
          lt: finite.optional(),
          lte: finite.optional(),
        })
        .refine(
          (r) => Object.values(r).some((v) => v !== undefined),
          'a range needs at least one of gt, gte, lt, lte',
        ),
    }),
    z.strictObject({ key: z.string(), isNull: z.literal(true) }),
    filterSchema,
  ]),
);
const filterSchema: z.ZodType<Filter> = z.strictObject({
  must: z.array(conditionSchema).optional(),
  should: z.array(conditionSchema).optional(),
  mustNot: z.array(conditionSchema).optional(),
});

export const isFieldCondition = (c: Condition): c is Exclude<Condition, Filter> => 'key' in c;

/**
 * Checks a filter's shape and that every condition names an indexed field with an operator its
 * type supports. Throws `VectorStoreInputError` naming the offending path.
 */
export function validateFilter(
  filter: unknown,
  indexes: Record<string, PayloadFieldType>,
  path = 'filter',
): Filter {
  const parsed = filterSchema.safeParse(filter);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = [path, ...issue.path.map(String)].join('.');
    throw new VectorStoreInputError(
      where,
      `${issue.message} (see the Filter type: must/should/mustNot of conditions)`,
    );
  }
  let conditions = 0;
  const visit = (f: Filter, at: string, depth: number): void => {
    if (depth > MAX_FILTER_DEPTH) {
      throw new VectorStoreInputError(at, `filters nest at most ${MAX_FILTER_DEPTH} levels deep`);
    }
    for (const clause of ['must', 'should', 'mustNot'] as const) {
      f[clause]?.forEach((c, i) => {
        const here = `${at}.${clause}[${i}]`;
        if (++conditions > MAX_FILTER_CONDITIONS) {
          throw new VectorStoreInputError(here, `a filter holds at most ${MAX_FILTER_CONDITIONS} conditions`);
        }
        if (isFieldCondition(c)) checkCondition(c, indexes, here);
        else visit(c, here, depth + 1);
      });
    }
  };
  visit(parsed.data, path, 1);
  return parsed.data;
}

function checkCondition(
  c: Exclude<Condition, Filter>,
  indexes: Record<string, PayloadFieldType>,
  at: string,
): void {
  const type = indexes[c.key];
  if (!type) {
    const known = Object.keys(indexes).join(', ') || 'none';
    throw new VectorStoreInputError(
      `${at}.key`,
      `"${c.key}" is not an indexed payload field (indexed: ${known})`,
    );
  }
  const refuse = (what: string): never => {
    throw new VectorStoreInputError(at, `${what} cannot be used on "${c.key}", a ${type} field`);
  };
  if ('match' in c) {
    const ok =
      ((type === 'keyword' || type === 'keyword[]') && typeof c.match === 'string') ||
      (type === 'integer' && Number.isSafeInteger(c.match)) ||
      (type === 'bool' && typeof c.match === 'boolean');
    if (!ok) refuse(`match ${JSON.stringify(c.match)}`);
  } else if ('matchAny' in c) {
    const element = (v: string | number): boolean =>
      type === 'integer'
        ? Number.isSafeInteger(v)
        : (type === 'keyword' || type === 'keyword[]') && typeof v === 'string';
    if (!c.matchAny.every(element)) refuse(`matchAny ${JSON.stringify(c.matchAny).slice(0, 80)}`);
  } else if ('range' in c) {
    if (type !== 'float' && type !== 'integer') refuse('range');
  }
}

/** Reads a payload value the way filters see it: missing, null and [] are all "no value". */
export function payloadValues(payload: Payload, key: string): unknown[] {
  const value = payload[key];
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Evaluates a (validated) filter against one payload: the reference semantics both adapters follow. */
export function matchesFilter(filter: Filter, payload: Payload): boolean {
  const holds = (c: Condition): boolean =>
    isFieldCondition(c) ? conditionHolds(c, payload) : matchesFilter(c, payload);
  if (filter.must && !filter.must.every(holds)) return false;
  if (filter.should && filter.should.length > 0 && !filter.should.some(holds)) return false;
  if (filter.mustNot && filter.mustNot.some(holds)) return false;
  return true;
}

function conditionHolds(c: Exclude<Condition, Filter>, payload: Payload): boolean {
  const values = payloadValues(payload, c.key);
  if ('isNull' in c) return values.length === 0;
  if ('match' in c) return values.some((v) => v === c.match);
  if ('matchAny' in c) return values.some((v) => c.matchAny.includes(v as string | number));
  const { gt, gte, lt, lte } = c.range;
  return values.some(
    (v) =>
      typeof v === 'number' &&
      (gt === undefined || v > gt) &&
      (gte === undefined || v >= gte) &&
      (lt === undefined || v < lt) &&
      (lte === undefined || v <= lte),
  );
}
