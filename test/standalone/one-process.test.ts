import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT, waitFor } from '../support/services';

const MAIN = resolve(REPO_ROOT, 'apps/standalone/dist/main.js');
const SAMPLE = resolve(REPO_ROOT, 'samples/catalog');

interface Running {
  child: ChildProcess;
  output(): string;
  graphql: string;
  ingest: string;
  exited: Promise<number | null>;
}

/** `npm start`'s process on a temporary data directory, ports chosen by the OS. */
function launch(dataDir: string, catalog: string, args: string[] = []) {
  let output = '';
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: {
      PATH: process.env.PATH,
      CATALENS_DATA_DIR: dataDir,
      CATALENS_SAMPLE_CATALOG: catalog,
      CATALENS_GRAPHQL_PORT: '0',
      CATALENS_INGEST_PORT: '0',
      CATALENS_EMBEDDER_PORT: '0',
      EMBEDDER_WORKERS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => output, exited };
}

async function start(dataDir: string, catalog: string, args: string[] = []): Promise<Running> {
  const run = launch(dataDir, catalog, args);
  const ready = waitFor(
    'catalens is ready',
    async () => (run.output().includes('catalens is ready.') ? true : undefined),
    240_000,
  );
  await Promise.race([
    ready,
    run.exited.then((code) => {
      throw new Error(`npm start's process exited with ${code} before it was ready:\n${run.output()}`);
    }),
  ]);
  const url = (name: string) => new RegExp(`${name}\\s+(http://\\S+?)/`).exec(run.output())?.[1] ?? '';
  return { ...run, graphql: url('graphql'), ingest: url('ingest') };
}

async function stop(run: Running): Promise<void> {
  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(0);
  expect(run.output()).toContain('stopped; the data stays in');
}

/** A shipped shoe photo that the trimmed test catalog does not list. */
const shoePhoto = () =>
  readFileSync(join(SAMPLE, 'items.csv'), 'utf8')
    .split('\n')
    .find((row) => row.startsWith('sample-shoes-20,'))!
    .split(',')[3]!
    .replace('images/shoes/', '');

const adminKey = (dataDir: string) =>
  (JSON.parse(readFileSync(join(dataDir, 'demo-api-keys.json'), 'utf8')) as { admin: string }).admin;

async function graphql<T>(run: Running, key: string, query: string): Promise<T> {
  const response = await fetch(`${run.graphql}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!body.data) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
  return body.data;
}

const indexedCount = async (run: Running, key: string) =>
  (
    await graphql<{ stats: { itemsByStatus: { status: string; items: number }[] } }>(
      run,
      key,
      '{ stats { itemsByStatus { status items } } }',
    )
  ).stats.itemsByStatus.find((s) => s.status === 'INDEXED')?.items ?? 0;

describe('the one-process mode (npm start) on embedded defaults', () => {
  let work: string;
  let catalog: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'catalens-standalone-'));
    // Three photos of each class of the shipped sample catalog keep the test short.
    catalog = join(work, 'catalog');
    const rows = readFileSync(join(SAMPLE, 'items.csv'), 'utf8').trim().split('\n');
    const perClass = new Map<string, number>();
    const kept = rows.slice(1).filter((row) => {
      const category = row.split(',')[2] ?? '';
      perClass.set(category, (perClass.get(category) ?? 0) + 1);
      return (perClass.get(category) ?? 0) <= 3;
    });
    const absolute = kept.map((row) => {
      const cells = row.split(',');
      cells[3] = join(SAMPLE, cells[3] ?? '');
      return cells.join(',');
    });
    mkdirSync(catalog);
    writeFileSync(join(catalog, 'items.csv'), [rows[0], ...absolute].join('\n'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('starts with the sample catalog indexed, keeps its data across a restart, and starts over with --reset', async () => {
    const dataDir = join(work, 'data');
    const first = await start(dataDir, catalog);
    try {
      expect(first.output()).toMatch(/embedded and tagged .*30\/30/);
      expect(first.output()).toContain('sample catalog: 30 indexed, 0 failed, 0 refused by ingest');
      const key = adminKey(dataDir);
      expect(await indexedCount(first, key)).toBe(30);
      const { searchImages } = await graphql<{
        searchImages: { hits: { item: { category: string } }[] };
      }>(first, key, '{ searchImages(text: "shoe", first: 3) { hits { item { category } } } }');
      expect(searchImages.hits.map((h) => h.item.category)).toContain('shoes');
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
      await stop(first);
    }

    const again = await start(dataDir, catalog);
    try {
      expect(again.output()).not.toContain('Loading the sample catalog');
      expect(await indexedCount(again, adminKey(dataDir))).toBe(31);
    } finally {
      await stop(again);
    }

    const reset = await start(dataDir, catalog, ['--reset']);
    try {
      expect(reset.output()).toMatch(/--reset: removed postgres, vectors, .*demo-api-keys.json/);
      expect(reset.output()).toContain('sample catalog: 30 indexed');
      expect(await indexedCount(reset, adminKey(dataDir))).toBe(30);
    } finally {
      await stop(reset);
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
