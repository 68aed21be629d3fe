import { RemoteVectorStore } from '@catalens/vector-store';
import { readiness } from '../support/app-process';
import { PipelineHarness, catalogPhotos } from '../support/pipeline';
import { waitFor } from '../support/services';

jest.setTimeout(600_000);

describe('embedder: the vector store unavailable for 30 s mid-stream', () => {
  const harness = new PipelineHarness();

  beforeAll(async () => {
    await harness.start({ storeServer: true });
  });
  afterAll(async () => {
    await harness.stop();
  });

  it('loses nothing: readiness goes false, nothing is committed past the outage, and it catches up after', async () => {
    const photos = await catalogPhotos(200, 1200);
    const items = photos.map((p, i) => ({
      externalId: `o-${i}`,
      title: `Outage item ${i}`,
      imageBase64: p.bytes.toString('base64'),
    }));
    const embedder = await harness.startEmbedder();
    await harness.postItems(items.slice(0, 100));
    await waitFor(
      'the first items indexed',
      async () => (((await harness.statusCounts()).indexed ?? 0) >= 20 ? true : undefined),
      120_000,
      200,
    );

    // SIGSTOP: the server process is frozen, connections hang, calls time out — a real outage.
    harness.storeServer!.child.kill('SIGSTOP');
    const outageStarted = Date.now();
    await harness.postItems(items.slice(100));
    const notReady = await waitFor(
      'readiness to report the store',
      async () => {
        const r = await readiness(embedder.url);
        return r.status === 503 ? r.body : undefined;
      },
      60_000,
      500,
    );
    expect(JSON.stringify(notReady)).toMatch(/store|vector/);
    const indexedDuringOutage = (await harness.statusCounts()).indexed ?? 0;
    expect(indexedDuringOutage).toBeLessThan(200);
    await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() - outageStarted))));
    // Nothing can be marked indexed while no upsert can succeed.
    expect((await harness.statusCounts()).indexed ?? 0).toBe(indexedDuringOutage);
    harness.storeServer!.child.kill('SIGCONT');

    await waitFor(
      'all 200 indexed',
      async () => ((await harness.statusCounts()).indexed === 200 ? true : undefined),
      300_000,
      1_000,
    );
    await waitFor(
      'ready again',
      async () => ((await readiness(embedder.url)).status === 200 ? true : undefined),
      60_000,
      500,
    );
    const metrics = await (await fetch(`${embedder.url}/metrics`)).text();
    expect(metrics).toMatch(/catalens_embedder_transient_retries_total\{stage="store"[^}]*\} [1-9]/);
    expect(await new RemoteVectorStore({ url: harness.storeServer!.url }).count('items')).toBe(200);
  });
});
