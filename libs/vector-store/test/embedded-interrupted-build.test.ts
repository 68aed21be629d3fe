import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedVectorStore, VectorStoreUnavailableError } from '../src';

/**
 * The fourth finding of docs/decisions/0004: a process killed during zvec's index build can leave
 * a collection zvec no longer opens ("Failed to open scalar indexer"). The store copies the
 * collection before each build and restores that copy (plus the journal) at the next open. Here a
 * real child process is killed with its build in flight, and the damage that finding left — a
 * segment's scalar index without its RocksDB `CURRENT` — is then made on purpose.
 */
const CHILD = join(__dirname, 'support', 'kill-during-index-build.js');
const SPEC = { vectors: { v: { size: 16 } }, payloadIndexes: { tenantId: 'keyword' as const } };
const points = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    vectors: { v: Array.from({ length: 16 }, (__, d) => Math.cos(i + d)) },
    payload: { tenantId: 'a' },
  }));

async function writeBuildAndKill(directory: string, before: number, during: number): Promise<string[]> {
  const child = spawn(process.execPath, [CHILD, directory, 'c', String(before), String(during)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_, s) => resolve(s)),
  );
  if (signal !== 'SIGKILL') throw new Error(`the writer was not killed (${signal}): ${err}`);
  return out.split('\n').filter((line) => line.length === 36);
}

/** Deletes `CURRENT` from every segment's scalar-index RocksDB: zvec then refuses to open. */
function damageScalarIndexes(zvecDir: string): number {
  let damaged = 0;
  for (const segment of readdirSync(zvecDir).filter((f) => /^\d+$/.test(f))) {
    for (const index of readdirSync(join(zvecDir, segment)).filter((f) => f.startsWith('scalar.index.'))) {
      const current = join(zvecDir, segment, index, 'CURRENT');
      if (existsSync(current)) {
        rmSync(current);
        damaged++;
      }
    }
  }
  return damaged;
}

describe('EmbeddedVectorStore after a kill during an index build', () => {
  let directory: string;
  let warnings: string[];
  const warn = (message: string) => warnings.push(message);
  const collectionDir = () => join(directory, 'collections', 'c');

  beforeAll(() => {
    if (!existsSync(join(__dirname, '..', 'dist', 'index.js')))
      throw new Error('libs/vector-store/dist is missing: run `npm run build` (npm test builds first)');
  });
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'catalens-interrupted-'));
    warnings = [];
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('restores the copy taken before the build and replays what was acknowledged during it, even when zvec can no longer open its files', async () => {
    const acked = await writeBuildAndKill(directory, 1_500, 700);
    expect(acked).toHaveLength(2_200);
    expect(existsSync(join(collectionDir(), 'zvec.before-index-build'))).toBe(true);
    expect(damageScalarIndexes(join(collectionDir(), 'zvec'))).toBeGreaterThan(0);

    const store = new EmbeddedVectorStore({ directory, warn });
    try {
      const found = await store.retrieve('c', acked);
      expect(found).toHaveLength(acked.length);
      expect(found.every((p) => p.payload['tenantId'] === (Number(p.payload['i']) % 2 ? 'a' : 'b'))).toBe(
        true,
      );
      expect(warnings.join('\n')).toMatch(/"c" was left in the middle of an index build; restoring the copy/);
      // Payload filters (the inverted index zvec could not open) and the search work again.
      expect(await store.count('c', { must: [{ key: 'tenantId', match: 'a' }] })).toBe(1_100);
      const hits = await store.search('c', {
        vector: 'v',
        query: Array.from({ length: 16 }, (_, d) => Math.sin(2_101 * (d + 1))),
        limit: 3,
        filter: { must: [{ key: 'tenantId', match: 'b' }] },
      });
      expect(hits[0]?.id).toBe(acked[2_100]);
      // Writable, and the next build completes and leaves no copy behind.
      await store.upsert('c', [
        {
          id: '00000000-0000-4000-8000-999999999999',
          vectors: { v: Array(16).fill(1) },
          payload: { tenantId: 'a' },
        },
      ]);
      await store.buildIndex('c');
      expect(await store.count('c')).toBe(2_201);
      expect(readdirSync(collectionDir()).sort()).toEqual(['journal.log', 'spec.json', 'zvec']);
      expect(statSync(join(collectionDir(), 'journal.log')).size).toBe(0);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('completes a rebuild that a kill cut between its two renames, and removes what else was left half done', async () => {
    const store = new EmbeddedVectorStore({ directory });
    await store.ensureCollection('c', SPEC);
    await store.upsert('c', points(30));
    await store.close();
    // The rebuilt collection was complete and closed; the live one had been moved aside.
    renameSync(join(collectionDir(), 'zvec'), join(collectionDir(), 'zvec.rebuild'));
    mkdirSync(join(collectionDir(), 'zvec.broken-1'));
    mkdirSync(join(collectionDir(), 'zvec.before-index-build.partial'));
    mkdirSync(join(collectionDir(), 'zvec.discarded-1-2')); // a copy whose deletion a kill cut short

    const reopened = new EmbeddedVectorStore({ directory, warn });
    try {
      expect(await reopened.count('c', { must: [{ key: 'tenantId', match: 'a' }] })).toBe(30);
      expect(warnings.join('\n')).toMatch(/"c" was left between a rebuild's renames; completing it/);
      expect(readdirSync(collectionDir()).sort()).toEqual(['journal.log', 'spec.json', 'zvec']);
    } finally {
      await reopened.close();
    }
  });

  it('says which collection cannot be opened, and what to do, when zvec refuses its files and no copy exists', async () => {
    const store = new EmbeddedVectorStore({ directory });
    await store.ensureCollection('c', SPEC);
    await store.upsert('c', points(50));
    await store.close();
    expect(damageScalarIndexes(join(collectionDir(), 'zvec'))).toBeGreaterThan(0);

    const reopened = new EmbeddedVectorStore({ directory });
    try {
      const opening = reopened.count('c');
      await expect(opening).rejects.toThrow(VectorStoreUnavailableError);
      await expect(reopened.count('c')).rejects.toThrow(
        /cannot open "c": zvec refused its files .*Failed to open scalar indexer.*Move .* aside and write the collection again/,
      );
    } finally {
      await reopened.close();
    }
  });
});
