import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedVectorStore } from '../src';
import { WriteJournal, journalUpsert } from '../src/adapters/embedded/write-journal';

/**
 * Fault injection on the real engine, for two states zvec was seen to leave behind after a kill
 * (docs/decisions/0004) that no test can wait for — they happened in one run of three and one of
 * fourteen. This wraps the real `ZVecOpen`: the next open can come back read-only (every write
 * refused), or hand out docs without their payload column for chosen ids. Everything else is the
 * real zvec.
 */
const injected = { readOnlyOpens: 0, stripPayloadOf: new Set<string>() };
jest.mock('@zvec/zvec', () => {
  const actual = jest.requireActual<typeof import('@zvec/zvec')>('@zvec/zvec');
  type Doc = { id: string; fields?: Record<string, unknown> };
  const strip = (doc: Doc | undefined) => {
    if (doc?.fields && injected.stripPayloadOf.has(doc.id)) delete doc.fields['_payload'];
  };
  const damaging = (collection: object): object =>
    new Proxy(collection, {
      get(target, key) {
        const value: unknown = Reflect.get(target, key, target);
        if (typeof value !== 'function') return value;
        if (key === 'querySync')
          return (...args: unknown[]) => {
            const docs = (value as (...a: unknown[]) => Doc[]).apply(target, args);
            docs.forEach(strip);
            return docs;
          };
        if (key === 'fetchSync')
          return (...args: unknown[]) => {
            const docs = (value as (...a: unknown[]) => Record<string, Doc>).apply(target, args);
            Object.values(docs).forEach(strip);
            return docs;
          };
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
  return {
    ...actual,
    ZVecOpen: (path: string, options?: Parameters<typeof actual.ZVecOpen>[1]) => {
      // The binding refuses an explicit `undefined` for options.
      const open = (o: typeof options) => (o ? actual.ZVecOpen(path, o) : actual.ZVecOpen(path));
      if (injected.stripPayloadOf.size > 0) return damaging(open(options));
      if (injected.readOnlyOpens === 0) return open(options);
      injected.readOnlyOpens--;
      return open({ ...options, readOnly: true });
    },
  };
});

const SPEC = { vectors: { v: { size: 4 } }, payloadIndexes: { tenantId: 'keyword' as const } };
const id = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const point = (i: number) => ({
  id: id(i),
  vectors: { v: [1, i, i % 3, 1] },
  payload: { tenantId: i % 2 ? 'a' : 'b', i },
});

describe('EmbeddedVectorStore on a collection zvec recovered read-only', () => {
  let directory: string;
  let warnings: string[];
  const warn = (message: string) => warnings.push(message);

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'catalens-readonly-'));
    warnings = [];
    const store = new EmbeddedVectorStore({ directory, warn });
    await store.ensureCollection('c', SPEC);
    await store.createAlias('items', 'c');
    await store.upsert(
      'c',
      Array.from({ length: 40 }, (_, i) => point(i)),
    );
    await store.close();
    injected.readOnlyOpens = 1; // the next open of the collection comes back read-only
  });
  afterEach(() => {
    injected.readOnlyOpens = 0;
    injected.stripPayloadOf.clear();
    rmSync(directory, { recursive: true, force: true });
  });

  it('answers reads, and the first write rebuilds the collection and succeeds', async () => {
    const store = new EmbeddedVectorStore({ directory, warn });
    try {
      expect(await store.count('items')).toBe(40); // reads work on the read-only collection
      expect(injected.readOnlyOpens).toBe(0);

      await store.upsert('items', [
        point(40),
        { ...point(3), payload: { tenantId: 'a', i: 3, moved: true } },
      ]);

      expect(await store.count('items')).toBe(41);
      expect(await store.count('items', { must: [{ key: 'tenantId', match: 'a' }] })).toBe(20);
      const [three, forty] = await store.retrieve('items', [id(3), id(40)]);
      expect(three!.payload).toEqual({ tenantId: 'a', i: 3, moved: true });
      expect(forty!.payload).toEqual({ tenantId: 'b', i: 40 });
      const hits = await store.search('items', { vector: 'v', query: [1, 40, 1, 1], limit: 1 });
      expect(hits[0]!.id).toBe(id(40));
      expect(warnings.join('\n')).toMatch(/rebuilding "c" after recovery .*read-only mode/);
      expect(readdirSync(join(directory, 'collections', 'c')).filter((f) => f.startsWith('zvec'))).toEqual([
        'zvec',
      ]);

      // The rebuilt collection takes later writes and deletes without another rebuild.
      await store.delete('items', { ids: [id(0)] });
      await store.delete('items', { filter: { must: [{ key: 'tenantId', match: 'b' }] } });
      expect(await store.count('items')).toBe(20);
      expect(warnings.filter((w) => w.includes('rebuilding'))).toHaveLength(1);
    } finally {
      await store.close();
    }

    const reopened = new EmbeddedVectorStore({ directory, warn });
    try {
      expect(await reopened.count('items')).toBe(20);
      await reopened.upsert('items', [point(41)]);
      expect(await reopened.count('items')).toBe(21);
    } finally {
      await reopened.close();
    }
  });

  it('rebuilds once when concurrent writes meet the refusal together, keeping all of them', async () => {
    const store = new EmbeddedVectorStore({ directory, warn });
    try {
      await Promise.all([
        store.upsert('c', [point(50)]),
        store.upsert('c', [point(51)]),
        store.delete('c', { ids: [id(1)] }),
      ]);
      expect(await store.count('c')).toBe(41);
      expect((await store.retrieve('c', [id(50), id(51), id(1)])).map((p) => p.id)).toEqual([id(50), id(51)]);
      expect(warnings.filter((w) => w.includes('rebuilding'))).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('a delete is the write that meets the refusal', async () => {
    const store = new EmbeddedVectorStore({ directory, warn });
    try {
      await store.delete('c', { filter: { must: [{ key: 'tenantId', match: 'a' }] } });
      expect(await store.count('c')).toBe(20);
      expect(await store.count('c', { must: [{ key: 'tenantId', match: 'a' }] })).toBe(0);
    } finally {
      await store.close();
    }
  });
});

describe('EmbeddedVectorStore on points zvec returns without their payload', () => {
  let directory: string;
  let warnings: string[];
  const warn = (message: string) => warnings.push(message);

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'catalens-payloadless-'));
    warnings = [];
    const store = new EmbeddedVectorStore({ directory, warn });
    await store.ensureCollection('c', SPEC);
    await store.upsert(
      'c',
      Array.from({ length: 20 }, (_, i) => point(i)),
    );
    await store.close();
  });
  afterEach(() => {
    injected.stripPayloadOf.clear();
    rmSync(directory, { recursive: true, force: true });
  });

  it('leaves a damaged point out of search, retrieve and scroll with one warning, and a re-upsert repairs it', async () => {
    injected.stripPayloadOf.add(id(5));
    const store = new EmbeddedVectorStore({ directory, warn });
    try {
      const hits = await store.search('c', { vector: 'v', query: [1, 5, 2, 1], limit: 3 });
      expect(hits).toHaveLength(2); // the nearest (id 5) is left out, the query does not fail
      expect(hits.map((h) => h.id)).not.toContain(id(5));
      expect((await store.retrieve('c', [id(5), id(6)])).map((p) => p.id)).toEqual([id(6)]);
      expect((await store.scroll('c', { limit: 100 })).points).toHaveLength(19);
      expect(warnings.filter((w) => w.includes(id(5)))).toHaveLength(1);
      expect(warnings[0]).toMatch(/has no payload.*reindex/);

      injected.stripPayloadOf.clear();
      await store.upsert('c', [point(5)]);
      expect((await store.retrieve('c', [id(5)]))[0]!.payload).toEqual(point(5).payload);
    } finally {
      await store.close();
    }
  });

  it('an open that replays the journal rebuilds when a journaled point came back without its payload', async () => {
    // What a kill leaves: the journal still holds writes that returned (here: the upsert of 5).
    const journal = new WriteJournal(join(directory, 'collections', 'c', 'journal.log'));
    journal.append(journalUpsert([{ ...point(5), vectors: { v: Float32Array.from([0.5, 0.5, 0.5, 0.5]) } }]));
    journal.close();
    injected.stripPayloadOf.add(id(5)); // ...and zvec hands the point back without its payload

    const store = new EmbeddedVectorStore({ directory, warn });
    try {
      expect(await store.count('c')).toBe(20);
      injected.stripPayloadOf.clear();
      const [five] = await store.retrieve('c', [id(5)], { withVectors: true });
      expect(five!.payload).toEqual(point(5).payload);
      expect(five!.vectors!.v).toEqual([0.5, 0.5, 0.5, 0.5]);
      expect(warnings.join('\n')).toMatch(
        /rebuilding "c".*1 journaled point\(s\) came back without their payload/,
      );
    } finally {
      await store.close();
    }
  });
});
