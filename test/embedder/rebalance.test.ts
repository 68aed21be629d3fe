import { RemoteVectorStore } from '@catalens/vector-store';
import { PipelineHarness, catalogPhotos } from '../support/pipeline';
import { waitFor } from '../support/services';

jest.setTimeout(600_000);

describe('embedder group: members joining and leaving mid-stream', () => {
  const harness = new PipelineHarness();

  beforeAll(async () => {
    await harness.start({ storeServer: true });
  });
  afterAll(async () => {
    await harness.stop();
  });

  it('hands partitions over on join and on SIGTERM without losing or duplicating an item', async () => {
    const env = { KAFKA_SESSION_TIMEOUT_MS: '10000' };
    const photos = await catalogPhotos(240, 1700);
    const indexed = async () => (await harness.statusCounts()).indexed ?? 0;
    await harness.postItems(
      photos.map((p, i) => ({
        externalId: `g-${i}`,
        title: `Group item ${i}`,
        imageBase64: p.bytes.toString('base64'),
      })),
    );

    const first = await harness.startEmbedder({ ...env, LOG_LEVEL: 'info' });
    await waitFor('first progress', async () => ((await indexed()) >= 30 ? true : undefined), 120_000, 200);
    // A second member joins: the group rebalances while the first is mid-batch.
    const second = await harness.startEmbedder(env);
    await waitFor(
      'progress after the join',
      async () => ((await indexed()) >= 90 ? true : undefined),
      180_000,
      200,
    );

    // SIGTERM: stop fetching, finish or abandon in-flight batches, commit, leave the group.
    const stopped = Date.now();
    await first.stop();
    const stopSeconds = (Date.now() - stopped) / 1000;
    expect(first.output()).toContain('stopping: finishing in-flight batches, committing, leaving the group');
    expect(stopSeconds).toBeLessThan(45);

    await waitFor(
      'all 240 indexed',
      async () => ((await indexed()) === 240 ? true : undefined),
      300_000,
      500,
    );
    await second.stop();
    expect(await harness.statusCounts()).toEqual({ indexed: 240 });
    expect(await new RemoteVectorStore({ url: harness.storeServer!.url }).count('items')).toBe(240);
  });
});
