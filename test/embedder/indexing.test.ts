import { pointId } from '@catalens/contracts';
import { collectionForVersion } from '@catalens/indexing';
import { EmbeddedVectorStore } from '@catalens/vector-store';
import { readiness } from '../support/app-process';
import { PipelineHarness, catalogPhotos } from '../support/pipeline';
import { waitFor } from '../support/services';

jest.setTimeout(600_000);

const MODEL_VERSION = 'efficientnet-lite0-224+conse-wn-t10';

describe('embedder: ingest → Kafka → embedder → store and database (three real processes)', () => {
  const harness = new PipelineHarness();

  beforeAll(async () => {
    await harness.start();
  });
  afterAll(async () => {
    await harness.stop();
  });

  it('indexes 300 ingested items: every one tagged, one point each, payload and rows agreeing', async () => {
    const photos = await catalogPhotos(300);
    const embedder = await harness.startEmbedder();
    await harness.postItems(
      photos.map((p, i) => ({
        externalId: `sku-${i}`,
        title: `Catalog item ${i}`,
        category: p.label,
        price: 10 + i,
        imageBase64: p.bytes.toString('base64'),
      })),
    );
    await waitFor(
      '300 indexed items',
      async () => ((await harness.statusCounts()).indexed === 300 ? true : undefined),
      300_000,
      1_000,
    );
    expect(await harness.statusCounts()).toEqual({ indexed: 300 });

    const untagged = await harness.query<{ n: string }>(
      `SELECT count(*) AS n FROM items i WHERE NOT EXISTS
         (SELECT 1 FROM tags t WHERE t.item_id = i.id AND t.source = 'auto')`,
    );
    expect(Number(untagged[0]!.n)).toBe(0);
    const versions = await harness.query<{ model_version: string }>(
      'SELECT DISTINCT model_version FROM items',
    );
    expect(versions).toEqual([{ model_version: MODEL_VERSION }]);
    expect((await readiness(embedder.url)).status).toBe(200);
    const metrics = await (await fetch(`${embedder.url}/metrics`)).text();
    expect(metrics).toMatch(/catalens_embedder_records_total\{outcome="indexed"[^}]*\} 300/);
    // the default engine: ONNX Runtime's CPU provider
    expect(metrics).toMatch(/catalens_embedder_backend_info\{backend="onnx-cpu"/);

    // The embedded store belongs to one process: look at it once the embedder has stopped.
    await embedder.stop();
    const store = new EmbeddedVectorStore({ directory: harness.storeDir });
    try {
      expect(await store.listAliases()).toEqual({ items: collectionForVersion('items', MODEL_VERSION) });
      expect(await store.count('items')).toBe(300);
      const rows = await harness.query<{ id: string; content_hash: string; words: string[] }>(
        `SELECT i.id::text, i.content_hash, array_agg(t.word ORDER BY t.word) AS words
           FROM items i JOIN tags t ON t.item_id = i.id GROUP BY i.id`,
      );
      const points = await store.retrieve(
        'items',
        rows.map((r) => pointId(harness.tenantId, r.id)),
      );
      expect(points).toHaveLength(300);
      const byItem = new Map(points.map((p) => [p.payload.itemId, p.payload]));
      for (const row of rows) {
        const payload = byItem.get(row.id)!;
        expect(payload).toMatchObject({ tenantId: harness.tenantId, contentHash: row.content_hash });
        expect([...(payload.tags as string[])].sort()).toEqual(row.words);
      }
    } finally {
      await store.close();
    }
  });
});
