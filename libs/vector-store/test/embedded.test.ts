import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedVectorStore } from '../src';
import { WriteJournal, journalUpsert } from '../src/adapters/embedded/write-journal';
import { uniqueName } from '../../../test/support/services';
import { vectorStoreContract } from './vector-store.contract';

describe('EmbeddedVectorStore (zvec) honours the VectorStore contract', () => {
  const directory = mkdtempSync(join(tmpdir(), 'catalens-vectors-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  let current: EmbeddedVectorStore | undefined;
  vectorStoreContract(
    async () => {
      current = new EmbeddedVectorStore({ directory });
      return {
        store: current,
        reopen: async () => {
          await current!.close();
          current = new EmbeddedVectorStore({ directory });
          return current;
        },
      };
    },
    (prefix) => uniqueName(prefix).toLowerCase(),
  );
});

describe('EmbeddedVectorStore write journal', () => {
  const directory = mkdtempSync(join(tmpdir(), 'catalens-journal-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const spec = { vectors: { v: { size: 4 } }, payloadIndexes: { tenantId: 'keyword' as const } };
  const point = (id: string, x: number) => ({
    id,
    vectors: { v: Float32Array.from([x, 1, 0, 0]) },
    payload: { tenantId: 't', x },
  });
  const a = '1b9a3f4e-8d1c-4c39-9a8e-6f3b2a1d0c9e';
  const b = '2b9a3f4e-8d1c-4c39-9a8e-6f3b2a1d0c9e';

  it('re-applies on open the writes it journaled, in order, ignoring a torn last record, then empties itself', async () => {
    const first = new EmbeddedVectorStore({ directory });
    await first.ensureCollection('j', spec);
    await first.upsert('j', [point(a, 1)]);
    await first.close();
    const path = join(directory, 'collections', 'j', 'journal.log');
    expect(statSync(path).size).toBe(0); // a clean close leaves nothing to replay
    // As if the last process had acknowledged these writes and zvec had not kept them: an upsert of
    // b, a delete of a, then a write torn by the kill (never acknowledged).
    const journal = new WriteJournal(path);
    // The journal holds points as validation left them: unit-length vectors.
    journal.append(
      journalUpsert([
        { ...point(b, 2), vectors: { v: Float32Array.from([2, 1, 0, 0].map((x) => x / Math.sqrt(5))) } },
      ]),
    );
    journal.append({ op: 'delete', ids: [a] });
    journal.close();
    appendFileSync(path, Buffer.from([200, 0, 0, 0, 123]));
    expect(WriteJournal.read(path)).toHaveLength(2);

    const second = new EmbeddedVectorStore({ directory });
    const found = await second.retrieve('j', [a, b], { withVectors: true });
    expect(found.map((p) => p.id)).toEqual([b]);
    expect(found[0]!.payload).toEqual({ tenantId: 't', x: 2 });
    expect(found[0]!.vectors!.v![0]).toBeCloseTo(2 / Math.sqrt(5), 6);
    expect(statSync(path).size).toBe(0); // replayed, persisted by zvec, emptied
    await second.close();
  });
});

describe('EmbeddedVectorStore repair', () => {
  const directory = mkdtempSync(join(tmpdir(), 'catalens-repair-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('rebuilds a collection into a fresh zvec collection with every point, the journal applied on top', async () => {
    const spec = { vectors: { v: { size: 4 } }, payloadIndexes: { tenantId: 'keyword' as const } };
    const ids = Array.from(
      { length: 300 },
      (_, i) => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
    );
    const first = new EmbeddedVectorStore({ directory });
    await first.ensureCollection('r', spec);
    await first.upsert(
      'r',
      ids.map((id, i) => ({ id, vectors: { v: [1, i, 0, 0] }, payload: { tenantId: i % 2 ? 'a' : 'b', i } })),
    );
    await first.close();
    const journal = new WriteJournal(join(directory, 'collections', 'r', 'journal.log'));
    journal.append({ op: 'delete', ids: [ids[0]!] });
    journal.close();

    const repaired = new EmbeddedVectorStore({ directory, repairOnOpen: true });
    expect(await repaired.count('r')).toBe(299);
    expect(await repaired.count('r', { must: [{ key: 'tenantId', match: 'a' }] })).toBe(150);
    const [p] = await repaired.retrieve('r', [ids[7]!], { withVectors: true });
    expect(p!.payload).toEqual({ tenantId: 'a', i: 7 });
    expect(p!.vectors!.v![1]).toBeCloseTo(7 / Math.sqrt(50), 6);
    await repaired.upsert('r', [{ id: ids[0]!, vectors: { v: [1, 0, 0, 0] }, payload: { tenantId: 'b' } }]);
    expect(await repaired.count('r')).toBe(300);
    expect(readdirSync(join(directory, 'collections', 'r')).filter((f) => f.startsWith('zvec'))).toEqual([
      'zvec',
    ]);
    await repaired.close();
  });
});
