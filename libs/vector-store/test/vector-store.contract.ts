import fc from 'fast-check';
import {
  CollectionMismatchError,
  CollectionNotFoundError,
  matchesFilter,
  VectorStoreInputError,
  type Condition,
  type PointInput,
  type VectorStore,
} from '../src';
import {
  CATEGORIES,
  SPEC,
  TENANTS,
  cosine,
  filterArb,
  newId,
  payloadDifferences,
  point,
  pointsArb,
} from './fixtures';

export interface ContractSubject {
  store: VectorStore;
  /** A second store instance over the same data, after closing the first (persistence). */
  reopen(): Promise<VectorStore>;
}

/**
 * The behaviour every `VectorStore` adapter must show. Each adapter's test file calls this with
 * a factory; collections get unique names so runs against a shared Qdrant never collide.
 */
export function vectorStoreContract(
  open: () => Promise<ContractSubject>,
  uniqueName: (p: string) => string,
): void {
  let subject: ContractSubject;
  let store: VectorStore;
  const created: string[] = [];
  const collection = async (prefix = 'c'): Promise<string> => {
    const name = uniqueName(prefix);
    await store.ensureCollection(name, SPEC);
    created.push(name);
    return name;
  };

  beforeAll(async () => {
    subject = await open();
    store = subject.store;
  });
  afterAll(async () => {
    const aliases = await store.listAliases().catch(() => ({}));
    for (const [alias, target] of Object.entries(aliases))
      if (created.includes(target)) await store.deleteAlias(alias);
    for (const name of created) await store.deleteCollection(name).catch(() => undefined);
    await store.close();
  });

  describe('collections', () => {
    it('ensureCollection is idempotent for the same shape', async () => {
      const name = await collection();
      await store.ensureCollection(name, SPEC);
      expect(await store.listCollections()).toContain(name);
    });

    it('ensureCollection refuses a different shape of an existing collection', async () => {
      const name = await collection();
      await expect(
        store.ensureCollection(name, { ...SPEC, vectors: { ...SPEC.vectors, visual: { size: 16 } } }),
      ).rejects.toBeInstanceOf(CollectionMismatchError);
    });

    it('operations on a missing collection say which one is missing', async () => {
      await expect(store.count(uniqueName('missing'))).rejects.toBeInstanceOf(CollectionNotFoundError);
    });
  });

  describe('upsert and retrieve', () => {
    it('upserting the same points twice stores each id once', async () => {
      const name = await collection();
      const points = [point({ tenantId: 't-alpha', tags: [] }), point({ tenantId: 't-beta', tags: ['red'] })];
      await store.upsert(name, points);
      await store.upsert(name, points);
      expect(await store.count(name)).toBe(2);
      const got = await store.retrieve(
        name,
        points.map((p) => p.id),
      );
      expect(got.map((p) => p.id)).toEqual(points.map((p) => p.id));
      expect(got[1]!.payload).toEqual({ tenantId: 't-beta', tags: ['red'] });
    });

    it('an upsert overwrites the payload and the vectors of an existing id', async () => {
      const name = await collection();
      const original = point(
        { tenantId: 't-alpha', category: 'shoe', tags: ['red'], price: 10 },
        [1, 0, 0, 0, 0, 0, 0, 0],
      );
      await store.upsert(name, [original]);
      const replaced = {
        ...original,
        vectors: { visual: [0, 1, 0, 0, 0, 0, 0, 0], semantic: [0, 0, 1, 0] },
        payload: { tenantId: 't-alpha', tags: ['wood'] },
      };
      await store.upsert(name, [replaced]);

      const [got] = await store.retrieve(name, [original.id], { withVectors: true });
      expect(got!.payload).toEqual({ tenantId: 't-alpha', tags: ['wood'] });
      expect(got!.vectors!.visual![1]).toBeCloseTo(1, 5);
      expect(await store.count(name, { must: [{ key: 'category', match: 'shoe' }] })).toBe(0);
      expect(await store.count(name, { must: [{ key: 'tags', match: 'wood' }] })).toBe(1);
    });

    it('retrieve returns found points in the order asked, skipping unknown ids', async () => {
      const name = await collection();
      const [a, b] = [point({ tenantId: 't-alpha', tags: [] }), point({ tenantId: 't-alpha', tags: [] })];
      await store.upsert(name, [a, b]);
      const got = await store.retrieve(name, [b.id, newId(), a.id.toUpperCase()]);
      expect(got.map((p) => p.id)).toEqual([b.id, a.id]);
    });

    it('stores vectors normalized to unit length', async () => {
      const name = await collection();
      const p = point({ tenantId: 't-alpha', tags: [] }, [3, 4, 0, 0, 0, 0, 0, 0]);
      await store.upsert(name, [p]);
      const [got] = await store.retrieve(name, [p.id], { withVectors: true });
      expect(got!.vectors!.visual!.slice(0, 2).map((x) => Number(x.toFixed(5)))).toEqual([0.6, 0.8]);
    });

    it('payload numbers come back exactly, or within 1e-15 relative for floats of 16-17 digits', async () => {
      const name = await collection();
      // What people type (at most 15 significant digits, 1e-6..1e15) and integers must be exact.
      const typed = [19.99, 0.1, 0.3, 123.456, 1e-6, 987654.321, 2 ** 53, -7, 0, 1234567890.12345];
      const random = fc.sample(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { numRuns: 60, seed: 17 });
      const points = [...typed, ...random].map((x) =>
        point({ tenantId: 't-alpha', tags: [], price: x, score: x, nested: { x: [x] } }),
      );
      await store.upsert(name, points);

      const got = await store.retrieve(
        name,
        points.map((p) => p.id),
      );

      expect(got.slice(0, typed.length).map((p) => p.payload.price)).toEqual(typed);
      expect(got.slice(0, typed.length).map((p) => p.payload.score)).toEqual(typed);
      expect(
        got.flatMap((p, i) => payloadDifferences(p.payload, points[i]!.payload, `points[${i}].payload`)),
      ).toEqual([]);
    });
  });

  describe('invalid input is refused with the field named', () => {
    const cases: [string, (name: string) => Promise<unknown>, string][] = [
      [
        'a vector of the wrong size',
        (n) =>
          store.upsert(n, [
            { ...point({ tenantId: 't-alpha' }), vectors: { visual: [1, 2], semantic: [1, 0, 0, 0] } },
          ]),
        'points[0].vectors.visual',
      ],
      [
        'a NaN component',
        (n) => store.upsert(n, [point({ tenantId: 't-alpha' }, [1, NaN, 0, 0, 0, 0, 0, 0])]),
        'points[0].vectors.visual[1]',
      ],
      [
        'the zero vector',
        (n) => store.upsert(n, [point({ tenantId: 't-alpha' }, [0, 0, 0, 0, 0, 0, 0, 0])]),
        'points[0].vectors.visual',
      ],
      [
        'an id that is not a UUID',
        (n) => store.upsert(n, [{ ...point({ tenantId: 't-alpha' }), id: 'sku-1' }]),
        'points[0].id',
      ],
      [
        'a mistyped indexed payload field',
        (n) => store.upsert(n, [point({ tenantId: 't-alpha', price: 'cheap' })]),
        'points[0].payload.price',
      ],
      [
        'a filter on an unindexed field',
        (n) =>
          store.search(n, {
            vector: 'visual',
            query: [1, 0, 0, 0, 0, 0, 0, 0],
            limit: 3,
            filter: { must: [{ key: 'title', match: 'x' }] },
          }),
        'filter.must[0].key',
      ],
      [
        'a range on a keyword field',
        (n) => store.count(n, { must: [{ key: 'category', range: { gt: 1 } }] }),
        'filter.must[0]',
      ],
      ['an unknown vector name', (n) => store.search(n, { vector: 'audio', query: [1], limit: 3 }), 'vector'],
      [
        'a limit of zero',
        (n) => store.search(n, { vector: 'visual', query: [1, 0, 0, 0, 0, 0, 0, 0], limit: 0 }),
        'limit',
      ],
    ];
    it.each(cases)('%s', async (_what, act, field) => {
      const name = await collection();
      const error = await act(name).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VectorStoreInputError);
      expect((error as VectorStoreInputError).field).toBe(field);
    });
  });

  describe('search', () => {
    it('scores are cosine similarities within 1e-5 of exact, in descending order', async () => {
      const name = await collection();
      const points = fc.sample(pointsArb(60, 60), { numRuns: 1, seed: 7 })[0]!;
      await store.upsert(name, points);
      const query = [0.3, -0.2, 0.9, 0.1, -0.5, 0.05, 0.7, -0.3];
      const results = await store.search(name, { vector: 'visual', query, limit: 20 });

      expect(results).toHaveLength(20);
      const byId = new Map(points.map((p) => [p.id, p]));
      const exact = points.map((p) => cosine(query, p.vectors.visual as number[])).sort((a, b) => b - a);
      results.forEach((r, i) => {
        expect(Math.abs(r.score - cosine(query, byId.get(r.id)!.vectors.visual as number[]))).toBeLessThan(
          1e-5,
        );
        expect(Math.abs(r.score - exact[i]!)).toBeLessThan(1e-5);
        if (i > 0) expect(r.score).toBeLessThanOrEqual(results[i - 1]!.score);
      });
    });

    it('offset pages through the ranking and scoreThreshold cuts its tail', async () => {
      const name = await collection();
      const points = Array.from({ length: 30 }, (_, i) =>
        point({ tenantId: 't-alpha', tags: [] }, [1, i / 10, 0, 0, 0, 0, 0, 0]),
      );
      await store.upsert(name, points);
      const query = [1, 0, 0, 0, 0, 0, 0, 0];
      const all = await store.search(name, { vector: 'visual', query, limit: 30, withPayload: false });
      const page = await store.search(name, { vector: 'visual', query, limit: 5, offset: 10 });
      expect(page.map((r) => r.id)).toEqual(all.slice(10, 15).map((r) => r.id));
      const cut = all[12]!.score;
      const above = await store.search(name, { vector: 'visual', query, limit: 30, scoreThreshold: cut });
      expect(above.every((r) => r.score >= cut)).toBe(true);
      expect(above.length).toBe(all.filter((r) => r.score >= cut).length);
      expect(all[0]!.payload).toBeUndefined();
    });

    it('scoreThreshold is inclusive: a result scoring exactly the threshold is kept, at every rank', async () => {
      const name = await collection();
      const points = Array.from({ length: 12 }, (_, i) =>
        point({ tenantId: 't-alpha', tags: [] }, [1, i / 7, i / 11, 0, 0, 0, 0, 0]),
      );
      await store.upsert(name, points);
      const query = [1, 0, 0, 0, 0, 0, 0, 0]; // points[0] scores exactly 1
      const all = await store.search(name, { vector: 'visual', query, limit: 12, withPayload: false });

      for (let k = 0; k < all.length; k++) {
        const cut = all[k]!.score;
        const kept = await store.search(name, { vector: 'visual', query, limit: 12, scoreThreshold: cut });
        expect({ rank: k, ids: kept.map((r) => r.id) }).toEqual({
          rank: k,
          ids: all.filter((r) => r.score >= cut).map((r) => r.id),
        });
      }
      const limited = await store.search(name, {
        vector: 'visual',
        query,
        limit: 3,
        scoreThreshold: all[8]!.score,
      });
      expect(limited.map((r) => r.id)).toEqual(all.slice(0, 3).map((r) => r.id));
    });

    it('filtered search returns exactly the brute-force top-k of the matching points', async () => {
      const name = await collection('oracle');
      const points = fc.sample(pointsArb(150, 150), { numRuns: 1, seed: 11 })[0]!;
      await store.upsert(name, points);
      await fc.assert(
        fc.asyncProperty(filterArb, fc.integer({ min: 0, max: 149 }), async (filter, qi) => {
          const query = points[qi]!.vectors.semantic as number[];
          const matching = points.filter((p) => matchesFilter(filter, p.payload));
          const expected = matching
            .map((p) => ({ id: p.id, score: cosine(query, p.vectors.semantic as number[]) }))
            .sort((a, b) => b.score - a.score)
            .slice(0, 10);

          const results = await store.search(name, {
            vector: 'semantic',
            query,
            limit: 10,
            filter,
            exact: true,
          });

          expect(results).toHaveLength(expected.length); // a full top-k: no post-filter holes
          results.forEach((r, i) => {
            expect(matchesFilter(filter, points.find((p) => p.id === r.id)!.payload)).toBe(true);
            expect(Math.abs(r.score - expected[i]!.score)).toBeLessThan(1e-5);
          });
          expect(await store.count(name, filter)).toBe(matching.length);
        }),
        { numRuns: 60, seed: 20261123 },
      );
    });

    it('a tenant filter never leaks another tenant, however close its points are', async () => {
      const name = await collection();
      const query = [1, 0, 0, 0, 0, 0, 0, 0];
      const near = Array.from({ length: 20 }, (_, i) =>
        point({ tenantId: 't-beta', tags: [] }, [1, i / 1000, 0, 0, 0, 0, 0, 0]),
      );
      const far = Array.from({ length: 5 }, (_, i) =>
        point({ tenantId: 't-alpha', tags: [] }, [0, 1, i / 10, 0, 0, 0, 0, 0]),
      );
      await store.upsert(name, [...near, ...far]);

      const results = await store.search(name, {
        vector: 'visual',
        query,
        limit: 10,
        filter: { must: [{ key: 'tenantId', match: 't-alpha' }] },
      });

      expect(results.map((r) => r.id).sort()).toEqual(far.map((p) => p.id).sort());
      expect(results.every((r) => r.payload!.tenantId === 't-alpha')).toBe(true);
    });
  });

  describe('a condition and its own negation match nothing', () => {
    // Qdrant 1.18.3 drops a must_not condition identical to a must/should condition on an indexed
    // field; the adapter works around it, and these pin the behaviour for every adapter.
    let name: string;
    let points: PointInput[];
    beforeAll(async () => {
      name = await collection('negation');
      points = fc.sample(pointsArb(60, 60), { numRuns: 1, seed: 13 })[0]!;
      await store.upsert(name, points);
    });
    const conditions: [string, Condition][] = [
      ['a bool match', { key: 'active', match: false }],
      ['a keyword match', { key: 'tenantId', match: TENANTS[0] }],
      ['a keyword[] match', { key: 'tags', match: 'red' }],
      ['an integer range', { key: 'stock', range: { gte: 10 } }],
      ['a float range', { key: 'price', range: { gte: 100 } }],
      ['a matchAny', { key: 'category', matchAny: [CATEGORIES[0], CATEGORIES[2]] }],
      ['an isNull', { key: 'category', isNull: true }],
      ['a nested filter', { must: [{ key: 'active', match: true }] }],
    ];
    it.each(conditions)('%s in must and in mustNot', async (_what, c) => {
      expect(points.filter((p) => matchesFilter({ must: [c] }, p.payload)).length).toBeGreaterThan(0);
      for (const filter of [
        { must: [c], mustNot: [c] },
        { should: [c], mustNot: [c] },
      ]) {
        expect(await store.count(name, filter)).toBe(0);
        const results = await store.search(name, {
          vector: 'visual',
          query: [1, 0, 0, 0, 0, 0, 0, 0],
          limit: 10,
          filter,
        });
        expect(results).toEqual([]);
      }
    });

    it('mustNot one tenant removes it from a should over several tenants', async () => {
      const filter = {
        should: [
          { key: 'tenantId', match: TENANTS[0] },
          { key: 'tenantId', match: TENANTS[1] },
        ],
        mustNot: [{ key: 'tenantId', match: TENANTS[1] }],
      };
      const results = await store.search(name, {
        vector: 'visual',
        query: [1, 0, 0, 0, 0, 0, 0, 0],
        limit: 60,
        filter,
      });
      const expected = points.filter((p) => p.payload.tenantId === TENANTS[0]).length;
      expect(results.map((r) => r.payload!.tenantId)).toEqual(Array(expected).fill(TENANTS[0]));
      expect(await store.count(name, filter)).toBe(expected);
    });
  });

  describe('delete', () => {
    it('deletes by filter exactly the matching points', async () => {
      const name = await collection();
      const points = fc.sample(pointsArb(80, 80), { numRuns: 1, seed: 3 })[0]!;
      await store.upsert(name, points);
      const filter = {
        must: [{ key: 'tenantId', match: TENANTS[0] }],
        mustNot: [{ key: 'category', match: CATEGORIES[1] }],
      };

      await store.delete(name, { filter });

      const survivors = points.filter((p) => !matchesFilter(filter, p.payload));
      expect(await store.count(name)).toBe(survivors.length);
      expect(await store.count(name, filter)).toBe(0);
    });

    it('deletes by id and ignores unknown ids', async () => {
      const name = await collection();
      const points = [point({ tenantId: 't-alpha' }), point({ tenantId: 't-alpha' })];
      await store.upsert(name, points);
      await store.delete(name, { ids: [points[0]!.id, newId()] });
      expect(
        (
          await store.retrieve(
            name,
            points.map((p) => p.id),
          )
        ).map((p) => p.id),
      ).toEqual([points[1]!.id]);
    });
  });

  describe('scroll', () => {
    it('pages through the matching points in id order, each once', async () => {
      const name = await collection();
      const points = fc.sample(pointsArb(90, 90), { numRuns: 1, seed: 5 })[0]!;
      await store.upsert(name, points);
      const filter = { mustNot: [{ key: 'tenantId', match: TENANTS[2] }] };
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = await store.scroll(name, { filter, limit: 7, ...(cursor ? { cursor } : {}) });
        seen.push(...page.points.map((p) => p.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      const expected = points
        .filter((p) => matchesFilter(filter, p.payload))
        .map((p) => p.id)
        .sort();
      expect(seen).toEqual(expected);
    });
  });

  describe('aliases', () => {
    it('switchAlias moves readers from one collection to the other with no mixed or failed read', async () => {
      const [v1, v2] = [await collection('v1'), await collection('v2')];
      const mk = (version: string): PointInput[] =>
        Array.from({ length: 30 }, () => point({ tenantId: 't-alpha', tags: [version] }));
      await store.upsert(v1, mk('v1'));
      await store.upsert(v2, mk('v2'));
      const alias = uniqueName('live');
      await store.createAlias(alias, v1);

      const versions: string[] = [];
      let switching = true;
      const reader = (async () => {
        while (switching) {
          const results = await store.search(alias, {
            vector: 'visual',
            query: [1, 0, 0, 0, 0, 0, 0, 0],
            limit: 30,
          });
          const seen = new Set(results.map((r) => (r.payload!.tags as string[])[0]));
          expect(seen.size).toBe(1);
          versions.push([...seen][0]!);
          await new Promise((r) => setImmediate(r)); // an in-process store answers without yielding
        }
      })();
      await new Promise((r) => setTimeout(r, 50));
      await store.switchAlias(alias, v2);
      await new Promise((r) => setTimeout(r, 50));
      switching = false;
      await reader;

      expect(versions[0]).toBe('v1');
      expect(versions.at(-1)).toBe('v2');
      expect(versions.indexOf('v2')).toBeGreaterThan(versions.lastIndexOf('v1')); // never back
      expect((await store.listAliases())[alias]).toBe(v2);
      await expect(store.deleteCollection(v2)).rejects.toBeInstanceOf(VectorStoreInputError);
      await expect(store.createAlias(alias, v1)).rejects.toBeInstanceOf(VectorStoreInputError);
      await store.deleteAlias(alias);
    });
  });

  describe('durability', () => {
    it('everything upserted is there after closing and reopening the store', async () => {
      const name = await collection();
      const points = fc.sample(pointsArb(40, 40), { numRuns: 1, seed: 9 })[0]!;
      await store.upsert(name, points);
      const alias = uniqueName('reopen');
      await store.createAlias(alias, name);

      store = await subject.reopen();

      expect(await store.count(alias)).toBe(40);
      const got = await store.retrieve(
        name,
        points.map((p) => p.id),
      );
      expect(got.map((p) => p.id)).toEqual(points.map((p) => p.id));
      // Floats within FLOAT_ROUND_TRIP_RELATIVE (see fixtures.ts): Qdrant's JSON parsing.
      expect(
        got.flatMap((p, i) => payloadDifferences(p.payload, points[i]!.payload, `points[${i}].payload`)),
      ).toEqual([]);
      await store.deleteAlias(alias);
    });

    it('a store that did not create the collection keeps its payload types (keyword[] takes lists)', async () => {
      const name = await collection();
      store = await subject.reopen();

      await store.upsert(name, [point({ tenantId: TENANTS[0], tags: ['red', 'wood'] })]);
      expect(await store.count(name, { must: [{ key: 'tags', match: 'wood' }] })).toBe(1);
      await expect(
        store.upsert(name, [point({ tenantId: TENANTS[0], category: ['shoe'] })]),
      ).rejects.toBeInstanceOf(VectorStoreInputError);
    });
  });
}
