import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { collectionForVersion } from '@catalens/indexing';
import type { AppProcess } from '../support/app-process';
import { datasetDir, firstPhotos } from '../support/datasets';
import { type ItemInput, PipelineHarness, catalogPhotos } from '../support/pipeline';
import { qdrantUnderTest } from '../support/qdrant';
import { REPO_ROOT, kafkaBrokers, waitFor } from '../support/services';
import { seedTenant } from '../support/tenants';
import { postGraphql, type GqlResponse } from '../support/graphql';

// The whole system path on a real Qdrant server: ingest → Kafka → embedder → Qdrant → GraphQL,
// the same checks the embedded-store suites make (search-api, tenant-isolation, curation,
// reindex), on the store production uses. `npm test` starts the server (scripts/qdrant.sh) and
// passes QDRANT_URL; by hand: QDRANT_URL=$(bash scripts/qdrant.sh up) npx jest --selectProjects
// integration --runInBand --testPathPatterns test/qdrant
jest.setTimeout(900_000);
const run = promisify(execFile);

const url = qdrantUnderTest(
  'the pipeline on Qdrant',
  'The embedded-store system tests (test/graphql, test/embedder) ran the same path.',
);

const V1 = 'efficientnet-lite0-224+conse-wn-t10';
const V2 = 'efficientnet-lite0-224+conse-wn-t5';
const LABELS = ['dress', 'shoes', 'hat'] as const;
const PER_LABEL = 12;

type Hit = { score: number; item: { id: string; category: string; price: number } };
type TextHits = { score: number; matchedTerms: string[]; item: { id: string; externalId: string } }[];

/**
 * The labelled clothing photos when the dataset is there (label checks then apply), else
 * generated images given the same categories in turn (only the structural checks apply).
 */
async function catalog(): Promise<{ photos: { bytes: Buffer; label: string }[]; labelled: boolean }> {
  const dir = datasetDir('clothing');
  if (dir) {
    const photos = firstPhotos(dir, LABELS, PER_LABEL + 1).map((p) => ({
      bytes: readFileSync(p.file),
      label: p.label,
    }));
    return { photos, labelled: true };
  }
  const generated = await catalogPhotos(LABELS.length * (PER_LABEL + 1));
  return { photos: generated.map((p, i) => ({ ...p, label: LABELS[i % 3]! })), labelled: false };
}

(url ? describe : describe.skip)(
  `the pipeline on Qdrant: ingest → Kafka → embedder → Qdrant → GraphQL (${url ?? 'QDRANT_URL unset'})`,
  () => {
    const harness = new PipelineHarness();
    let graphql: AppProcess;
    let labelled = false;
    let otherKey: string;
    const shop = new Map<string, { category: string; price: number }>();
    const other = new Set<string>();

    const gql = (query: string, variables: object = {}, key = harness.curatorKey): Promise<GqlResponse> =>
      postGraphql(graphql.url, query, variables, key);
    /** Points in the serving alias, counted by Qdrant itself (REST, exact), not through the adapter. */
    const qdrantCount = async (tenantId?: string): Promise<number> => {
      const res = await fetch(`${url}/collections/${harness.collection}/points/count`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          exact: true,
          ...(tenantId ? { filter: { must: [{ key: 'tenantId', match: { value: tenantId } }] } } : {}),
        }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { result: { count: number } }).result.count;
    };
    const ofLabel = (label: string): string => [...shop].find(([, v]) => v.category === label)![0];

    const SIMILAR = `query($id: ID!, $first: Int!, $filter: SearchFilter) {
      similarItems(itemId: $id, first: $first, filter: $filter) { score item { id category price } } }`;
    const TEXT = `query($text: String!, $mode: SearchMode!, $first: Int!, $after: String, $filter: SearchFilter) {
      searchImages(text: $text, mode: $mode, first: $first, after: $after, filter: $filter) {
        hits { score matchedTerms item { id externalId category } } usedTerms unknownWords endCursor } }`;
    /** Ids SEMANTIC search returns for "clothes" among items carrying all these tags. */
    const withTags = async (allTags: string[]): Promise<string[]> => {
      const res = await gql(TEXT, { text: 'clothes', mode: 'SEMANTIC', first: 50, filter: { allTags } });
      expect(res.errors).toBeUndefined();
      return (res.data!.searchImages.hits as TextHits).map((h) => h.item.id);
    };

    beforeAll(async () => {
      await harness.start({ qdrantUrl: url! });
      const seeded = await seedTenant(harness.db.url, 'other', [['ingest'], ['search']]);
      otherKey = seeded.keys[1]!;
      await harness.startEmbedder();
      const built = await catalog();
      labelled = built.labelled;
      const byLabel = (label: string) => built.photos.filter((p) => p.label === label);
      const items: ItemInput[] = LABELS.flatMap((label) => byLabel(label).slice(0, PER_LABEL)).map(
        (p, i) => ({
          externalId: `c-${i}`,
          title: `Catalog item ${i}`,
          category: p.label,
          price: 10 + i,
          imageBase64: p.bytes.toString('base64'),
        }),
      );
      // One more hat, whose title has a word no image shows and no word vector knows.
      items.push({
        externalId: 'zorvex',
        title: 'Zorvex trail cap',
        description: 'Catalog item of the Zorvex range',
        category: 'hat',
        price: 30,
        imageBase64: byLabel('hat')[PER_LABEL]!.bytes.toString('base64'),
      });
      await harness.postItems(items);
      // The other tenant: look-alikes of the first two photos of each label, same titles and prices.
      await harness.postItems(
        LABELS.flatMap((label) => byLabel(label).slice(0, 2)).map((p, i) => ({
          externalId: `c-${i}`,
          title: `Catalog item ${i}`,
          category: p.label,
          price: 10 + i,
          imageBase64: p.bytes.toString('base64'),
        })),
        25,
        seeded.keys[0],
      );
      await waitFor(
        `${items.length + 6} indexed`,
        async () => ((await harness.statusCounts()).indexed === items.length + 6 ? true : undefined),
        600_000,
        500,
      );
      const rows = await harness.query<{ id: string; tenant_id: string; category: string; price: string }>(
        'SELECT id::text, tenant_id::text, category, price::text FROM items',
      );
      for (const r of rows) {
        if (r.tenant_id === harness.tenantId)
          shop.set(r.id, { category: r.category, price: Number(r.price) });
        else other.add(r.id);
      }
      expect([shop.size, other.size]).toEqual([3 * PER_LABEL + 1, 6]);
      graphql = await harness.startGraphql();
    });
    afterAll(async () => {
      await harness.stop();
    });

    it('indexes every item once: the alias serves the version’s collection, one point per row and tenant', async () => {
      const store = harness.vectorStore();
      expect((await store.listAliases())[harness.collection]).toBe(
        collectionForVersion(harness.collection, V1),
      );
      expect(await qdrantCount()).toBe(shop.size + other.size);
      expect(await qdrantCount(harness.tenantId)).toBe(shop.size);
      expect(await store.count(harness.collection)).toBe(shop.size + other.size);
    });

    it('similarItems(itemId) ranks by score, never returns the item itself, and finds its kind', async () => {
      const shoe = ofLabel('shoes');
      const res = await gql(SIMILAR, { id: shoe, first: 10 }, harness.searchKey);
      expect(res.errors).toBeUndefined();
      const hits = res.data!.similarItems as Hit[];
      expect(hits).toHaveLength(10);
      expect(hits.map((h) => h.item.id)).not.toContain(shoe);
      const scores = hits.map((h) => h.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      if (labelled) {
        const shoes = hits.filter((h) => h.item.category === 'shoes').length;
        console.log(`similarItems(shoe) on Qdrant: ${shoes}/10 shoes`);
        expect(shoes).toBeGreaterThanOrEqual(7);
      }
    });

    it('filters inside the Qdrant query: a category fills the page, a price range returns exactly its items', async () => {
      const shoe = ofLabel('shoes');
      const hats = await gql(SIMILAR, {
        id: shoe,
        first: 10,
        filter: { categories: ['hat'], maxPrice: 1000 },
      });
      expect(hats.errors).toBeUndefined();
      expect(hats.data!.similarItems).toHaveLength(10);
      expect((hats.data!.similarItems as Hit[]).every((h) => h.item.category === 'hat')).toBe(true);
      // Asking for more than match: the answer is the exact set the filter selects.
      const range = await gql(SIMILAR, { id: shoe, first: 50, filter: { minPrice: 20, maxPrice: 30 } });
      expect(range.errors).toBeUndefined();
      const expected = [...shop]
        .filter(([id, v]) => id !== shoe && v.price >= 20 && v.price <= 30)
        .map(([id]) => id)
        .sort();
      expect((range.data!.similarItems as Hit[]).map((h) => h.item.id).sort()).toEqual(expected);
    });

    it('searchImages SEMANTIC ranks dresses for "dress", reports unknown words and pages without overlap', async () => {
      const res = await gql(TEXT, { text: 'dress qwzxv', mode: 'SEMANTIC', first: 5 });
      expect(res.errors).toBeUndefined();
      const result = res.data!.searchImages;
      expect(result.usedTerms).toEqual(['dress']);
      expect(result.unknownWords).toEqual(['qwzxv']);
      const hits = result.hits as TextHits;
      expect(hits).toHaveLength(5);
      if (labelled) {
        const categories = (hits as unknown as Hit[]).map((h) => h.item.category);
        console.log(`searchImages("dress") on Qdrant, top 5: ${categories.join(', ')}`);
        expect(categories[0]).toBe('dress');
        expect(categories.filter((c) => c === 'dress').length).toBeGreaterThanOrEqual(3);
      }
      const next = await gql(TEXT, { text: 'dress', mode: 'SEMANTIC', first: 5, after: result.endCursor });
      expect(next.errors).toBeUndefined();
      const nextIds = (next.data!.searchImages.hits as TextHits).map((h) => h.item.id);
      expect(nextIds).toHaveLength(5);
      expect(nextIds.filter((id) => hits.some((h) => h.item.id === id))).toEqual([]);
    });

    it('HYBRID ranks the title match first where SEMANTIC cannot find it', async () => {
      const semantic = await gql(TEXT, { text: 'Zorvex', mode: 'SEMANTIC', first: 10 });
      expect(semantic.data!.searchImages).toMatchObject({ hits: [], unknownWords: ['zorvex'] });
      const hybrid = await gql(TEXT, { text: 'zorvex dress', mode: 'HYBRID', first: 10 });
      expect(hybrid.errors).toBeUndefined();
      const hits = hybrid.data!.searchImages.hits as TextHits;
      expect(hits).toHaveLength(10);
      expect(hits[0]!.item.externalId).toBe('zorvex');
      expect(hits[0]!.matchedTerms).toContain('zorvex');
      expect(hits.every((h) => shop.has(h.item.id))).toBe(true);
    });

    it('never shows one tenant’s items to another: not as an anchor, not in any search mode', async () => {
      const foreign = await gql(SIMILAR, { id: ofLabel('shoes'), first: 5 }, otherKey);
      expect(foreign.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'itemId' });
      // The tenant condition runs inside the Qdrant query: asked for more than there are, each
      // tenant gets exactly its own other items, never a look-alike of the other tenant.
      const ownOther = [...other][0]!;
      const theirs = await gql(SIMILAR, { id: ownOther, first: 50 }, otherKey);
      expect(theirs.errors).toBeUndefined();
      expect((theirs.data!.similarItems as Hit[]).map((h) => h.item.id).sort()).toEqual(
        [...other].filter((id) => id !== ownOther).sort(),
      );
      const shoe = ofLabel('shoes');
      const ours = await gql(SIMILAR, { id: shoe, first: 50 }, harness.searchKey);
      expect((ours.data!.similarItems as Hit[]).map((h) => h.item.id).sort()).toEqual(
        [...shop.keys()].filter((id) => id !== shoe).sort(),
      );
      for (const mode of ['SEMANTIC', 'KEYWORD', 'HYBRID']) {
        for (const [key, own] of [
          [otherKey, other],
          [harness.searchKey, new Set(shop.keys())],
        ] as const) {
          const search = await gql(TEXT, { text: 'dress catalog zorvex', mode, first: 50 }, key);
          expect(search.errors).toBeUndefined();
          const ids = (search.data!.searchImages.hits as TextHits).map((h) => h.item.id);
          expect(ids.length).toBeGreaterThan(0);
          expect(ids.filter((id) => !own.has(id))).toEqual([]);
        }
      }
    });

    it('tag decisions rewrite the Qdrant payload from GraphQL, and a reindex keeps every item once', async () => {
      const dress = ofLabel('dress');
      const before = (await gql('query($id: ID!) { item(id: $id) { tags { word state } } }', { id: dress }))
        .data!.item.tags as { word: string; state: string }[];
      const rejected = before.find((t) => t.state === 'SUGGESTED' && /^[a-z]+$/.test(t.word))!.word;
      expect(await withTags([rejected])).toContain(dress);
      // GraphQL rewrites the point's `tags` (a keyword[] field) in a collection it did not create.
      const reject = await gql(
        'mutation($ids: [ID!]!, $w: [String!]!) { rejectTags(itemIds: $ids, words: $w) { changed } }',
        { ids: [dress], w: [rejected] },
      );
      expect(reject.errors).toBeUndefined();
      expect(reject.data!.rejectTags.changed).toBe(1);
      expect(await withTags([rejected])).not.toContain(dress);

      const started = await gql('mutation { reindex { id total state } }');
      expect(started.errors).toBeUndefined();
      expect(started.data!.reindex.total).toBe(shop.size);
      const job = await waitFor(
        'reindex done',
        async () => {
          const res = await gql(
            'query($id: ID!) { reindexJob(id: $id) { state indexed failed published total } }',
            {
              id: started.data!.reindex.id,
            },
          );
          return res.data!.reindexJob.state === 'DONE' ? res.data!.reindexJob : undefined;
        },
        600_000,
        500,
      );
      expect(job).toMatchObject({ indexed: shop.size, failed: 0, published: shop.size, total: shop.size });
      expect(await withTags([rejected])).not.toContain(dress);
      expect(await harness.statusCounts()).toEqual({ indexed: shop.size + other.size });
      expect(await qdrantCount()).toBe(shop.size + other.size);
      expect(await qdrantCount(harness.tenantId)).toBe(shop.size);
    });

    it('catalens reindex --to moves the alias to a new version’s collection with every item once', async () => {
      const store = harness.vectorStore();
      await harness.startEmbedder({ SEMANTIC_HEAD: 'conse-t5', KAFKA_GROUP_ID: `${harness.groupId}-v2` });
      const v2 = collectionForVersion(harness.collection, V2);
      await waitFor(
        'the v2 collection',
        async () => ((await store.listCollections()).includes(v2) ? true : undefined),
        120_000,
      );
      const total = shop.size + other.size;
      const { stdout } = await run(
        process.execPath,
        [resolve(REPO_ROOT, 'apps/cli/dist/main.js'), 'reindex', '--to', V2, '--stall-timeout', '240'],
        {
          env: {
            PATH: process.env.PATH,
            DATABASE_URL: harness.db.url,
            KAFKA_BROKERS: kafkaBrokers().join(','),
            CATALENS_TOPIC_ITEMS: harness.topic,
            ...harness.storeEnv(),
          },
          timeout: 600_000,
        },
      );
      expect(stdout).toContain(`reindex publishing: published ${total}/${total}`);
      expect(stdout).toContain(
        `alias ${harness.collection} ${collectionForVersion(harness.collection, V1)} → ${v2}, ${total} items`,
      );
      expect(await store.listAliases()).toEqual(expect.objectContaining({ [harness.collection]: v2 }));
      expect(await qdrantCount()).toBe(total);
      expect(await qdrantCount(harness.tenantId)).toBe(shop.size);
      expect(await harness.query('SELECT DISTINCT model_version FROM items')).toEqual([
        { model_version: V2 },
      ]);
      // GraphQL follows the alias: the new version answers, still per tenant.
      const res = await gql(SIMILAR, { id: [...other][0]!, first: 50 }, otherKey);
      expect(res.errors).toBeUndefined();
      expect(res.data!.similarItems).toHaveLength(other.size - 1);
    });
  },
);
