import { encodeKeyword, ZvecFilterCompiler } from './zvec-filter';

const compiler = new ZvecFilterCompiler(
  { tenantId: 'keyword', tags: 'keyword[]', price: 'float', stock: 'integer', active: 'bool' },
  (key) => `f_${key}`,
);
const t1 = `'${encodeKeyword('t1')}'`;

describe('ZvecFilterCompiler', () => {
  it('renders must as AND and should as a parenthesized OR', () => {
    expect(
      compiler.compile({
        must: [{ key: 'tenantId', match: 't1' }],
        should: [
          { key: 'active', match: true },
          { key: 'stock', range: { gte: 2 } },
        ],
      }),
    ).toBe(`f_tenantId = ${t1} AND (f_active = true OR f_stock >= 2)`);
  });

  it('admits points without the field when negating, as Qdrant does', () => {
    expect(compiler.compile({ mustNot: [{ key: 'tenantId', match: 't1' }] })).toBe(
      `f_tenantId != ${t1} OR f_tenantId IS NULL`,
    );
  });

  it('negates a range into its complement plus "no value"', () => {
    expect(compiler.compile({ mustNot: [{ key: 'price', range: { gt: 1, lte: 5 } }] })).toBe(
      'f_price <= 1 OR f_price > 5 OR f_price IS NULL',
    );
  });

  it('matches list fields with CONTAIN_ANY', () => {
    expect(compiler.compile({ must: [{ key: 'tags', matchAny: ['a', 'b'] }] })).toBe(
      `f_tags CONTAIN_ANY ('${encodeKeyword('a')}', '${encodeKeyword('b')}')`,
    );
  });

  it('rounds fractional bounds on integer fields to equivalent integers', () => {
    expect(compiler.compile({ must: [{ key: 'stock', range: { gt: 2.5, lt: 7.2 } }] })).toBe(
      'f_stock > 2 AND f_stock < 8',
    );
  });

  it('folds an empty matchAny to "nothing" and its negation to "everything"', () => {
    expect(compiler.compile({ must: [{ key: 'tags', matchAny: [] }] })).toBe(false);
    expect(compiler.compile({ mustNot: [{ key: 'tags', matchAny: [] }] })).toBeNull();
    expect(
      compiler.compile({
        should: [
          { key: 'tags', matchAny: [] },
          { key: 'active', match: false },
        ],
      }),
    ).toBe('f_active = false');
  });

  it('applies De Morgan to nested filters', () => {
    expect(
      compiler.compile({
        mustNot: [
          {
            must: [{ key: 'active', match: true }],
            should: [
              { key: 'stock', match: 1 },
              { key: 'stock', match: 2 },
            ],
          },
        ],
      }),
    ).toBe(
      'f_active != true OR f_active IS NULL OR ((f_stock != 1 OR f_stock IS NULL) AND (f_stock != 2 OR f_stock IS NULL))',
    );
  });

  it('never puts quotes or backslashes from values into the expression', () => {
    const sql = compiler.compile({ must: [{ key: 'tenantId', match: `it's a "\\" test` }] }) as string;
    expect(sql).toMatch(/^f_tenantId = '[A-Za-z0-9_-]+'$/);
  });
});
