import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ITEM_SCHEMA_V1, type ItemEnvelopeV1 } from '@catalens/contracts';
import { ItemRepository, ItemSearchRepository, createPrismaClient } from '@catalens/db';
import { collectionForVersion, itemCollectionSpec, itemPayload, itemPoint } from '@catalens/indexing';
import { PRODUCTS } from '@catalens/semantics';
import { RemoteVectorStore } from '@catalens/vector-store';
import fc from 'fast-check';
import { type AppProcess, startApp } from '../support/app-process';
import { type TestDatabase, freshDatabase } from '../support/databases';
import { startStoreServer } from '../support/store-server';
import { TEST_PEPPER, seedTenant } from '../support/tenants';

jest.setTimeout(300_000);

const unit = (seed: number[], dim: number): number[] => {
  const v = Array.from({ length: dim }, (_, i) => Math.sin(seed[i % seed.length]! * (i + 1)) + 0.01);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

describe('tenant isolation (property): queries with tenant A’s key never return tenant B’s items', () => {
  let db: TestDatabase;
  let app: AppProcess;
  let server: Awaited<ReturnType<typeof startStoreServer>>;
  const storeDir = mkdtempSync(join(tmpdir(), 'catalens-iso-'));
  const tenants: { id: string; key: string; items: string[] }[] = [];

  beforeAll(async () => {
    db = await freshDatabase('isolation');
    server = await startStoreServer(storeDir);
    const store = new RemoteVectorStore({ url: server.url });
    const version = 'fake-model+fake-head';
    const collection = collectionForVersion('items', version);
    await store.ensureCollection(collection, itemCollectionSpec({ visual: 16, semantic: 100 }));
    await store.createAlias('items', collection);
    const prisma = createPrismaClient({ url: db.url, poolSize: 2 });
    const repo = new ItemRepository(prisma);
    const categories = ['dresses', 'shoes', 'hats'];
    const tags = PRODUCTS.terms.slice(0, 12);
    for (const slug of ['a', 'b']) {
      const seeded = await seedTenant(db.url, slug, [['search']]);
      const tenant = { id: seeded.tenantId, key: seeded.keys[0]!, items: [] as string[] };
      // Both tenants get look-alike items: same categories, tags, prices and near-identical vectors.
      for (let n = 0; n < 40; n++) {
        const bytes = Buffer.from(`${slug}-${n}`);
        const contentHash = createHash('sha256').update(bytes).digest('hex');
        const row = await repo.saveReceived(
          tenant.id,
          { externalId: `sku-${n}`, title: `Item ${n}`, category: categories[n % 3]!, price: n },
          { bytes, mime: 'image/jpeg', width: 1, height: 1, contentHash, perceptualHash: BigInt(n) },
          null,
        );
        tenant.items.push(row.id);
        const envelope: ItemEnvelopeV1 = {
          schema: ITEM_SCHEMA_V1,
          tenantId: tenant.id,
          itemId: row.id,
          externalId: row.externalId,
          contentHash,
          image: {
            mime: 'image/jpeg',
            width: 1,
            height: 1,
            size: bytes.length,
            bytes: bytes.toString('base64'),
          },
          metadata: { title: row.title, category: categories[n % 3]!, price: n },
          producedAt: new Date().toISOString(),
        };
        const payload = itemPayload(envelope, [tags[n % 12]!, tags[(n + 5) % 12]!], version, new Date());
        await store.upsert(collection, [
          itemPoint(
            envelope,
            { visual: Float32Array.from(unit([n, 1], 16)), semantic: Float32Array.from(unit([n, 2], 100)) },
            payload,
          ),
        ]);
      }
      await prisma.item.updateMany({ where: { tenantId: tenant.id }, data: { status: 'indexed' } });
      // The keyword documents, as indexing builds them: both tenants' titles are alike too.
      await new ItemSearchRepository(prisma).refresh(tenant.items);
      tenants.push(tenant);
    }
    await prisma.$disconnect();
    app = await startApp('graphql', {
      DATABASE_URL: db.url,
      API_KEY_PEPPER: TEST_PEPPER,
      VECTOR_STORE_URL: server.url,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await server?.stop();
    await db?.drop();
    rmSync(storeDir, { recursive: true, force: true });
  });

  const gql = async (key: string, query: string, variables: object) => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  };

  const filterArb = fc.record(
    {
      categories: fc.subarray(['dresses', 'shoes', 'hats'], { minLength: 1 }),
      minPrice: fc.integer({ min: 0, max: 20 }),
      anyTags: fc.subarray(PRODUCTS.terms.slice(0, 12), { minLength: 1, maxLength: 4 }),
    },
    { requiredKeys: [] },
  );

  it('holds for random similarItems, searchImages, items and item queries of either tenant', async () => {
    let ownHits = 0;
    const ids = (value: unknown): string[] =>
      JSON.stringify(value ?? null).match(/[0-9a-f]{8}-[0-9a-f-]{27}/g) ?? [];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1 }),
        fc.integer({ min: 0, max: 39 }),
        fc.integer({ min: 0, max: 39 }),
        fc.constantFrom(...PRODUCTS.terms.slice(0, 30)),
        filterArb,
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom('SEMANTIC', 'KEYWORD', 'HYBRID'),
        async (who, own, foreign, word, filter, first, mode) => {
          // Every title has "Item": keyword and hybrid queries match all of a tenant's items.
          const text = mode === 'SEMANTIC' ? word : `${word} item`;
          const me = tenants[who]!;
          const other = tenants[1 - who]!;
          const forbidden = new Set(other.items);
          const results = await Promise.all([
            gql(
              me.key,
              'query($id: ID!, $f: SearchFilter, $n: Int!) { similarItems(itemId: $id, first: $n, filter: $f) { item { id } } }',
              {
                id: me.items[own],
                f: filter,
                n: first,
              },
            ),
            gql(
              me.key,
              'query($t: String!, $m: SearchMode!, $f: SearchFilter, $n: Int!) { searchImages(text: $t, mode: $m, first: $n, filter: $f) { hits { item { id } } } }',
              {
                t: text,
                m: mode,
                f: filter,
                n: first,
              },
            ),
            gql(me.key, 'query($n: Int!) { items(first: $n) { edges { node { id } } } }', { n: first }),
            gql(me.key, 'query($id: ID) { item(id: $id) { id } }', { id: other.items[foreign] }),
            // Unfiltered, a page is full: the tenant condition runs inside the store query, so the
            // other tenant's look-alikes never take places in the top `first`.
            gql(
              me.key,
              'query($t: String!, $m: SearchMode!, $n: Int!) { searchImages(text: $t, mode: $m, first: $n) { hits { item { id } } } }',
              {
                t: text,
                m: mode,
                n: first,
              },
            ),
            // Asking for the other tenant's item as the similarity anchor is a not-found, not a leak.
            gql(me.key, 'query($id: ID!) { similarItems(itemId: $id, first: 5) { item { id } } }', {
              id: other.items[foreign],
            }),
          ]);
          for (const r of results.slice(0, 3)) expect(r.errors).toBeUndefined();
          for (const r of results) for (const id of ids(r.data)) expect(forbidden.has(id)).toBe(false);
          ownHits += results.slice(0, 3).reduce((n, r) => n + ids(r.data).length, 0);
          expect(results[3].data!.item).toBeNull();
          expect((results[4].data!.searchImages as { hits: unknown[] }).hits).toHaveLength(first);
          expect(JSON.stringify(results[5].errors)).toContain('NOT_FOUND');
        },
      ),
      { numRuns: 60 },
    );
    // The property is only worth something if the queries returned items at all.
    expect(ownHits).toBeGreaterThan(60 * 3);
  });
});
