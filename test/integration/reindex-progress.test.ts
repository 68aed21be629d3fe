import {
  ItemIndexRepository,
  TenantRepository,
  createPrismaClient,
  defaultMigrationsDir,
  migrate,
  type PrismaClient,
} from '@catalens/db';
import { embeddedDatabase, freshDatabase, type TestDatabase } from '../support/databases';

jest.setTimeout(120_000);

// A tenant reindex reports DONE when nothing is pending; its counts must come from one snapshot,
// or a poll that straddles an embedder's commit reports DONE with items missing from `indexed`.
describe.each([
  ['a real PostgreSQL', () => freshDatabase('reindexprogress')],
  ['the embedded PGlite server', () => embeddedDatabase()],
])('reindex progress on %s', (_name, open: () => Promise<TestDatabase>) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let repo: ItemIndexRepository;
  let tenantId: string;

  beforeAll(async () => {
    db = await open();
    await migrate(db.url, defaultMigrationsDir());
    prisma = createPrismaClient({ url: db.url, poolSize: 1 });
    repo = new ItemIndexRepository(prisma);
    tenantId = (await new TenantRepository(prisma).create('progress', 'progress')).id;
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('counts indexed, failed and pending items since the start, per tenant', async () => {
    const since = new Date();
    const before = new Date(since.getTime() - 60_000);
    const after = new Date(since.getTime() + 1_000);
    const other = (await new TenantRepository(prisma).create('progress-other', 'other')).id;
    const rows = [
      { externalId: 'a', status: 'indexed' as const, indexedAt: after },
      { externalId: 'b', status: 'indexed' as const, indexedAt: before }, // not this job's work
      { externalId: 'c', status: 'failed' as const, updatedAt: after },
      { externalId: 'd', status: 'failed' as const, updatedAt: before },
      { externalId: 'e', status: 'queued' as const },
      { externalId: 'f', status: 'received' as const },
    ];
    await prisma.item.createMany({
      data: [
        ...rows.map((r) => ({ tenantId, title: r.externalId, updatedAt: before, ...r })),
        { tenantId: other, externalId: 'z', title: 'z', status: 'queued' as const, updatedAt: before },
      ],
    });
    expect(await repo.reindexProgress(tenantId, since)).toEqual({ indexed: 1, failed: 1, pending: 2 });
    await prisma.item.deleteMany({});
  });
});

// The embedded PGlite server takes one connection at a time, so no read can overlap a commit
// there; on PostgreSQL an embedder commits while the API polls.
describe('reindex progress on a real PostgreSQL while an embedder commits', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let writer: PrismaClient;
  let repo: ItemIndexRepository;
  let tenantId: string;

  beforeAll(async () => {
    db = await freshDatabase('reindexrace');
    await migrate(db.url, defaultMigrationsDir());
    prisma = createPrismaClient({ url: db.url, poolSize: 4 });
    writer = createPrismaClient({ url: db.url, poolSize: 1 });
    repo = new ItemIndexRepository(prisma);
    tenantId = (await new TenantRepository(prisma).create('race', 'race')).id;
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await writer?.$disconnect();
    await db?.drop();
  });

  it('never reports nothing pending while items it has not counted are being indexed', async () => {
    const total = 300;
    const since = new Date();
    await prisma.item.createMany({
      data: Array.from({ length: total }, (_, i) => ({
        tenantId,
        externalId: `q-${i}`,
        title: `q-${i}`,
        status: 'queued' as const,
        queuedAt: since,
      })),
    });
    const ids = (await prisma.item.findMany({ where: { tenantId }, select: { id: true } })).map((r) => r.id);
    // An embedder's commits: ten items at a time, each batch in one transaction.
    const indexing = (async () => {
      for (let i = 0; i < ids.length; i += 10)
        await writer.item.updateMany({
          where: { id: { in: ids.slice(i, i + 10) } },
          data: { status: 'indexed', indexedAt: new Date() },
        });
    })();
    const polls: { indexed: number; pending: number }[] = [];
    let done = false;
    void indexing.finally(() => (done = true));
    while (!done) polls.push(await repo.reindexProgress(tenantId, since));
    await indexing;
    polls.push(await repo.reindexProgress(tenantId, since));
    expect(polls.length).toBeGreaterThan(5);
    for (const p of polls) expect(p.indexed + p.pending).toBe(total);
    expect(polls.at(-1)).toEqual({ indexed: total, failed: 0, pending: 0 });
  });
});
