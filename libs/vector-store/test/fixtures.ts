import fc from 'fast-check';
import { v4 as uuidv4 } from 'uuid';
import type { CollectionSpec, Condition, Filter, Payload, PointInput } from '../src';

/** The shape catalens indexes items with, shrunk to small vectors so exact oracles are cheap. */
export const SPEC: CollectionSpec = {
  vectors: { visual: { size: 8 }, semantic: { size: 4 } },
  payloadIndexes: {
    tenantId: 'keyword',
    category: 'keyword',
    tags: 'keyword[]',
    price: 'float',
    stock: 'integer',
    active: 'bool',
  },
  tenantKey: 'tenantId',
};

export const TENANTS = ['t-alpha', 't-beta', "t-o'gamma"] as const;
export const CATEGORIES = ['shoe', 'sofa', 'lamp "deluxe"', 'kitchen\\sink'] as const;
export const TAGS = ['red', 'leather', 'wood', 'modern', 'vintage'] as const;

export const vectorArb = (size: number): fc.Arbitrary<number[]> =>
  fc
    .array(fc.float({ min: -1, max: 1, noNaN: true, noDefaultInfinity: true }), {
      minLength: size,
      maxLength: size,
    })
    .filter((v) => v.some((x) => Math.abs(x) > 1e-3));

export const payloadArb: fc.Arbitrary<Payload> = fc.record(
  {
    tenantId: fc.constantFrom(...TENANTS),
    category: fc.option(fc.constantFrom(...CATEGORIES), { nil: null }),
    tags: fc.subarray([...TAGS]),
    price: fc.option(fc.double({ min: 0, max: 500, noNaN: true }), { nil: null }),
    stock: fc.integer({ min: -5, max: 50 }),
    active: fc.boolean(),
    title: fc.string({ maxLength: 20 }),
  },
  { requiredKeys: ['tenantId', 'tags', 'stock', 'title'] },
);

export const pointsArb = (min: number, max: number): fc.Arbitrary<PointInput[]> =>
  fc.uniqueArray(
    fc.record({
      id: fc.uuid({ version: 4 }),
      vectors: fc.record({ visual: vectorArb(8), semantic: vectorArb(4) }),
      payload: payloadArb,
    }),
    { minLength: min, maxLength: max, selector: (p) => p.id },
  );

const leafArb: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ key: fc.constant('tenantId'), match: fc.constantFrom(...TENANTS) }),
  fc.record({ key: fc.constant('category'), matchAny: fc.subarray([...CATEGORIES]) }),
  fc.record({ key: fc.constant('tags'), match: fc.constantFrom(...TAGS) }),
  fc.record({ key: fc.constant('tags'), matchAny: fc.subarray([...TAGS], { maxLength: 3 }) }),
  fc.record({ key: fc.constant('stock'), match: fc.integer({ min: -5, max: 50 }) }),
  fc.record({ key: fc.constant('active'), match: fc.boolean() }),
  fc.record({
    key: fc.constantFrom('price', 'stock'),
    range: fc
      .record(
        {
          gt: fc.double({ min: -10, max: 510, noNaN: true }),
          lte: fc.double({ min: -10, max: 510, noNaN: true }),
        },
        { requiredKeys: [] },
      )
      .filter((r) => r.gt !== undefined || r.lte !== undefined),
  }),
  fc.record({ key: fc.constantFrom('category', 'price', 'tags'), isNull: fc.constant(true as const) }),
);

export const filterArb: fc.Arbitrary<Filter> = fc.letrec<{ filter: Filter; condition: Condition }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    leafArb,
    leafArb,
    tie('filter'),
  ),
  filter: fc.record(
    {
      must: fc.array(tie('condition'), { maxLength: 3 }),
      should: fc.array(tie('condition'), { maxLength: 3 }),
      mustNot: fc.array(tie('condition'), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  ),
})).filter;

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

export const newId = (): string => uuidv4();

/** A point with a chosen payload and a random direction. */
export function point(payload: Payload, visual?: number[]): PointInput {
  const rand = (n: number): number[] => Array.from({ length: n }, () => Math.random() * 2 - 1);
  return { id: newId(), vectors: { visual: visual ?? rand(8), semantic: rand(4) }, payload };
}

/**
 * How far a float payload value may come back from the value written: 1e-15 relative, a few
 * units in the last place. Qdrant's REST API parses JSON numbers with serde_json's default
 * (fast, not correctly rounded) algorithm, so a float that needs 16 or 17 significant digits can
 * come back 1 or 2 ulps off (measured on 1.18.3: 84 of 508 random doubles, worst 2 ulps,
 * relative 3.3e-16). Integers, and decimals of at most 15 significant digits between 1e-6 and
 * 1e15 (prices, ratings, what people type), parse exactly and come back unchanged.
 */
export const FLOAT_ROUND_TRIP_RELATIVE = 1e-15;

/** Paths where `got` differs from `want`, floats compared within `FLOAT_ROUND_TRIP_RELATIVE`. */
export function payloadDifferences(got: unknown, want: unknown, path = 'payload'): string[] {
  if (typeof want === 'number' && typeof got === 'number') {
    const close = Math.abs(got - want) <= FLOAT_ROUND_TRIP_RELATIVE * Math.max(Math.abs(got), Math.abs(want));
    return got === want || (!Number.isInteger(want) && close) ? [] : [`${path}: got ${got}, want ${want}`];
  }
  if (Array.isArray(want) && Array.isArray(got) && got.length === want.length)
    return want.flatMap((w, i) => payloadDifferences(got[i], w, `${path}[${i}]`));
  if (isObject(want) && isObject(got)) {
    const keys = [...new Set([...Object.keys(want), ...Object.keys(got)])].sort();
    return keys.flatMap((k) => payloadDifferences(got[k], want[k], `${path}.${k}`));
  }
  return Object.is(got, want) ? [] : [`${path}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
