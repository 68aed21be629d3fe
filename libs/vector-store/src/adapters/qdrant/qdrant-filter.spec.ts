import fc from 'fast-check';
import { filterArb, payloadArb } from '../../../test/fixtures';
import { matchesFilter, payloadValues } from '../../filter/filter';
import type { Payload } from '../../vector-store.port';
import { toQdrantFilter, type QdrantCondition, type QdrantFilter } from './qdrant-filter';

/** Qdrant's documented filter semantics, evaluated on one payload (the oracle for the translation). */
function qdrantMatches(filter: QdrantFilter, payload: Payload): boolean {
  const holds = (c: QdrantCondition): boolean => {
    if ('is_empty' in c) return payloadValues(payload, c.is_empty.key).length === 0;
    if (!('key' in c)) return qdrantMatches(c, payload);
    const values = payloadValues(payload, c.key);
    if ('match' in c) {
      const m = c.match;
      return 'any' in m ? values.some((v) => m.any.includes(v as string | number)) : values.includes(m.value);
    }
    const { gt, gte, lt, lte } = c.range;
    return values.some(
      (v) =>
        typeof v === 'number' &&
        (gt === undefined || v > gt) &&
        (gte === undefined || v >= gte) &&
        (lt === undefined || v < lt) &&
        (lte === undefined || v <= lte),
    );
  };
  if (filter.must && !filter.must.every(holds)) return false;
  if (filter.should && filter.should.length > 0 && !filter.should.some(holds)) return false;
  return !(filter.must_not ?? []).some(holds);
}

describe('toQdrantFilter', () => {
  it('maps each condition to its Qdrant form, wrapping must_not field conditions in a filter', () => {
    expect(
      toQdrantFilter({
        must: [
          { key: 'tenantId', match: 't1' },
          { key: 'price', range: { gte: 1, lt: 5 } },
        ],
        should: [{ key: 'tags', matchAny: ['a', 'b'] }],
        mustNot: [{ key: 'category', isNull: true }, { must: [{ key: 'active', match: false }] }],
      }),
    ).toEqual({
      must: [
        { key: 'tenantId', match: { value: 't1' } },
        { key: 'price', range: { gte: 1, lt: 5 } },
      ],
      should: [{ key: 'tags', match: { any: ['a', 'b'] } }],
      must_not: [
        { must: [{ is_empty: { key: 'category' } }] },
        { must: [{ key: 'active', match: { value: false } }] },
      ],
    });
  });

  it('never sends a must_not field condition identical to a must condition (Qdrant 1.18.3 drops it)', () => {
    const translated = toQdrantFilter({
      must: [{ key: 'active', match: false }],
      mustNot: [{ key: 'active', match: false }],
    });

    expect(translated).toEqual({
      must: [{ key: 'active', match: { value: false } }],
      must_not: [{ must: [{ key: 'active', match: { value: false } }] }],
    });
  });

  it('wraps must_not field conditions at every depth', () => {
    expect(toQdrantFilter({ should: [{ mustNot: [{ key: 'tenantId', match: 't2' }] }] })).toEqual({
      should: [{ must_not: [{ must: [{ key: 'tenantId', match: { value: 't2' } }] }] }],
    });
  });

  it('omits empty clauses', () => {
    expect(toQdrantFilter({ must: [], should: [] })).toEqual({});
  });

  it('keeps the meaning of every filter: Qdrant semantics of the translation agree with matchesFilter', () => {
    fc.assert(
      fc.property(filterArb, fc.array(payloadArb, { minLength: 1, maxLength: 20 }), (filter, payloads) => {
        const translated = toQdrantFilter(filter);
        for (const payload of payloads)
          expect(qdrantMatches(translated, payload)).toBe(matchesFilter(filter, payload));
      }),
      { numRuns: 300, seed: 20261204 },
    );
  });
});
