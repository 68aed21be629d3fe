import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../support/services';
import {
  MAIN,
  SAMPLE,
  adminKey,
  graphql,
  indexedCount,
  launch,
  shoePhoto,
  startStandalone,
  stopStandalone,
  trimmedCatalog,
} from '../support/standalone';

describe('the one-process mode (npm start) on embedded defaults', () => {
  let work: string;
  let catalog: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'catalens-standalone-'));
    catalog = trimmedCatalog(work, 3);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('starts with the sample catalog indexed, keeps its data across a restart, and starts over with --reset', async () => {
    const dataDir = join(work, 'data');
    const first = await startStandalone(dataDir, catalog);
    try {
      expect(first.output()).toMatch(/embedded and tagged .*30\/30/);
      expect(first.output()).toContain('sample catalog: 30 indexed, 0 failed, 0 refused by ingest');
      const key = adminKey(dataDir);
      expect(await indexedCount(first, key)).toBe(30);
      const { searchImages } = await graphql<{
        searchImages: { hits: { item: { category: string } }[] };
      }>(first, key, '{ searchImages(text: "shoe", first: 3) { hits { item { category } } } }');
      expect(searchImages.hits.map((h) => h.item.category)).toContain('shoes');
      const { embeddingMap } = await graphql<{
        embeddingMap: { points: { label: string }[]; labels: string[]; explainedVariance: number };
      }>(first, key, '{ embeddingMap { labels explainedVariance points { label } } }');
      expect(embeddingMap.points).toHaveLength(30);
      expect(embeddingMap.labels).toHaveLength(10);
      expect(embeddingMap.explainedVariance).toBeGreaterThan(0);
      expect(embeddingMap.explainedVariance).toBeLessThanOrEqual(1);
      await expect(graphql(first, key, '{ embeddingMap(maxPoints: 1) { sampled } }')).rejects.toThrow(
        /maxPoints: between 2 and 5000/,
      );
      // The dashboard is served at / by the same process.
      const page = await fetch(`${first.graphql}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<catalens-app');

      // A second instance on the same data directory is refused with a reason.
      const second = launch(dataDir, catalog);
      expect(await second.exited).toBe(2);
      expect(second.output()).toMatch(/is in use by another catalens \(pid \d+\)/);

      // The live path after the sample: an item sent to ingest is embedded through the embedded bus.
      const photo = readFileSync(join(SAMPLE, 'images/shoes', shoePhoto()));
      const accepted = await fetch(`${first.ingest}/v1/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({
          externalId: 'live-1',
          title: 'Live item',
          imageBase64: photo.toString('base64'),
        }),
      });
      expect(accepted.status).toBe(202);
      await waitFor(
        'live item indexed',
        async () => ((await indexedCount(first, key)) === 31 ? true : undefined),
        60_000,
      );
    } finally {
      await stopStandalone(first);
    }

    const again = await startStandalone(dataDir, catalog);
    try {
      expect(again.output()).not.toContain('Loading the sample catalog');
      expect(await indexedCount(again, adminKey(dataDir))).toBe(31);
    } finally {
      await stopStandalone(again);
    }

    const reset = await startStandalone(dataDir, catalog, ['--reset']);
    try {
      expect(reset.output()).toMatch(/--reset: removed postgres, vectors, .*demo-api-keys.json/);
      expect(reset.output()).toContain('sample catalog: 30 indexed');
      expect(await indexedCount(reset, adminKey(dataDir))).toBe(30);
    } finally {
      await stopStandalone(reset);
    }
  }, 600_000);

  it('names a bad setting and exits without starting anything', async () => {
    const bad = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, CATALENS_DATA_DIR: join(work, 'bad'), CATALENS_GRAPHQL_PROT: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    bad.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((r) => bad.once('exit', r));
    expect(code).toBe(78);
    expect(err).toContain('CATALENS_GRAPHQL_PROT: unknown variable');
  });
});
