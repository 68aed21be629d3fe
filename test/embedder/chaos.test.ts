import { pointId } from '@catalens/contracts';
import { EmbeddedVectorStore } from '@catalens/vector-store';
import { seeded } from '../fixtures/bad-inputs/images';
import { PipelineHarness, catalogPhotos } from '../support/pipeline';
import { waitFor } from '../support/services';

jest.setTimeout(1_800_000);

/** Rounds of SIGKILL; `bench/chaos.mjs` runs this file with 20. */
const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? 5);
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 100_000);

describe(`embedder chaos: SIGKILL mid-batch ${ROUNDS} times (seed ${SEED})`, () => {
  const harness = new PipelineHarness();

  beforeAll(async () => {
    await harness.start();
  });
  afterAll(async () => {
    await harness.stop();
  });

  it('ends with every item indexed exactly once: no point missing or duplicated, rows agreeing with the store', async () => {
    const next = seeded(SEED);
    const total = Math.max(600, ROUNDS * 130);
    const photos = await catalogPhotos(total, 500);
    const items = photos.map((p, i) => ({
      externalId: `chaos-${i}`,
      title: `Chaos item ${i}`,
      price: i,
      imageBase64: p.bytes.toString('base64'),
    }));
    let posted = 0;
    const postUpTo = async (n: number) => {
      const to = Math.min(n, items.length);
      if (to > posted) await harness.postItems(items.slice(posted, to));
      posted = Math.max(posted, to);
    };
    // Every round must kill a working embedder, however fast the engine: before each one the
    // backlog is topped up to BACKLOG unindexed items (a round indexes some 30-80 with onnx on two
    // cores: first progress, then up to 0.4 s).
    const BACKLOG = 150;

    const kills: string[] = [];
    let killedWithWorkLeft = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await postUpTo(((await harness.statusCounts()).indexed ?? 0) + BACKLOG);
      const embedder = await harness.startEmbedder({ KAFKA_SESSION_TIMEOUT_MS: '6000' });
      // Items also arrive while an embedder works (not awaited here: a slow post must not give the
      // embedder seconds to drain the backlog before the kill).
      const arriving = round === Math.floor(ROUNDS / 2) ? postUpTo(posted + 30) : Promise.resolve();
      const before = (await harness.statusCounts()).indexed ?? 0;
      // Kill once it is busy: after it indexed something, at a random point of its work.
      await waitFor(
        'some progress',
        async () =>
          ((await harness.statusCounts()).indexed ?? 0) > before || before >= posted ? true : undefined,
        120_000,
        100,
      );
      await new Promise((r) => setTimeout(r, next() * 400));
      embedder.child.kill('SIGKILL');
      await new Promise((r) =>
        embedder.child.exitCode !== null || embedder.child.signalCode
          ? r(null)
          : embedder.child.once('exit', r),
      );
      await arriving;
      const indexed = (await harness.statusCounts()).indexed ?? 0;
      kills.push(`round ${round + 1}: killed with ${indexed} of ${posted} indexed`);
      if (indexed < posted) killedWithWorkLeft++;
    }
    // Every kill must have hit a working embedder, or the round proved nothing.
    expect(killedWithWorkLeft).toBe(ROUNDS);
    console.log(`chaos seed ${SEED}\n${kills.join('\n')}`);
    items.splice(posted);

    const last = await harness.startEmbedder();
    await waitFor(
      `all ${items.length} items indexed`,
      async () => ((await harness.statusCounts()).indexed === items.length ? true : undefined),
      600_000,
      1_000,
    );
    await last.stop();
    expect(await harness.statusCounts()).toEqual({ indexed: items.length });

    const rows = await harness.query<{ id: string; content_hash: string }>(
      'SELECT id::text, content_hash FROM items',
    );
    const store = new EmbeddedVectorStore({ directory: harness.storeDir });
    try {
      expect(await store.count('items')).toBe(items.length);
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await store.scroll('items', { limit: 64, ...(cursor ? { cursor } : {}) });
        for (const p of page.points) ids.push(p.id);
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(new Set(rows.map((r) => pointId(harness.tenantId, r.id))));
      const points = await store.retrieve(
        'items',
        rows.map((r) => pointId(harness.tenantId, r.id)),
      );
      const hashOf = new Map(points.map((p) => [p.payload.itemId, p.payload.contentHash]));
      for (const row of rows) expect(hashOf.get(row.id)).toBe(row.content_hash);
    } finally {
      await store.close();
    }
  });
});
