import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedVectorStore } from '../src';

const CHILD = join(__dirname, 'support', 'upsert-until-killed.js');

/**
 * Runs the writer until at least `minAcked` ids were acknowledged, then SIGKILLs it mid-stream.
 * `indexAfterWrites`: how often the writer's store starts a background index build (zvec's
 * optimize()). A kill during one used to leave the collection read-only, or unopenable, for the
 * next process (docs/decisions/0004); the store now restores the copy it takes before each build.
 */
async function writeUntilKilled(
  directory: string,
  collection: string,
  minAcked: number,
  indexAfterWrites = Number.MAX_SAFE_INTEGER,
): Promise<string[]> {
  const child = spawn(process.execPath, [CHILD, directory, collection], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, INDEX_AFTER_WRITES: String(indexAfterWrites) },
  });
  const acked: string[] = [];
  let partial = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      acked.push(...lines.filter(Boolean));
      if (acked.length >= minAcked) resolve();
    });
    child.on('exit', (code) => reject(new Error(`writer exited with ${code} before the kill: ${stderr}`)));
  });
  // Let it run on for a random moment so the kill lands anywhere in a write.
  await new Promise((r) => setTimeout(r, 20 + Math.random() * 200));
  child.kill('SIGKILL');
  await exited;
  // Lines still in the pipe were acknowledged before the kill too.
  acked.push(...partial.split('\n').filter((l) => l.length === 36));
  return acked;
}

describe('EmbeddedVectorStore survives SIGKILL', () => {
  const directory = mkdtempSync(join(tmpdir(), 'catalens-crash-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  beforeAll(() => {
    if (!existsSync(join(__dirname, '..', 'dist', 'index.js'))) {
      throw new Error('libs/vector-store/dist is missing: run `npm run build` (npm test builds first)');
    }
  });

  it('keeps every upsert that returned, across three kills during a stream of upserts', async () => {
    const acked: string[] = [];
    for (let round = 0; round < 3; round++) {
      acked.push(...(await writeUntilKilled(directory, 'crash', 1_500 * (round + 1) - acked.length)));

      const store = new EmbeddedVectorStore({ directory });
      try {
        const found = await store.retrieve('crash', acked);
        const missing = acked.length - found.length;
        expect({ round, acked: acked.length, missing }).toEqual({ round, acked: acked.length, missing: 0 });
        expect(await store.count('crash')).toBeGreaterThanOrEqual(acked.length);
      } finally {
        await store.close(); // a failure here must not hold the collection's lock for the next test
      }
    }
  }, 120_000);

  it('keeps every upsert that returned, and takes writes again, when kills land during background index builds', async () => {
    const acked: string[] = [];
    for (let round = 0; round < 3; round++) {
      // A build starts every 300 writes, so a kill can land inside one; before the store copied
      // collections ahead of builds, about one run in three then left the collection read-only
      // and, once in about five CI runs, unopenable (embedded-read-only-recovery and
      // embedded-interrupted-build reach those states deterministically).
      acked.push(...(await writeUntilKilled(directory, 'building', 1_200 * (round + 1) - acked.length, 300)));
      const store = new EmbeddedVectorStore({ directory });
      try {
        const found = await store.retrieve('building', acked);
        expect({ round, missing: acked.length - found.length }).toEqual({ round, missing: 0 });
        expect(found.every((p) => p.payload.tenantId === 't1')).toBe(true);
      } finally {
        await store.close();
      }
    }
    const store = new EmbeddedVectorStore({ directory });
    try {
      const before = await store.count('building');
      await store.upsert('building', [
        {
          id: '1c9a3f4e-8d1c-4c39-9a8e-6f3b2a1d0c9e',
          vectors: { visual: Array(32).fill(1), semantic: Array(8).fill(1) },
          payload: { tenantId: 't1' },
        },
      ]);
      expect(await store.count('building')).toBe(before + 1);
    } finally {
      await store.close();
    }
  }, 180_000);

  it('is searchable and writable again after a kill', async () => {
    const store = new EmbeddedVectorStore({ directory });
    const before = await store.count('crash');
    const results = await store.search('crash', {
      vector: 'semantic',
      query: [1, 0, 0, 0, 0, 0, 0, 0],
      limit: 5,
    });
    expect(results).toHaveLength(5);
    await store.upsert('crash', [
      {
        id: '0b9a3f4e-8d1c-4c39-9a8e-6f3b2a1d0c9e',
        vectors: { visual: Array(32).fill(1), semantic: Array(8).fill(1) },
        payload: { tenantId: 't1' },
      },
    ]);
    expect(await store.count('crash')).toBe(before + 1);
    await store.close();
  });
});
