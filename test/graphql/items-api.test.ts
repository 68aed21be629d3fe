import { createHash } from 'node:crypto';
import { ItemRepository, createPrismaClient } from '@catalens/db';
import { type AppProcess, startApp } from '../support/app-process';
import { type TestDatabase, freshDatabase } from '../support/databases';
import { TEST_PEPPER, seedTenant } from '../support/tenants';
import { postGraphql, type GqlResponse } from '../support/graphql';

jest.setTimeout(180_000);

describe('GraphQL items API (app as its own process, real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: AppProcess;
  let searchKey: string;
  let ingestKey: string;
  let otherKey: string;
  const ids: string[] = [];
  let otherId: string;

  const gql = (query: string, variables: object = {}, key: string | null = searchKey): Promise<GqlResponse> =>
    postGraphql(app.url, query, variables, key);
  const queriesSoFar = async (): Promise<number> => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    return [...text.matchAll(/^catalens_db_queries_total\{[^}]*\} (\d+)/gm)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
  };

  beforeAll(async () => {
    db = await freshDatabase('graphql');
    const shop = await seedTenant(db.url, 'shop', [['search'], ['ingest']]);
    [searchKey, ingestKey] = shop.keys as [string, string];
    const other = await seedTenant(db.url, 'other', [['search']]);
    otherKey = other.keys[0]!;
    const prisma = createPrismaClient({ url: db.url, poolSize: 2 });
    const items = new ItemRepository(prisma);
    const save = async (tenantId: string, n: number) => {
      const bytes = Buffer.from(`image ${tenantId} ${n}`);
      const row = await items.saveReceived(
        tenantId,
        {
          externalId: `sku-${n}`,
          title: `Item ${n}`,
          category: n % 2 ? 'shoes' : 'dresses',
          price: n,
          attributes: { color: 'red' },
        },
        {
          bytes,
          mime: 'image/jpeg',
          width: 1,
          height: 1,
          contentHash: createHash('sha256').update(bytes).digest('hex'),
          perceptualHash: BigInt(n),
        },
        null,
      );
      await prisma.tag.createMany({
        data: ['red', 'dress', 'shoe'].map((word, k) => ({
          tenantId,
          itemId: row.id,
          word,
          score: 0.9 - k / 10,
          source: 'auto' as const,
        })),
      });
      return row.id;
    };
    for (let n = 0; n < 55; n++) ids.push(await save(shop.tenantId, n));
    otherId = await save(other.tenantId, 1);
    await prisma.$disconnect();
    app = await startApp('graphql', { DATABASE_URL: db.url, API_KEY_PEPPER: TEST_PEPPER });
  });
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  const PAGE = `query Page($first: Int!, $after: String) {
    items(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id externalId category attributes tags { word score source state } } }
    }
  }`;

  it('pages through the tenant’s items with their tags, each item once', async () => {
    // An explicit null cursor is the first page, as clients often send it.
    const first = await gql(PAGE, { first: 50, after: null });
    expect(first.errors).toBeUndefined();
    expect(first.data!.items.totalCount).toBe(55);
    expect(first.data!.items.edges).toHaveLength(50);
    expect(first.data!.items.pageInfo.hasNextPage).toBe(true);
    expect(first.data!.items.edges[0].node).toMatchObject({
      attributes: { color: 'red' },
      tags: [
        { word: 'red', source: 'AUTO', state: 'SUGGESTED' },
        { word: 'dress', source: 'AUTO', state: 'SUGGESTED' },
        { word: 'shoe', source: 'AUTO', state: 'SUGGESTED' },
      ],
    });
    const second = await gql(PAGE, { first: 50, after: first.data!.items.pageInfo.endCursor });
    expect(second.data!.items.edges).toHaveLength(5);
    expect(second.data!.items.pageInfo.hasNextPage).toBe(false);
    const seen = [...first.data!.items.edges, ...second.data!.items.edges].map(
      (e: { node: { id: string } }) => e.node.id,
    );
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('answers a 50-item page with its tags in a constant number of SQL statements (DataLoader, no N+1)', async () => {
    await gql(PAGE, { first: 50 }); // warm: the key lookup and connection set-up
    const before = await queriesSoFar();
    const page = await gql(PAGE, { first: 50 });
    const statements = (await queriesSoFar()) - before;
    expect(page.data!.items.edges).toHaveLength(50);
    // API key lookup + items + count + one batched tags query (+ the key's last-used update at most).
    console.log(`50-item page with tags: ${statements} SQL statements`);
    expect(statements).toBeGreaterThanOrEqual(3); // the counter is live: items, count, tags at least
    expect(statements).toBeLessThanOrEqual(5);
  });

  it('finds one item by id or externalId, and never another tenant’s', async () => {
    const byId = await gql('query($id: ID) { item(id: $id) { externalId } }', { id: ids[3] });
    expect(byId.data!.item).toEqual({ externalId: 'sku-3' });
    const byExternal = await gql('{ item(externalId: "sku-7") { id } }');
    expect(byExternal.data!.item).toEqual({ id: ids[7] });
    expect((await gql('query($id: ID) { item(id: $id) { id } }', { id: otherId })).data!.item).toBeNull();
    const other = await gql('{ items(first: 100) { totalCount edges { node { id } } } }', {}, otherKey);
    expect(other.data!.items.totalCount).toBe(1);
    expect(other.data!.items.edges[0].node.id).toBe(otherId);
  });

  it('serves each item’s stored image behind a signed, expiring thumbnail link', async () => {
    const res = await gql('query($id: ID) { item(id: $id) { thumbnailUrl } }', { id: ids[3] });
    const link = new URL(res.data!.item.thumbnailUrl as string);
    expect(link.origin).toBe(app.url);
    const image = await fetch(link);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect(image.headers.get('cache-control')).toMatch(/^public, max-age=\d+, immutable$/);
    expect(Buffer.from(await image.arrayBuffer()).toString()).toMatch(/^image [0-9a-f-]{36} 3$/);
    // Another item under this signature, a tampered signature, a moved expiry: all refused.
    const other = new URL(link);
    other.pathname = `/v1/thumbnails/${ids[4]}`;
    expect((await fetch(other)).status).toBe(403);
    const tampered = new URL(link);
    const sig = link.searchParams.get('sig')!;
    tampered.searchParams.set('sig', (sig.startsWith('A') ? 'B' : 'A') + sig.slice(1));
    expect((await fetch(tampered)).status).toBe(403);
    const later = new URL(link);
    later.searchParams.set('exp', String(Number(link.searchParams.get('exp')) + 3600));
    const refused = await fetch(later);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('THUMBNAIL_LINK_INVALID');
    expect((await fetch(`${app.url}/v1/thumbnails/not-an-id?exp=1&sig=x`)).status).toBe(400);
  });

  it('refuses missing, wrong and under-privileged keys with stable codes', async () => {
    expect((await gql('{ items(first: 1) { totalCount } }', {}, null)).errors![0]!.extensions!.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      (await gql('{ items(first: 1) { totalCount } }', {}, 'clk_nope_nope')).errors![0]!.extensions!.code,
    ).toBe('UNAUTHENTICATED');
    const forbidden = await gql('{ items(first: 1) { totalCount } }', {}, ingestKey);
    expect(forbidden.errors![0]).toMatchObject({
      extensions: { code: 'FORBIDDEN' },
      message: expect.stringContaining('search'),
    });
  });

  it('refuses abusive queries before running them and stays up', async () => {
    const normal = await gql('{ items(first: 1) { edges { node { tags { word } } } } }');
    expect(normal.errors).toBeUndefined();
    const nested = `{ __schema { types { ${'fields { type { '.repeat(25)} name ${'} } '.repeat(25)} } } }`;
    const tooDeep = await gql(nested);
    expect(tooDeep.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const aliases = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: item(externalId: "sku-1") { id }`).join(' ')} }`;
    const tooMany = await gql(aliases);
    // 1,000 aliases are also over the token limit, which the parser checks first.
    expect(tooMany.errors![0]!.extensions!.code).toMatch(/GRAPHQL_VALIDATION_FAILED|GRAPHQL_PARSE_FAILED/);
    // A literal page size counts into the query's cost and is refused before execution…
    const huge = await gql('{ items(first: 100000) { totalCount } }');
    expect(huge.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(huge.errors![0]!.message).toMatch(/cost/i);
    // …and one passed as a variable meets the page-size cap.
    const viaVariable = await gql('query($n: Int!) { items(first: $n) { totalCount } }', { n: 100000 });
    expect(viaVariable.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
    const badCursor = await gql('{ items(first: 5, after: "not-a-cursor!") { totalCount } }');
    expect(badCursor.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
    const forged = Buffer.from(JSON.stringify({ c: 'yesterday', i: "1' OR 1=1" })).toString('base64url');
    expect(
      (await gql(`{ items(first: 5, after: "${forged}") { totalCount } }`)).errors![0]!.extensions!.code,
    ).toBe('BAD_USER_INPUT');
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('blocks a cross-site form post (CSRF prevention) but serves a JSON request', async () => {
    const form = await fetch(
      `${app.url}/graphql?query=${encodeURIComponent('{ items(first: 1) { totalCount } }')}`,
      {
        method: 'GET',
        headers: { authorization: `Bearer ${searchKey}` },
      },
    );
    expect(form.status).toBe(400);
    expect(await form.text()).toMatch(/CSRF|preflight/i);
  });
});
