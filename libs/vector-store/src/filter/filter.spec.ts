import { VectorStoreInputError } from '../errors';
import { matchesFilter, validateFilter } from './filter';

const indexes = { tenantId: 'keyword', tags: 'keyword[]', price: 'float', stock: 'integer' } as const;

describe('validateFilter', () => {
  const refused = (filter: unknown): VectorStoreInputError => {
    try {
      validateFilter(filter, indexes);
    } catch (error) {
      return error as VectorStoreInputError;
    }
    throw new Error('expected the filter to be refused');
  };

  it('names the path of an unindexed field and lists the indexed ones', () => {
    const error = refused({ must: [{ must: [{ key: 'title', match: 'x' }] }] });
    expect(error.field).toBe('filter.must[0].must[0].key');
    expect(error.message).toContain('tenantId, tags, price, stock');
  });

  it('refuses operators the field type cannot answer', () => {
    expect(refused({ must: [{ key: 'price', match: 3 }] }).field).toBe('filter.must[0]');
    expect(refused({ must: [{ key: 'stock', match: 1.5 }] }).field).toBe('filter.must[0]');
    expect(refused({ must: [{ key: 'tenantId', range: { gt: 1 } }] }).field).toBe('filter.must[0]');
  });

  it('refuses unknown clauses, empty ranges and deep nesting', () => {
    expect(refused({ filter: [] }).message).toMatch(/filter/);
    expect(refused({ must: [{ key: 'price', range: {} }] }).field).toContain('filter.must.0');
    let deep: object = { must: [{ key: 'stock', match: 1 }] };
    for (let i = 0; i < 7; i++) deep = { must: [deep] };
    expect(refused(deep).message).toContain('levels deep');
  });
});

describe('matchesFilter', () => {
  it('treats missing, null and empty lists as "no value"', () => {
    const isNull = { must: [{ key: 'tags', isNull: true as const }] };
    expect([{}, { tags: null }, { tags: [] }, { tags: ['a'] }].map((p) => matchesFilter(isNull, p))).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('keeps points without the field under mustNot', () => {
    expect(matchesFilter({ mustNot: [{ key: 'price', range: { gt: 10 } }] }, {})).toBe(true);
  });

  it('needs one should condition when there are any, none when the list is empty', () => {
    expect(matchesFilter({ should: [] }, {})).toBe(true);
    expect(matchesFilter({ should: [{ key: 'stock', match: 1 }] }, { stock: 2 })).toBe(false);
  });
});
