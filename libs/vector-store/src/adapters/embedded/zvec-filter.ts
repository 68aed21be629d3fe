import { isFieldCondition, type Condition, type Filter } from '../../filter/filter';
import type { PayloadFieldType } from '../../vector-store.port';

/**
 * Translates a validated `Filter` into zvec's SQL-like filter expression.
 *
 * zvec's grammar has no prefix NOT and uses SQL null semantics (`a != 'x'` is false when `a` is
 * null), while the filter language follows Qdrant (`mustNot: [match x]` keeps points without the
 * field). So negations are pushed down to the leaves (De Morgan) and every negated leaf also
 * admits "no value". Constant conditions (an empty `matchAny`) are folded away, because the
 * grammar has no TRUE/FALSE literal either.
 */
type Expr =
  { kind: 'const'; value: boolean } | { kind: 'leaf'; sql: string } | { kind: 'and' | 'or'; parts: Expr[] };

const TRUE: Expr = { kind: 'const', value: true };
const FALSE: Expr = { kind: 'const', value: false };
const leaf = (sql: string): Expr => ({ kind: 'leaf', sql });

function combine(kind: 'and' | 'or', parts: Expr[]): Expr {
  const absorbing = kind === 'and' ? false : true;
  const kept: Expr[] = [];
  for (const p of parts) {
    if (p.kind === 'const') {
      if (p.value === absorbing) return p;
      continue;
    }
    if (p.kind === kind) kept.push(...p.parts);
    else kept.push(p);
  }
  if (kept.length === 0) return kind === 'and' ? TRUE : FALSE;
  return kept.length === 1 ? kept[0]! : { kind, parts: kept };
}

/** Keyword values are stored base64url-encoded, so literals never need escaping. */
export const encodeKeyword = (value: string): string => Buffer.from(value, 'utf8').toString('base64url');

const quote = (value: string): string => `'${encodeKeyword(value)}'`;
const formatNumber = (n: number): string => String(n).replace('e+', 'e');

function literal(type: PayloadFieldType, value: string | number | boolean): string {
  if (type === 'keyword' || type === 'keyword[]') return quote(String(value));
  if (type === 'bool') return value ? 'true' : 'false';
  return formatNumber(value as number);
}

export class ZvecFilterCompiler {
  constructor(
    private readonly indexes: Record<string, PayloadFieldType>,
    /** Maps a payload key to its column name. */
    private readonly column: (key: string) => string,
  ) {}

  /** Returns the expression, `null` when the filter admits everything, `false` when it admits nothing. */
  compile(filter: Filter | undefined): string | null | false {
    if (!filter) return null;
    const expr = this.filter(filter, false);
    if (expr.kind === 'const') return expr.value ? null : false;
    return render(expr);
  }

  private filter(f: Filter, negated: boolean): Expr {
    const must = (f.must ?? []).map((c) => this.condition(c, negated));
    const should = (f.should ?? []).map((c) => this.condition(c, negated));
    const mustNot = (f.mustNot ?? []).map((c) => this.condition(c, !negated));
    if (!negated) {
      return combine('and', [...must, should.length ? combine('or', should) : TRUE, ...mustNot]);
    }
    // ¬(∧must ∧ ∨should ∧ ∧¬mustNot) = ∨¬must ∨ ∧¬should ∨ ∨mustNot
    return combine('or', [...must, should.length ? combine('and', should) : FALSE, ...mustNot]);
  }

  private condition(c: Condition, negated: boolean): Expr {
    if (!isFieldCondition(c)) return this.filter(c, negated);
    const type = this.indexes[c.key]!;
    const col = this.column(c.key);
    const isArray = type === 'keyword[]';
    const orNull = (e: Expr): Expr => combine('or', [e, leaf(`${col} IS NULL`)]);

    if ('isNull' in c) return leaf(`${col} ${negated ? 'IS NOT NULL' : 'IS NULL'}`);
    if ('match' in c) {
      const v = literal(type, c.match);
      if (isArray)
        return negated ? orNull(leaf(`${col} NOT CONTAIN_ANY (${v})`)) : leaf(`${col} CONTAIN_ANY (${v})`);
      return negated ? orNull(leaf(`${col} != ${v}`)) : leaf(`${col} = ${v}`);
    }
    if ('matchAny' in c) {
      if (c.matchAny.length === 0) return negated ? TRUE : FALSE;
      const list = `(${c.matchAny.map((v) => literal(type, v)).join(', ')})`;
      if (isArray)
        return negated ? orNull(leaf(`${col} NOT CONTAIN_ANY ${list}`)) : leaf(`${col} CONTAIN_ANY ${list}`);
      return negated ? orNull(leaf(`${col} NOT IN ${list}`)) : leaf(`${col} IN ${list}`);
    }
    const bounds = this.bounds(type, c.range);
    if (!negated)
      return combine(
        'and',
        bounds.map(([op, n]) => leaf(`${col} ${op} ${formatNumber(n)}`)),
      );
    const flipped = { '>': '<=', '>=': '<', '<': '>=', '<=': '>' } as const;
    return orNull(
      combine(
        'or',
        bounds.map(([op, n]) => leaf(`${col} ${flipped[op]} ${formatNumber(n)}`)),
      ),
    );
  }

  /** Integer columns refuse fractional literals, so fractional bounds are rounded to equivalents. */
  private bounds(
    type: PayloadFieldType,
    range: { gt?: number; gte?: number; lt?: number; lte?: number },
  ): ['>' | '>=' | '<' | '<=', number][] {
    const out: ['>' | '>=' | '<' | '<=', number][] = [];
    const int = type === 'integer';
    const clamp = (n: number): number =>
      Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));
    if (range.gt !== undefined) out.push(['>', int ? clamp(Math.floor(range.gt)) : range.gt]);
    if (range.gte !== undefined) out.push(['>=', int ? clamp(Math.ceil(range.gte)) : range.gte]);
    if (range.lt !== undefined) out.push(['<', int ? clamp(Math.ceil(range.lt)) : range.lt]);
    if (range.lte !== undefined) out.push(['<=', int ? clamp(Math.floor(range.lte)) : range.lte]);
    return out;
  }
}

function render(e: Expr): string {
  if (e.kind === 'leaf') return e.sql;
  if (e.kind === 'const') throw new Error('constant sub-expressions are folded before rendering');
  return e.parts
    .map((p) => (p.kind === 'leaf' ? p.sql : `(${render(p)})`))
    .join(e.kind === 'and' ? ' AND ' : ' OR ');
}
