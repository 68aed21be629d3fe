import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { AppProcess } from '../support/app-process';
import { describeWithDataset, firstPhotos } from '../support/datasets';
import { PipelineHarness } from '../support/pipeline';
import { REPO_ROOT, waitFor } from '../support/services';
import { seedTenant } from '../support/tenants';
import { postGraphql, type GqlResponse } from '../support/graphql';

jest.setTimeout(600_000);

type TagView = { word: string; source: string; state: string };

describeWithDataset(
  'clothing',
  'merchandiser feedback: tags, vocabulary and reindex (ingest, embedder, store and GraphQL processes)',
  (dir) => {
    const harness = new PipelineHarness();
    let graphql: AppProcess;
    let dressId: string;
    let otherTenantItem: string;

    const gql = (query: string, variables: object = {}, key = harness.curatorKey): Promise<GqlResponse> =>
      postGraphql(graphql.url, query, variables, key);
    const tagsOf = async (id: string): Promise<TagView[]> =>
      (await gql('query($id: ID!) { item(id: $id) { tags { word source state } } }', { id })).data!.item.tags;
    /** Ids SEMANTIC search returns for "clothes" among items carrying all these tags. */
    const withTags = async (allTags: string[]): Promise<string[]> => {
      const res = await gql(
        `query($f: SearchFilter) { searchImages(text: "clothes", first: 50, filter: $f) { hits { item { id } } } }`,
        { f: { allTags } },
      );
      expect(res.errors).toBeUndefined();
      return (res.data!.searchImages.hits as { item: { id: string } }[]).map((h) => h.item.id);
    };

    beforeAll(async () => {
      await harness.start({ storeServer: true });
      await harness.startEmbedder();
      const photos = firstPhotos(dir, ['dress', 'shoes'], 6);
      await harness.indexItems(
        photos.map((p, i) => ({
          externalId: `s-${i}`,
          title: `Summer item ${i}`,
          category: p.label,
          imageBase64: readFileSync(p.file).toString('base64'),
        })),
      );
      dressId = (
        await harness.query<{ id: string }>(
          "SELECT id::text FROM items WHERE category = 'dress' ORDER BY external_id LIMIT 1",
        )
      )[0]!.id;
      // An item of another tenant, which no mutation of this tenant may touch.
      const other = await seedTenant(harness.db.url, 'other', []);
      otherTenantItem = (
        await harness.query<{ id: string }>(
          `INSERT INTO items (id, tenant_id, external_id, title, updated_at)
           VALUES (gen_random_uuid(), $1, 'x', 'Other', now()) RETURNING id::text`,
          [other.tenantId],
        )
      )[0]!.id;
      graphql = await harness.startGraphql();
    });
    afterAll(async () => {
      await harness.stop();
    });

    it('reject, accept and add tags; search, filters, stats and suggestions follow; rejected tags survive reindex', async () => {
      const before = await tagsOf(dressId);
      // Single words, so a keyword query for one is that word alone.
      const suggested = before
        .filter((t) => t.state === 'SUGGESTED' && /^[a-z]+$/.test(t.word))
        .map((t) => t.word);
      expect(suggested.length).toBeGreaterThanOrEqual(2);
      const [rejected, accepted] = suggested as [string, string];
      expect(await withTags([rejected])).toContain(dressId);

      const CHANGE = (name: string) => `mutation($ids: [ID!]!, $words: [String!]!) {
        ${name}(itemIds: $ids, words: $words) { changed missingIds items { id tags { word source state } } } }`;
      const reject = await gql(CHANGE('rejectTags'), { ids: [dressId, otherTenantItem], words: [rejected] });
      expect(reject.errors).toBeUndefined();
      expect(reject.data!.rejectTags).toMatchObject({ changed: 1, missingIds: [otherTenantItem] });
      expect(reject.data!.rejectTags.items[0].tags).toContainEqual({
        word: rejected,
        source: 'AUTO',
        state: 'REJECTED',
      });
      // The searchable payload changed with it: the tag filter no longer finds the item.
      expect(await withTags([rejected])).not.toContain(dressId);

      const accept = await gql(CHANGE('acceptTags'), { ids: [dressId], words: [accepted.toUpperCase()] });
      expect(accept.data!.acceptTags.changed).toBe(1);
      // An accepted tag joins the keyword document.
      const keyword = await gql(
        `query($t: String!) { searchImages(text: $t, mode: KEYWORD, first: 10) {
        hits { matchedTerms item { id } } } }`,
        { t: accepted },
      );
      expect(keyword.data!.searchImages.hits).toEqual([{ matchedTerms: [accepted], item: { id: dressId } }]);

      const add = await gql(CHANGE('addTags'), { ids: [dressId], words: ['limited'] });
      expect(add.data!.addTags.items[0].tags).toContainEqual({
        word: 'limited',
        source: 'MANUAL',
        state: 'ACCEPTED',
      });
      expect(await withTags(['limited'])).toEqual([dressId]);

      const stats = await gql(`{ stats { acceptedTags rejectedTags manualTags tagAcceptanceRate
        itemsByStatus { status items } modelVersions { modelVersion items } } }`);
      expect(stats.data!.stats).toMatchObject({
        acceptedTags: 1,
        rejectedTags: 1,
        manualTags: 1,
        tagAcceptanceRate: 0.5,
      });
      expect(stats.data!.stats.itemsByStatus).toContainEqual({ status: 'INDEXED', items: 12 });
      expect(stats.data!.stats.modelVersions).toHaveLength(1);
      const suggestions = await gql(
        `{ tagSuggestions(prefix: "lim") { word items inVocabulary } }`,
        {},
        harness.searchKey,
      );
      expect(suggestions.data!.tagSuggestions[0]).toEqual({ word: 'limited', items: 1, inVocabulary: false });

      // Re-embed the catalog: decisions are kept, and the rejected word is not suggested again.
      const started = await gql('mutation { reindex { id total state } }');
      expect(started.errors).toBeUndefined();
      expect(started.data!.reindex.total).toBe(12);
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
        300_000,
        500,
      );
      expect(job).toMatchObject({ indexed: 12, failed: 0, published: 12, total: 12 });
      const after = await tagsOf(dressId);
      expect(after).toContainEqual({ word: rejected, source: 'AUTO', state: 'REJECTED' });
      expect(after.filter((t) => t.word === rejected)).toHaveLength(1);
      expect(after).toContainEqual({ word: accepted, source: 'AUTO', state: 'ACCEPTED' });
      expect(after).toContainEqual({ word: 'limited', source: 'MANUAL', state: 'ACCEPTED' });
      expect(await withTags([rejected])).not.toContain(dressId);
      expect(await withTags(['limited'])).toEqual([dressId]);
      const [row] = await harness.query<{ indexed: boolean }>(
        "SELECT indexed_at > created_at + interval '1 second' AS indexed FROM items WHERE id = $1",
        [dressId],
      );
      expect(row!.indexed).toBe(true);

      // removeTags: the manual tag is gone; an automatic one becomes rejected.
      const remove = await gql(CHANGE('removeTags'), { ids: [dressId], words: ['limited', accepted] });
      const tags = remove.data!.removeTags.items[0].tags as TagView[];
      expect(tags.map((t) => t.word)).not.toContain('limited');
      expect(tags).toContainEqual({ word: accepted, source: 'AUTO', state: 'REJECTED' });
      expect(await withTags(['limited'])).toEqual([]);
    });

    it('refuses bad input with the field at fault, and the wrong role', async () => {
      const reject = (ids: string[], words: string[], key?: string) =>
        gql(
          'mutation($ids: [ID!]!, $w: [String!]!) { rejectTags(itemIds: $ids, words: $w) { changed } }',
          { ids, w: words },
          key,
        );
      expect((await reject(['nope'], ['red'])).errors![0]!.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'itemIds',
      });
      expect((await reject([dressId], ['50%_off'])).errors![0]!.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'words',
      });
      expect((await reject([dressId], [])).errors![0]!.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'words',
      });
      expect((await reject([dressId], ['red'], harness.searchKey)).errors![0]!.extensions!.code).toBe(
        'FORBIDDEN',
      );
      const prefix = await gql('{ tagSuggestions(prefix: "%") { word } }');
      expect(prefix.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'prefix' });
      const job = await gql('{ reindexJob(id: "forged") { state } }');
      expect(job.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
      expect(
        (await gql('mutation { reindex { id } }', {}, harness.searchKey)).errors![0]!.extensions!.code,
      ).toBe('FORBIDDEN');
    });

    it('upsertVocabulary saves known words, reports unknown ones, and tagSuggestions offers them', async () => {
      const res = await gql(`mutation { upsertVocabulary(input: {
          words: ["apron", "qzxvwq"], synonyms: [{ term: "apron", words: ["pinafore"] }], stopWords: ["summer"] }) {
        unknownWords vocabulary { name base addedWords terms stopWords synonyms { term words } } } }`);
      expect(res.errors).toBeUndefined();
      const update = res.data!.upsertVocabulary;
      expect(update.unknownWords).toEqual(['qzxvwq']);
      expect(update.vocabulary.addedWords).toEqual(['apron']);
      expect(update.vocabulary.terms).toContain('apron');
      expect(update.vocabulary.stopWords).toContain('summer');
      expect(update.vocabulary.synonyms).toContainEqual({ term: 'apron', words: ['pinafore'] });
      const query = await gql(
        '{ searchImages(text: "summer pinafore", first: 3) { usedTerms ignoredWords } }',
        {},
        harness.searchKey,
      );
      expect(query.data!.searchImages).toEqual({ usedTerms: ['apron'], ignoredWords: ['summer'] });
      const suggestions = await gql('{ tagSuggestions(prefix: "apr") { word items inVocabulary } }');
      expect(suggestions.data!.tagSuggestions).toContainEqual({
        word: 'apron',
        items: 0,
        inVocabulary: true,
      });
      const shipped = await gql(
        '{ products: vocabulary(name: "products") { terms addedWords } nope: vocabulary(name: "nope") { name } }',
      );
      expect(shipped.data!.products.terms).toContain('dress');
      expect(shipped.data!.products.addedWords).toEqual([]);
      expect(shipped.data!.nope).toBeNull();
      const badBase = await gql('mutation { upsertVocabulary(input: { base: "cars" }) { unknownWords } }');
      expect(badBase.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'base' });
    });

    it('train devise --from-tags learns from the accepted and manual tags', async () => {
      const ids = async (category: string) =>
        (
          await harness.query<{ id: string }>('SELECT id::text FROM items WHERE category = $1', [category])
        ).map((r) => r.id);
      const ADD = 'mutation($ids: [ID!]!, $w: [String!]!) { addTags(itemIds: $ids, words: $w) { changed } }';
      expect((await gql(ADD, { ids: await ids('dress'), w: ['dress'] })).errors).toBeUndefined();
      expect((await gql(ADD, { ids: await ids('shoes'), w: ['shoe'] })).errors).toBeUndefined();
      expect((await gql(ADD, { ids: [dressId], w: ['zorvexish'] })).errors).toBeUndefined();
      const out = mkdtempSync(join(tmpdir(), 'catalens-devise-'));
      try {
        const { stdout, stderr } = await promisify(execFile)(
          process.execPath,
          [
            resolve(REPO_ROOT, 'apps/cli/dist/main.js'),
            'train',
            'devise',
            '--from-tags',
            'shop',
            '--out',
            out,
            '--epochs',
            '3',
          ],
          { env: { PATH: process.env.PATH, DATABASE_URL: harness.db.url } },
        );
        expect(stderr).toContain('skipping tags the word vectors do not know: zorvexish');
        const trained = JSON.parse(stdout) as { dir: string; trainImages: number };
        expect(trained.trainImages).toBe(12);
        const meta = JSON.parse(readFileSync(join(trained.dir, 'devise.json'), 'utf8')) as {
          labels: string[];
          data: string;
        };
        expect(meta.labels).toEqual(['dress', 'shoe']);
        expect(meta.data).toBe('tags of tenant shop');
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  },
);
