import { readFileSync } from 'node:fs';
import { type AppProcess, startApp } from '../support/app-process';
import { TestImageServer } from '../support/image-server';
import { describeWithDataset, readLabels } from '../support/datasets';
import { PipelineHarness } from '../support/pipeline';
import { waitFor } from '../support/services';
import { TEST_PEPPER, seedTenant } from '../support/tenants';
import { postGraphql, type GqlResponse } from '../support/graphql';

jest.setTimeout(600_000);

describeWithDataset(
  'clothing',
  'GraphQL search over the index the embedder built (four processes)',
  (dir) => {
    const harness = new PipelineHarness();
    let graphql: AppProcess;
    let searchKey: string;
    let otherKey: string;
    const labelOf = new Map<string, string>();
    const images = new TestImageServer();
    let heldOutShoe: Buffer;

    const gql = (query: string, variables: object = {}, key = searchKey): Promise<GqlResponse> =>
      postGraphql(graphql.url, query, variables, key);

    beforeAll(async () => {
      await harness.start({ storeServer: true });
      const picked = ['dress', 'shoes', 'hat'].flatMap((label) =>
        readLabels(dir)
          .filter((p) => p.label === label)
          .slice(0, 15),
      );
      await harness.startEmbedder();
      // One more hat, whose title has a word no image shows and no word vector knows.
      const zorvex = readLabels(dir).filter((p) => p.label === 'hat')[20]!;
      await harness.postItems([
        ...picked.map((p, i) => ({
          externalId: `c-${i}`,
          title: `Catalog item ${i}`,
          category: p.label,
          price: 10 + i,
          imageBase64: readFileSync(p.file).toString('base64'),
        })),
        {
          externalId: 'zorvex',
          title: 'Zorvex trail cap',
          description: 'Catalog item of the Zorvex range',
          category: 'hat',
          price: 30,
          imageBase64: readFileSync(zorvex.file).toString('base64'),
        },
      ]);
      await waitFor(
        '46 indexed',
        async () => ((await harness.statusCounts()).indexed === 46 ? true : undefined),
        300_000,
        500,
      );
      const rows = await harness.query<{ id: string; category: string }>(
        'SELECT id::text, category FROM items',
      );
      for (const r of rows) labelOf.set(r.id, r.category);
      searchKey = harness.searchKey;
      // Another tenant, for the isolation checks.
      otherKey = (await seedTenant(harness.db.url, 'other', [['search']])).keys[0]!;
      // A shoe photo that was not ingested, to search by (uploaded, and served by URL).
      heldOutShoe = readFileSync(readLabels(dir).filter((p) => p.label === 'shoes')[25]!.file);
      await images.start();
      images.serve('/shoe.jpg', heldOutShoe);
      graphql = await startApp('graphql', {
        DATABASE_URL: harness.db.url,
        API_KEY_PEPPER: TEST_PEPPER,
        VECTOR_STORE_URL: harness.storeServer!.url,
        GRAPHQL_FETCH_ALLOW_CIDRS: '127.0.0.1/32',
        GRAPHQL_MAX_IMAGE_BYTES: String(5 * 1024 * 1024),
      });
    });
    afterAll(async () => {
      await images.stop();
      await graphql?.stop();
      await harness.stop();
    });

    const SIMILAR = `query($id: ID!, $first: Int!, $filter: SearchFilter) {
    similarItems(itemId: $id, first: $first, filter: $filter) { score item { id category } }
  }`;

    it('similarItems of a shoe photo returns mostly shoes, most similar first, never the shoe itself', async () => {
      const shoe = [...labelOf].find(([, label]) => label === 'shoes')![0];
      const res = await gql(SIMILAR, { id: shoe, first: 10 });
      expect(res.errors).toBeUndefined();
      const hits = res.data!.similarItems as { score: number; item: { id: string; category: string } }[];
      expect(hits).toHaveLength(10);
      expect(hits.map((h) => h.item.id)).not.toContain(shoe);
      const scores = hits.map((h) => h.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      const shoes = hits.filter((h) => h.item.category === 'shoes').length;
      console.log(`similarItems(shoe): ${shoes}/10 shoes`);
      expect(shoes).toBeGreaterThanOrEqual(7);
    });

    it('answers a card-only selection from the index, as the rows would, without reading item rows', async () => {
      const queries = async (): Promise<number> => {
        const text = await (await fetch(`${graphql.url}/metrics`)).text();
        return [...text.matchAll(/^catalens_db_queries_total\{[^}]*\} (\d+)/gm)].reduce(
          (n, m) => n + Number(m[1]),
          0,
        );
      };
      const CARD = 'id externalId title category price currency url thumbnailUrl';
      const similar = (fields: string) =>
        gql(`query($id: ID!) { similarItems(itemId: $id, first: 10) { score item { ${fields} } } }`, {
          id: [...labelOf].find(([, label]) => label === 'dress')![0],
        });
      // status is not on the card: rows are read (and the key is cached for what follows).
      const before = await queries();
      const rows = await similar(`${CARD} status`);
      expect(rows.errors).toBeUndefined();
      const afterRows = await queries();
      expect(afterRows).toBeGreaterThan(before);
      const cards = await similar(CARD);
      expect(cards.errors).toBeUndefined();
      expect(await queries()).toBe(afterRows);
      type Hit = { score: number; item: Record<string, unknown> };
      // A thumbnail link's expiry moves in steps; two requests may straddle one.
      const unexpiring = (hits: Hit[]) =>
        hits.map(({ score, item: { status: _s, thumbnailUrl, ...item } }) => ({
          score,
          item: { ...item, thumbnailUrl: String(thumbnailUrl).replace(/&exp=.*$/, '') },
        }));
      expect(unexpiring(cards.data!.similarItems as Hit[])).toEqual(
        unexpiring(rows.data!.similarItems as Hit[]),
      );
      expect(String((cards.data!.similarItems as Hit[])[0]!.item.thumbnailUrl)).toMatch(/&exp=\d+&sig=/);
      expect((cards.data!.similarItems as Hit[]).map((h) => h.item.title)).toContainEqual(
        expect.stringMatching(/^Catalog item \d+$/),
      );
    });

    const upload = (body: Buffer | string, type = 'image/jpeg', key = searchKey) =>
      fetch(`${graphql.url}/v1/query-images`, {
        method: 'POST',
        headers: { 'content-type': type, ...(key ? { 'x-api-key': key } : {}) },
        body,
      });
    const BY_IMAGE = `query($imageId: ID, $imageUrl: String) {
      similarItems(imageId: $imageId, imageUrl: $imageUrl, first: 10) { score item { id category } } }`;
    type Similar = { score: number; item: { id: string; category: string } }[];

    it('similarItems of a held-out shoe photo, uploaded or by URL, returns mostly shoes', async () => {
      const res = await upload(heldOutShoe);
      expect(res.status).toBe(201);
      const uploaded = (await res.json()) as { imageId: string; expiresAt: string; width: number };
      expect(new Date(uploaded.expiresAt).getTime()).toBeGreaterThan(Date.now());
      const byUpload = await gql(BY_IMAGE, { imageId: uploaded.imageId });
      expect(byUpload.errors).toBeUndefined();
      const hits = byUpload.data!.similarItems as Similar;
      expect(hits).toHaveLength(10);
      const shoes = hits.filter((h) => h.item.category === 'shoes').length;
      console.log(`similarItems(held-out shoe upload): ${shoes}/10 shoes`);
      expect(shoes).toBeGreaterThanOrEqual(7);
      // The same photo by URL is the same query: same items in the same order.
      const byUrl = await gql(BY_IMAGE, { imageUrl: images.url('/shoe.jpg') });
      expect(byUrl.errors).toBeUndefined();
      expect((byUrl.data!.similarItems as Similar).map((h) => h.item.id)).toEqual(hits.map((h) => h.item.id));
      // Another tenant cannot use this tenant's upload.
      const foreign = await gql(BY_IMAGE, { imageId: uploaded.imageId }, otherKey);
      expect(foreign.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'imageId' });
    });

    it('refuses bad query images with clear errors and stays up', async () => {
      // The server answers 413 as soon as the limit is passed and closes the connection; a client
      // still sending the body may see that reset instead of the answer. (fetch's errors come from
      // another realm than the test's, so `instanceof Error` cannot tell them apart.)
      const huge = await upload(Buffer.alloc(50 * 1024 * 1024, 1)).then(
        (res) => ({ res }),
        (error: unknown) => ({ error }),
      );
      if ('res' in huge) {
        expect(huge.res.status).toBe(413);
        expect(((await huge.res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
      } else {
        expect(String(huge.error)).toMatch(/fetch failed|socket|EPIPE|ECONNRESET|terminated/i);
      }
      expect((await upload('{"a":1}', 'application/json')).status).toBe(415);
      const notImage = await upload(Buffer.from('this is not an image at all'));
      expect(notImage.status).toBe(422);
      expect(((await notImage.json()) as { error: { message: string } }).error.message).toMatch(/image/);
      expect((await upload(heldOutShoe, 'image/jpeg', '')).status).toBe(401);
      const unknown = await gql(BY_IMAGE, { imageId: '00000000-0000-4000-8000-000000000000' });
      expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'imageId' });
      const ssrf = await gql(BY_IMAGE, { imageUrl: 'http://169.254.169.254/latest/meta-data' });
      expect(ssrf.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'imageUrl' });
      const missing = await gql(BY_IMAGE, { imageUrl: images.url('/nothing.jpg') });
      expect(missing.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'imageUrl' });
      const two = await gql(`{ similarItems(itemId: "x", imageUrl: "http://a/b.jpg") { score } }`);
      expect(two.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect((await fetch(`${graphql.url}/healthz`)).ok).toBe(true);
    });

    it('filters inside the store query: a category filter still returns a full page', async () => {
      const shoe = [...labelOf].find(([, label]) => label === 'shoes')![0];
      const res = await gql(SIMILAR, {
        id: shoe,
        first: 12,
        filter: { categories: ['hat'], maxPrice: 1000 },
      });
      const hits = res.data!.similarItems as { item: { category: string } }[];
      expect(hits).toHaveLength(12);
      expect(hits.every((h) => h.item.category === 'hat')).toBe(true);
    });

    it('searchImages("dress") ranks dresses first and reports unknown words', async () => {
      const res = await gql(`{ searchImages(text: "dress qwzxv", first: 5) {
      hits { score matchedTerms item { category } } usedTerms unknownWords endCursor } }`);
      expect(res.errors).toBeUndefined();
      const result = res.data!.searchImages;
      expect(result.usedTerms).toEqual(['dress']);
      expect(result.unknownWords).toEqual(['qwzxv']);
      const categories = (result.hits as { item: { category: string } }[]).map((h) => h.item.category);
      console.log(`searchImages("dress") top 5: ${categories.join(', ')}`);
      expect(categories[0]).toBe('dress');
      expect(categories.filter((c) => c === 'dress').length).toBeGreaterThanOrEqual(3);
      const next = await gql(
        `query($after: String) { searchImages(text: "dress", first: 5, after: $after) { hits { item { id } } } }`,
        {
          after: result.endCursor,
        },
      );
      expect(next.data!.searchImages.hits).toHaveLength(5);
    });

    const TEXT = `query($text: String!, $mode: SearchMode!, $first: Int!, $after: String, $filter: SearchFilter) {
      searchImages(text: $text, mode: $mode, first: $first, after: $after, filter: $filter) {
        hits { score matchedTerms item { id externalId category } } endCursor unknownWords } }`;
    type TextHits = { score: number; matchedTerms: string[]; item: { id: string; externalId: string } }[];

    it('KEYWORD finds an item by a title word no word vector knows; SEMANTIC cannot', async () => {
      const keyword = await gql(TEXT, { text: 'Zorvex', mode: 'KEYWORD', first: 10 });
      expect(keyword.errors).toBeUndefined();
      const hits = keyword.data!.searchImages.hits as TextHits;
      expect(hits.map((h) => h.item.externalId)).toEqual(['zorvex']);
      expect(hits[0]!.matchedTerms).toEqual(['zorvex']);
      expect(hits[0]!.score).toBeGreaterThan(0);
      const semantic = await gql(TEXT, { text: 'Zorvex', mode: 'SEMANTIC', first: 10 });
      expect(semantic.data!.searchImages).toMatchObject({ hits: [], unknownWords: ['zorvex'] });
      // The filter applies inside the SQL query too.
      const filtered = await gql(TEXT, {
        text: 'zorvex',
        mode: 'KEYWORD',
        first: 10,
        filter: { categories: ['dress'] },
      });
      expect(filtered.data!.searchImages.hits).toEqual([]);
    });

    it('HYBRID ranks the title match first where the image alone does not find it', async () => {
      const semantic = await gql(TEXT, { text: 'zorvex dress', mode: 'SEMANTIC', first: 10 });
      const semanticIds = (semantic.data!.searchImages.hits as TextHits).map((h) => h.item.externalId);
      expect(semanticIds).not.toContain('zorvex');
      const hybrid = await gql(TEXT, { text: 'zorvex dress', mode: 'HYBRID', first: 10 });
      expect(hybrid.errors).toBeUndefined();
      const hits = hybrid.data!.searchImages.hits as TextHits;
      expect(hits).toHaveLength(10);
      expect(hits[0]!.item.externalId).toBe('zorvex');
      expect(hits[0]!.matchedTerms).toContain('zorvex');
      // Below it, the semantic order of the dresses is kept.
      expect(hits.slice(1, 4).map((h) => h.item.externalId)).toEqual(semanticIds.slice(0, 3));
    });

    it('KEYWORD pages through every match once (stemmed: "catalogs" matches "Catalog")', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page: GqlResponse = await gql(TEXT, { text: 'catalogs', mode: 'KEYWORD', first: 20, after });
        expect(page.errors).toBeUndefined();
        seen.push(...(page.data!.searchImages.hits as TextHits).map((h) => h.item.id));
        after = page.data!.searchImages.endCursor as string | null;
      } while (after !== null);
      expect(seen).toHaveLength(46);
      expect(new Set(seen).size).toBe(46);
    });

    it('never shows another tenant’s items', async () => {
      const shoe = [...labelOf].find(([, label]) => label === 'shoes')![0];
      const foreign = await gql(SIMILAR, { id: shoe, first: 5 }, otherKey);
      expect(foreign.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'itemId' });
      for (const mode of ['SEMANTIC', 'KEYWORD', 'HYBRID']) {
        const search = await gql(TEXT, { text: 'dress catalog zorvex', mode, first: 10 }, otherKey);
        expect(search.data!.searchImages.hits).toEqual([]);
      }
    });
  },
);
