import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT, waitFor } from './services';

export const MAIN = resolve(REPO_ROOT, 'apps/standalone/dist/main.js');
export const SAMPLE = resolve(REPO_ROOT, 'samples/catalog');

export interface Running {
  child: ChildProcess;
  output(): string;
  graphql: string;
  ingest: string;
  exited: Promise<number | null>;
}

/** `npm start`'s process on a temporary data directory, ports chosen by the OS. */
export function launch(dataDir: string, catalog: string, args: string[] = []) {
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

export async function startStandalone(
  dataDir: string,
  catalog: string,
  args: string[] = [],
): Promise<Running> {
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

export async function stopStandalone(run: Running): Promise<void> {
  run.child.kill('SIGTERM');
  const code = await run.exited;
  if (code !== 0 || !run.output().includes('stopped; the data stays in'))
    throw new Error(`npm start's process did not stop cleanly (exit ${code}):\n${run.output().slice(-2000)}`);
}

/** A shipped shoe photo that the trimmed test catalog does not list. */
export const shoePhoto = (externalId = 'sample-shoes-20') =>
  readFileSync(join(SAMPLE, 'items.csv'), 'utf8')
    .split('\n')
    .find((row) => row.startsWith(`${externalId},`))!
    .split(',')[3]!
    .replace('images/shoes/', '');

export const adminKey = (dataDir: string) =>
  (JSON.parse(readFileSync(join(dataDir, 'demo-api-keys.json'), 'utf8')) as { admin: string }).admin;

export async function graphql<T>(run: Running, key: string, query: string): Promise<T> {
  const response = await fetch(`${run.graphql}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!body.data) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export const indexedCount = async (run: Running, key: string) =>
  (
    await graphql<{ stats: { itemsByStatus: { status: string; items: number }[] } }>(
      run,
      key,
      '{ stats { itemsByStatus { status items } } }',
    )
  ).stats.itemsByStatus.find((s) => s.status === 'INDEXED')?.items ?? 0;

/** A copy of the shipped sample catalog's list with `perClass` photos of each class (absolute paths). */
export function trimmedCatalog(dir: string, perClass: number): string {
  const catalog = join(dir, 'catalog');
  const rows = readFileSync(join(SAMPLE, 'items.csv'), 'utf8').trim().split('\n');
  const seen = new Map<string, number>();
  const kept = rows.slice(1).filter((row) => {
    const category = row.split(',')[2] ?? '';
    seen.set(category, (seen.get(category) ?? 0) + 1);
    return (seen.get(category) ?? 0) <= perClass;
  });
  const absolute = kept.map((row) => {
    const cells = row.split(',');
    cells[3] = join(SAMPLE, cells[3] ?? '');
    return cells.join(',');
  });
  mkdirSync(catalog);
  writeFileSync(join(catalog, 'items.csv'), [rows[0], ...absolute].join('\n'));
  return catalog;
}
