import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import { cardItem, hitDetail } from './hit-detail';

const schema = buildSchema(`
  type Item { id: ID! externalId: String! title: String! description: String category: String
    price: Float currency: String url: String status: String thumbnailUrl: String tags: [String!]! }
  type ScoredItem { item: Item! score: Float! }
  type Query { similarItems(first: Int): [ScoredItem!]! }
`);

/** What hitDetail says for the `similarItems` field of `query`, executed as a server would. */
async function detailOf(query: string, variableValues?: Record<string, unknown>): Promise<string> {
  let seen = 'not resolved';
  const result = await graphql({
    schema,
    source: query,
    variableValues,
    rootValue: {
      similarItems: (_args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => {
        seen = hitDetail(info);
        return [];
      },
    },
  });
  expect(result.errors).toBeUndefined();
  return seen;
}

describe('hitDetail', () => {
  it('answers a storefront card (title, price, thumbnail, tags) from the points', async () => {
    expect(
      await detailOf(
        '{ similarItems { score item { __typename id externalId title category price currency url thumbnailUrl tags } } }',
      ),
    ).toBe('card');
    expect(await detailOf('{ similarItems { score } }')).toBe('card');
  });

  it('reads rows as soon as one selected field is not on the card, however it is spelled', async () => {
    expect(await detailOf('{ similarItems { item { id description } } }')).toBe('row');
    expect(await detailOf('{ similarItems { item { t: title s: status } } }')).toBe('row');
    expect(
      await detailOf(
        '{ similarItems { ...Hit } } fragment Hit on ScoredItem { item { ...Card status } } fragment Card on Item { title }',
      ),
    ).toBe('row');
    expect(
      await detailOf('{ similarItems { ... on ScoredItem { item { ... on Item { description } } } } }'),
    ).toBe('row');
    // Two selections of one response key are merged by graphql-js, so are they here.
    expect(await detailOf('{ similarItems { item { title } } similarItems { item { status } } }')).toBe(
      'row',
    );
  });

  it('follows fragments of card fields and @skip / @include with their variables', async () => {
    expect(
      await detailOf(
        '{ similarItems { ...Hit } } fragment Hit on ScoredItem { score item { ...Card } } fragment Card on Item { id title price }',
      ),
    ).toBe('card');
    const q = 'query($full: Boolean!) { similarItems { item { title description @include(if: $full) } } }';
    expect(await detailOf(q, { full: false })).toBe('card');
    expect(await detailOf(q, { full: true })).toBe('row');
  });
});

describe('cardItem', () => {
  it('maps a card to the item fields it answers, price as the row stores it (4 decimals)', () => {
    const item = cardItem({
      itemId: 'i',
      externalId: 'sku',
      title: 'Red dress',
      category: 'Dresses',
      currency: 'EUR',
      url: null,
      price: 19.123456,
      contentHash: 'h',
      modelVersion: 'm',
    });
    expect(item).toEqual({
      id: 'i',
      externalId: 'sku',
      title: 'Red dress',
      category: 'Dresses',
      currency: 'EUR',
      url: null,
      price: 19.1235,
      contentHash: 'h',
    });
  });
});
