import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { collectionForVersion } from '@catalens/indexing';
import { RemoteVectorStore } from '@catalens/vector-store';
import { PipelineHarness, catalogPhotos } from '../support/pipeline';
import { REPO_ROOT, kafkaBrokers, waitFor } from '../support/services';

jest.setTimeout(900_000);
const run = promisify(execFile);

const V1 = 'efficientnet-lite0-224+conse-wn-t10';
const V2 = 'efficientnet-lite0-224+conse-wn-t5';

function randomUnit(dim: number): number[] {
  const v = Array.from({ length: dim }, () => Math.random() - 0.5);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

describe('reindex to a new model version while queries run', () => {
  const harness = new PipelineHarness();
  const cliEnv = () => ({
    PATH: process.env.PATH,
    DATABASE_URL: harness.db.url,
    KAFKA_BROKERS: kafkaBrokers().join(','),
    CATALENS_TOPIC_ITEMS: harness.topic,
    VECTOR_STORE_URL: harness.storeServer!.url,
  });

  beforeAll(async () => {
    await harness.start({ storeServer: true });
  });
  afterAll(async () => {
    await harness.stop();
  });

  it("fills the new version's collection, never fails a query, and switches the alias only at the end", async () => {
    const store = new RemoteVectorStore({ url: harness.storeServer!.url });
    await harness.startEmbedder();
    const photos = await catalogPhotos(60, 1500);
    await harness.postItems(
      photos.map((p, i) => ({
        externalId: `r-${i}`,
        title: `Reindex item ${i}`,
        imageBase64: p.bytes.toString('base64'),
      })),
    );
    await waitFor(
      '60 items indexed by v1',
      async () => ((await harness.statusCounts()).indexed === 60 ? true : undefined),
      300_000,
      500,
    );
    expect(await store.listAliases()).toEqual({ items: collectionForVersion('items', V1) });

    // The new version's embedder: its own group, its own collection, created at start.
    await harness.startEmbedder({
      SEMANTIC_HEAD: 'conse-t5',
      KAFKA_GROUP_ID: `${harness.groupId}-v2`,
    });
    await waitFor(
      'the v2 collection',
      async () =>
        (await store.listCollections()).includes(collectionForVersion('items', V2)) ? true : undefined,
      60_000,
    );

    // Storefront queries against the alias, all through the reindex.
    let queries = 0;
    const failures: string[] = [];
    const served: string[] = [];
    let querying = true;
    const loop = (async () => {
      while (querying) {
        try {
          const hits = await store.search('items', { vector: 'visual', query: randomUnit(1280), limit: 10 });
          if (hits.length !== 10) failures.push(`query ${queries} returned ${hits.length} hits`);
          const target = (await store.listAliases()).items!;
          if (served.at(-1) !== target) served.push(target);
          queries++;
        } catch (error) {
          failures.push((error as Error).message);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    const { stdout } = await run(
      process.execPath,
      [resolve(REPO_ROOT, 'apps/cli/dist/main.js'), 'reindex', '--to', V2, '--stall-timeout', '240'],
      {
        env: cliEnv(),
        timeout: 600_000,
      },
    );
    querying = false;
    await loop;

    expect(stdout).toMatch(/reindex publishing: published 60\/60/);
    expect(stdout).toMatch(
      /reindex done in \d+ s: alias items items__efficientnet-lite0-224_conse-wn-t10 → items__efficientnet-lite0-224_conse-wn-t5, 60 items/,
    );
    expect(failures).toEqual([]);
    expect(queries).toBeGreaterThan(10);
    // Readers saw the old version, then the new one, and never went back.
    expect(served).toEqual(
      [collectionForVersion('items', V1), collectionForVersion('items', V2)].slice(0, served.length),
    );
    expect(await store.listAliases()).toEqual({ items: collectionForVersion('items', V2) });
    expect(await store.count('items')).toBe(60);
    expect(await harness.query('SELECT DISTINCT model_version FROM items')).toEqual([{ model_version: V2 }]);
  });

  it('refuses to reindex to a version no embedder has created a collection for, saying what to do', async () => {
    await expect(
      run(
        process.execPath,
        [resolve(REPO_ROOT, 'apps/cli/dist/main.js'), 'reindex', '--to', 'nope+conse-t3'],
        {
          env: cliEnv(),
        },
      ),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /no collection items__nope_conse-t3 .* start an embedder with that model/,
      ),
    });
  });
});
