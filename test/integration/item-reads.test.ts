import {
  ItemQueryRepository,
  ItemRepository,
  TenantRepository,
  createPrismaClient,
  defaultMigrationsDir,
  migrate,
  type PrismaClient,
} from '@catalens/db';
import { embeddedDatabase, freshDatabase, type TestDatabase } from '../support/databases';

jest.setTimeout(120_000);

// ItemQueryRepository.byIds reads rows with plain SQL on Prisma's pool (the API's hottest read);
// every other item read goes through Prisma. Both must give the same StoredItem, field for field.
describe.each([
  ['a real PostgreSQL', () => freshDatabase('itemreads')],
  ['the embedded PGlite server', () => embeddedDatabase()],
])('item rows by id on %s', (_name, open: () => Promise<TestDatabase>) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let tenantId: string;
  let otherTenantId: string;

  beforeAll(async () => {
    db = await open();
    await migrate(db.url, defaultMigrationsDir());
    prisma = createPrismaClient({ url: db.url, poolSize: 2 });
    const tenants = new TenantRepository(prisma);
    tenantId = (await tenants.create('reads-a', 'reads-a')).id;
    otherTenantId = (await tenants.create('reads-b', 'reads-b')).id;
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('match what Prisma reads for the same rows, every field', async () => {
    const original = await prisma.item.create({
      data: { tenantId, externalId: 'orig', title: 'Original', status: 'indexed' },
    });
    const full = await prisma.item.create({
      data: {
        tenantId,
        externalId: 'full',
        title: 'Linen dress',
        description: 'Long, “natural” linen — size 38',
        category: 'dress',
        price: '1234.5678',
        currency: 'EUR',
        attributes: { availability: 'in_stock', sizes: [36, 38], nested: { a: null, b: true } },
        sourceUrl: 'https://shop.example/dress.jpg',
        contentHash: 'ab'.repeat(32),
        duplicateOfId: original.id,
        status: 'failed',
        failureReason: 'image: not decodable',
        modelVersion: 'efficientnet-lite0-224+conse-t10',
        createdAt: new Date('2026-01-31T23:59:59.123Z'),
        queuedAt: new Date('2026-02-01T00:00:00.456Z'),
        indexedAt: new Date('2026-07-01T12:00:00.789Z'),
      },
    });
    const bare = await prisma.item.create({ data: { tenantId, externalId: 'bare', title: 'No extras' } });
    const foreign = await prisma.item.create({
      data: { tenantId: otherTenantId, externalId: 'full', title: 'Other tenant' },
    });

    const items = new ItemQueryRepository(prisma);
    const viaPrisma = new ItemRepository(prisma);
    const missing = '00000000-0000-4000-8000-000000000000';
    const got = await items.byIds(tenantId, [full.id, bare.id, original.id, foreign.id, missing, full.id]);

    expect([...got.keys()].sort()).toEqual([full.id, bare.id, original.id].sort());
    for (const externalId of ['full', 'bare', 'orig']) {
      const expected = await viaPrisma.findByExternalId(tenantId, externalId);
      expect(got.get(expected!.id)).toStrictEqual(expected);
    }
    const row = got.get(full.id)!;
    expect(row.createdAt.toISOString()).toBe('2026-01-31T23:59:59.123Z');
    expect(row.price).toBe(1234.5678);
    expect(row.attributes).toEqual({
      availability: 'in_stock',
      sizes: [36, 38],
      nested: { a: null, b: true },
    });
    expect(got.get(bare.id)!.attributes).toEqual({});
  });

  it('read nothing for an empty list and never another tenant’s rows', async () => {
    const items = new ItemQueryRepository(prisma);
    expect((await items.byIds(tenantId, [])).size).toBe(0);
    const theirs = await prisma.item.create({
      data: { tenantId: otherTenantId, externalId: 'theirs', title: 'Theirs' },
    });
    expect((await items.byIds(tenantId, [theirs.id])).size).toBe(0);
    expect([...(await items.byIds(otherTenantId, [theirs.id])).keys()]).toEqual([theirs.id]);
  });
});
