import { readFileSync } from 'node:fs';
import { pointId } from '@catalens/contracts';
import type { AppProcess } from '../support/app-process';
import { artifactPath, describeWithBrowser, launchChromium } from '../support/browser';
import { describeWithDataset, firstPhotos } from '../support/datasets';
import { PipelineHarness } from '../support/pipeline';
import { waitFor } from '../support/services';
import { seedTenant } from '../support/tenants';
import { postGraphql, type GqlResponse } from '../support/graphql';

jest.setTimeout(600_000);

const LABELS = ['dress', 'hat', 'shoes', 'pants'];
/**
 * The word the merchandiser uses per label. "hats" is not in the shipped vocabulary, so the
 * deployment's head can never suggest it: only the tenant's own head can learn it.
 */
const TAUGHT: Record<string, string> = { dress: 'dress', hat: 'hats', shoes: 'shoes', pants: 'pants' };
const HEADS = `{ semanticHeads { serving training { state version decision error automatic }
  versions { version state labels report { trainItems heldOutItems decision reason recomputed
    serving { head tagP5 textR10 n } candidate { head tagP5 textR10 n } } } } }`;

describeWithDataset(
  'clothing',
  'per-tenant semantic heads trained from feedback (ingest, embedder, store and GraphQL processes)',
  (dir) => {
    const harness = new PipelineHarness();
    let graphql: AppProcess;
    let otherKeys: { ingest: string; curator: string };

    const gql = (query: string, variables: object = {}, key = harness.curatorKey): Promise<GqlResponse> =>
      postGraphql(graphql.url, query, variables, key);
    /** Item id, label and automatic tags of every item of the tenant named by `slug`. */
    const autoTags = async (slug: string) => {
      const rows = await harness.query<{ id: string; external_id: string; words: string[] | null }>(
        `SELECT i.id::text, i.external_id, array_agg(t.word ORDER BY t.word) FILTER (WHERE t.source = 'auto' AND t.state = 'suggested') AS words
         FROM items i JOIN tenants n ON n.id = i.tenant_id LEFT JOIN tags t ON t.item_id = i.id
         WHERE n.slug = $1 GROUP BY i.id, i.external_id ORDER BY i.external_id`,
        [slug],
      );
      return rows.map((r) => ({
        id: r.id,
        external: r.external_id,
        label: r.external_id.split('-')[0]!,
        words: r.words ?? [],
      }));
    };
    /** Share of the items no one gave feedback on whose automatic tags include their word. */
    const unlabelledHitRate = (items: { external: string; label: string; words: string[] }[]) => {
      const held = items.filter((i) => i.external.includes('-u-'));
      return {
        n: held.length,
        rate: held.filter((i) => i.words.includes(TAUGHT[i.label]!)).length / held.length,
      };
    };
    const trained = async (key = harness.curatorKey) => {
      const started = await gql('mutation { trainSemanticHead { state automatic } }', {}, key);
      expect(started.errors).toBeUndefined();
      expect(started.data!.trainSemanticHead).toEqual({ state: 'TRAINING', automatic: false });
      return waitFor(
        'training finished',
        async () => {
          const heads = (await gql(HEADS, {}, key)).data!.semanticHeads;
          return heads.training.state === 'TRAINING' ? undefined : heads;
        },
        300_000,
        500,
      );
    };

    beforeAll(async () => {
      await harness.start({ storeServer: true });
      await harness.startEmbedder({ EMBEDDER_VOCABULARY_TTL_MS: '1000' });
      // No categories: what the tenant's head learns comes from the merchandiser's tags alone.
      // Per label, 12 items get feedback and 4 (`-u-`) never do: those measure what was learnt.
      const photos = firstPhotos(dir, LABELS, 16);
      await harness.indexItems(
        photos.map((p, i) => ({
          externalId: i % 16 < 12 ? `${p.label}-${i}` : `${p.label}-u-${i}`,
          title: `Item ${i}`,
          imageBase64: readFileSync(p.file).toString('base64'),
        })),
      );
      const other = await seedTenant(harness.db.url, 'other', [['ingest'], ['curate', 'admin']]);
      otherKeys = { ingest: other.keys[0]!, curator: other.keys[1]! };
      const otherPhotos = firstPhotos(dir, ['dress', 'hat'], 4);
      await harness.postItems(
        otherPhotos.map((p, i) => ({
          externalId: `${p.label}-${i}`,
          title: `Other ${i}`,
          imageBase64: readFileSync(p.file).toString('base64'),
        })),
        25,
        otherKeys.ingest,
      );
      await waitFor(
        'all indexed',
        async () =>
          ((await harness.statusCounts()).indexed ?? 0) >= photos.length + otherPhotos.length
            ? true
            : undefined,
        300_000,
        500,
      );
      graphql = await harness.startGraphql({ SEMANTIC_HEAD_AUTOTRAIN_EVERY: '0' });
    });
    afterAll(async () => {
      await harness.stop();
    });

    it('refuses to train without enough feedback, saying what is needed', async () => {
      const heads = await trained();
      expect(heads.serving).toBe('conse');
      expect(heads.training.state).toBe('FAILED');
      expect(heads.training.error).toMatch(
        /needs feedback on at least 12 indexed items .* accept, add or reject tags/,
      );
      expect(heads.versions).toEqual([]);
    });

    it('feedback trains a head that is promoted, re-tags the items without feedback better, and leaves another tenant alone', async () => {
      const before = await autoTags('shop');
      const otherBefore = await autoTags('other');
      // The merchandiser labels every item once, and rejects one wrong suggestion per label.
      for (const label of LABELS) {
        const items = before.filter((i) => i.label === label && !i.external.includes('-u-'));
        const add = await gql(
          'mutation($ids: [ID!]!, $w: [String!]!) { addTags(itemIds: $ids, words: $w) { changed } }',
          {
            ids: items.map((i) => i.id),
            w: [TAUGHT[label]],
          },
        );
        expect(add.errors).toBeUndefined();
        const wrong = items.flatMap((i) =>
          i.words.filter((w) => !LABELS.includes(w) && w !== TAUGHT[label]).map((w) => [i.id, w] as const),
        )[0];
        if (wrong)
          expect(
            (
              await gql(
                'mutation($ids: [ID!]!, $w: [String!]!) { rejectTags(itemIds: $ids, words: $w) { changed } }',
                {
                  ids: [wrong[0]],
                  w: [wrong[1]],
                },
              )
            ).errors,
          ).toBeUndefined();
      }

      const heads = await trained();
      expect(heads.training).toMatchObject({ state: 'DONE', version: 1, decision: 'PROMOTED', error: null });
      expect(heads.serving).toBe('tenant-v1');
      const [v1] = heads.versions;
      expect(v1).toMatchObject({
        version: 1,
        state: 'ACTIVE',
        report: { decision: 'PROMOTED', recomputed: 64 },
      });
      expect(v1.labels).toEqual(Object.values(TAUGHT).sort());
      expect(v1.report.trainItems + v1.report.heldOutItems).toBe(48);
      expect(v1.report.candidate.tagP5).toBeGreaterThanOrEqual(v1.report.serving.tagP5);
      console.log(`head v1: ${v1.report.reason}`);

      // Items no one gave feedback on (never trained on) now carry their word among the automatic
      // tags more often.
      const after = await autoTags('shop');
      const was = unlabelledHitRate(before);
      const now = unlabelledHitRate(after);
      console.log(
        `items without feedback with their word among the automatic tags: ${was.rate.toFixed(2)} → ${now.rate.toFixed(2)} (n=${now.n})`,
      );
      expect(now.rate).toBeGreaterThan(was.rate);
      expect(now.rate).toBeGreaterThanOrEqual(0.75);
      // The word taught outside the vocabulary is now suggested for the hats nobody labelled.
      const unlabelledHats = (rows: typeof after) => rows.filter((i) => i.external.startsWith('hat-u-'));
      expect(unlabelledHats(before).some((i) => i.words.includes('hats'))).toBe(false);
      expect(unlabelledHats(after).filter((i) => i.words.includes('hats')).length).toBeGreaterThanOrEqual(3);

      // Text search runs in the tenant head's space, with its words: "hats" finds hats first.
      const search = await gql(
        '{ searchImages(text: "hats", first: 5) { hits { item { externalId } } } }',
        {},
        harness.searchKey,
      );
      expect(search.errors).toBeUndefined();
      const top = (search.data!.searchImages.hits as { item: { externalId: string } }[]).map(
        (h) => h.item.externalId,
      );
      expect(top.filter((id) => id.startsWith('hat-')).length).toBeGreaterThanOrEqual(4);

      // The other tenant: same tags, still the deployment's head.
      expect(await autoTags('other')).toEqual(otherBefore);
      expect((await gql(HEADS, {}, otherKeys.curator)).data!.semanticHeads).toMatchObject({
        serving: 'conse',
        versions: [],
      });
    });

    it('new items of the tenant are embedded with its head', async () => {
      const photo = firstPhotos(dir, ['hat'], 20)[19]!;
      await harness.indexItems([
        { externalId: 'hat-new', title: 'New', imageBase64: readFileSync(photo.file).toString('base64') },
      ]);
      const [row] = await harness.query<{ id: string }>(
        "SELECT id::text FROM items WHERE external_id = 'hat-new'",
      );
      const [point] = await harness
        .vectorStore()
        .retrieve(harness.collection, [pointId(harness.tenantId, row!.id)]);
      expect(point!.payload).toMatchObject({ semanticHead: 'tenant-v1' });
      expect((await autoTags('shop')).find((i) => i.id === row!.id)!.words).toContain('hats');
    });

    describeWithBrowser('the dashboard', () => {
      it('shows which head serves, the held-out report and the decision', async () => {
        const browser = await launchChromium();
        try {
          const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
          await page.goto(`${graphql.url}/#/heads`);
          await page.getByLabel('API key').fill(harness.curatorKey);
          await page.getByRole('button', { name: 'Continue' }).click();
          await page
            .locator('heads-view [data-serving]', { hasText: 'tenant-v1' })
            .waitFor({ timeout: 30_000 });
          const v1 = page.locator('heads-view section[data-version="1"][data-state="ACTIVE"]');
          await v1.waitFor();
          expect(await v1.locator('[data-decision]').textContent()).toBe('Promoted');
          expect(await v1.locator('td[data-candidate="tagP5"]').getAttribute('class')).toBe('better');
          await page.screenshot({ path: artifactPath('dashboard-semantic-head.png'), fullPage: true });
        } finally {
          await browser.close();
        }
      });
    });

    it('rolls back to the deployment head and to an earlier version; refuses an unknown version', async () => {
      const unknown = await gql('mutation { rollbackSemanticHead(version: 99) { serving } }');
      expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'version' });

      const toDeployment = await gql(
        'mutation { rollbackSemanticHead(version: null) { serving recomputed reindexJob } }',
      );
      expect(toDeployment.errors).toBeUndefined();
      expect(toDeployment.data!.rollbackSemanticHead).toMatchObject({ serving: 'conse', recomputed: 0 });
      const job = toDeployment.data!.rollbackSemanticHead.reindexJob as string;
      await waitFor(
        'reindex done',
        async () => {
          const res = await gql('query($id: ID!) { reindexJob(id: $id) { state } }', { id: job });
          return res.data!.reindexJob.state === 'DONE' ? true : undefined;
        },
        300_000,
        500,
      );
      expect((await gql(HEADS)).data!.semanticHeads.versions[0]).toMatchObject({
        version: 1,
        state: 'RETIRED',
      });

      const back = await gql(
        'mutation { rollbackSemanticHead(version: 1) { serving recomputed reindexJob } }',
      );
      expect(back.errors).toBeUndefined();
      expect(back.data!.rollbackSemanticHead).toEqual({
        serving: 'tenant-v1',
        recomputed: 65,
        reindexJob: null,
      });
      expect((await gql(HEADS)).data!.semanticHeads.versions[0]).toMatchObject({
        version: 1,
        state: 'ACTIVE',
      });
    });

    it('trains automatically after SEMANTIC_HEAD_AUTOTRAIN_EVERY decisions, and says when feedback is too little', async () => {
      const auto = await harness.startGraphql({ SEMANTIC_HEAD_AUTOTRAIN_EVERY: '2' });
      const ask = (query: string, variables: object = {}) =>
        postGraphql(auto.url, query, variables, otherKeys.curator);
      const items = await autoTags('other');
      const add = 'mutation($ids: [ID!]!, $w: [String!]!) { addTags(itemIds: $ids, words: $w) { changed } }';
      expect((await ask(add, { ids: [items[0]!.id], w: ['dress'] })).errors).toBeUndefined();
      expect((await ask(HEADS)).data!.semanticHeads.training).toBeNull(); // one decision: not yet
      expect((await ask(add, { ids: [items[1]!.id], w: ['dress'] })).errors).toBeUndefined();
      const training = await waitFor(
        'automatic training finished',
        async () => {
          const t = (await ask(HEADS)).data!.semanticHeads.training;
          return t && t.state !== 'TRAINING' ? t : undefined;
        },
        60_000,
        300,
      );
      // The other tenant has 8 items: the training refuses and says what it needs.
      expect(training).toMatchObject({ state: 'FAILED', automatic: true });
      expect(training.error).toMatch(/needs feedback on at least 12 indexed items/);
      expect((await ask(HEADS)).data!.semanticHeads.serving).toBe('conse');
    });
  },
);
