import { toQdrantFilter } from './qdrant-filter';

describe('toQdrantFilter', () => {
  it('maps each condition to its Qdrant form', () => {
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
      must_not: [{ is_empty: { key: 'category' } }, { must: [{ key: 'active', match: { value: false } }] }],
    });
  });

  it('omits empty clauses', () => {
    expect(toQdrantFilter({ must: [], should: [] })).toEqual({});
  });
});
