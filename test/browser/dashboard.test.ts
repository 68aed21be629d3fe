import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { AppProcess } from '../support/app-process';
import { artifactPath, describeWithBrowser, launchChromium } from '../support/browser';
import { describeWithDataset, firstPhotos } from '../support/datasets';
import { PipelineHarness } from '../support/pipeline';
import { waitFor } from '../support/services';

jest.setTimeout(600_000);

describeWithDataset('clothing', 'merchandiser dashboard', (dir) => {
  describeWithBrowser('the dashboard served at / by the GraphQL app, in Chromium', () => {
    const harness = new PipelineHarness();
    let graphql: AppProcess;
    let browser: Browser;
    let page: Page;

    const stateOf = async (itemId: string, word: string) =>
      (
        await harness.query<{ state: string }>(
          'SELECT state::text FROM tags WHERE item_id = $1 AND word = $2',
          [itemId, word],
        )
      )[0]?.state;

    beforeAll(async () => {
      await harness.start({ storeServer: true });
      await harness.startEmbedder();
      const photos = firstPhotos(dir, ['shoes', 'dress'], 5);
      await harness.indexItems(
        photos.map((p, i) => ({
          externalId: `d-${i}`,
          title: `${p.label === 'shoes' ? 'Leather shoe' : 'Summer dress'} ${i}`,
          category: p.label,
          imageBase64: readFileSync(p.file).toString('base64'),
        })),
      );
      graphql = await harness.startGraphql();
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    });
    afterAll(async () => {
      await browser?.close();
      await harness.stop();
    });

    it('asks for the key once, searches "shoe", rejects a tag on an item, and the decision survives a reload', async () => {
      await page.goto(`${graphql.url}/`);
      await page.getByLabel('API key').fill(harness.curatorKey);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.locator('catalog-view .card').first().waitFor({ timeout: 30_000 });
      expect(await page.locator('catalog-view .card').count()).toBe(10);

      await page.getByLabel('search').fill('shoe');
      await page.getByRole('button', { name: 'Search' }).click();
      // The grid says what it shows once the search results arrived (the newest items were there before).
      await page.locator('catalog-view .grid[data-shown="HYBRID:shoe"] .card').first().waitFor();
      const titles = await page.locator('catalog-view .card .title').allTextContents();
      expect(titles[0]).toMatch(/^Leather shoe/);
      await page.screenshot({ path: artifactPath('dashboard-search.png') });

      await page.locator('catalog-view .card').first().click();
      const suggested = page.locator('item-view .tag[data-state="SUGGESTED"]').first();
      await suggested.waitFor({ timeout: 30_000 });
      const word = (await suggested.getAttribute('data-word'))!;
      const itemId = /#\/item\/(.+)$/.exec(page.url())![1]!;
      await suggested.getByRole('button', { name: 'reject' }).click();
      await page.locator(`item-view .tag[data-word="${word}"][data-state="REJECTED"]`).waitFor();
      expect(await stateOf(itemId, word)).toBe('rejected');
      await page.locator('item-view .grid .card').first().waitFor(); // similar items
      await page.screenshot({ path: artifactPath('dashboard-item.png'), fullPage: true });

      await page.reload();
      await page
        .locator(`item-view .tag[data-word="${word}"][data-state="REJECTED"]`)
        .waitFor({ timeout: 30_000 });
    });

    it('bulk-accepts from the review queue, least confident first', async () => {
      await page.goto(`${graphql.url}/#/review`);
      const rows = page.locator('review-view tr');
      await rows.first().waitFor({ timeout: 30_000 });
      const before = await rows.count();
      expect(before).toBeGreaterThan(3);
      const scores = (await page.locator('review-view td.muted').allTextContents()).map(Number);
      expect([...scores].sort((a, b) => a - b)).toEqual(scores);
      // Select the first three with the keyboard (x, j), then accept them with the button.
      for (let i = 0; i < 3; i++) {
        await page.keyboard.press('x');
        await page.keyboard.press('j');
      }
      await page.locator('review-view .actions .muted', { hasText: '3 selected' }).waitFor();
      const picked = await Promise.all([0, 1, 2].map((i) => rows.nth(i).getAttribute('data-word')));
      await page.getByRole('button', { name: 'Accept selected' }).click();
      await waitFor(
        'rows accepted',
        async () => ((await rows.count()) === before - 3 ? true : undefined),
        30_000,
        200,
      );
      const accepted = await harness.query<{ word: string }>(
        "SELECT word FROM tags WHERE state = 'accepted'",
      );
      for (const word of picked) expect(accepted.map((a) => a.word)).toContain(word);
      await page.screenshot({ path: artifactPath('dashboard-review.png'), fullPage: true });
    });
  });
});
