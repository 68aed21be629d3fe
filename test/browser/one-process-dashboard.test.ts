import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { waitFor } from '../support/services';
import { artifactPath, describeWithBrowser, launchChromium } from '../support/browser';
import {
  SAMPLE,
  adminKey,
  indexedCount,
  shoePhoto,
  startStandalone,
  stopStandalone,
  trimmedCatalog,
  type Running,
} from '../support/standalone';

jest.setTimeout(600_000);

describeWithBrowser('the dashboard of a freshly started `npm start` instance, in Chromium', () => {
  let work: string;
  let instance: Running;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'catalens-dashboard-'));
    instance = await startStandalone(join(work, 'data'), trimmedCatalog(work, 3));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${instance.graphql}/`);
    await page.getByLabel('API key').fill(adminKey(join(work, 'data')));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('catalog-view .card').first().waitFor({ timeout: 30_000 });
  });
  afterAll(async () => {
    await browser?.close();
    if (instance) await stopStandalone(instance);
    rmSync(work, { recursive: true, force: true });
  });

  it('ingests dropped photos from the ingest page (another origin: ingest’s CORS) and follows them until indexed', async () => {
    await page.getByRole('link', { name: 'Add items' }).click();
    await page.getByLabel('Category for these items').fill('shoes');
    await page
      .getByLabel('Photos to ingest')
      .setInputFiles([
        join(SAMPLE, 'images/shoes', shoePhoto()),
        join(SAMPLE, 'images/shoes', shoePhoto('sample-shoes-21')),
      ]);
    const rows = page.locator('ingest-view tr[data-external-id]');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    await page.locator('ingest-view [data-state="indexed"]').nth(1).waitFor({ timeout: 120_000 });
    expect(await page.locator('ingest-view [data-progress]').textContent()).toContain('2 of 2 indexed');
    await page.screenshot({ path: artifactPath('dashboard-ingest.png'), fullPage: true });
    expect(await indexedCount(instance, adminKey(join(work, 'data')))).toBe(32);

    // An image URL ingest cannot use (loopback addresses are refused) shows its reason in the row.
    await page.getByLabel('Image URLs').fill('http://127.0.0.1:9/nothing.jpg');
    await page.getByRole('button', { name: 'Send URLs' }).click();
    const refused = page.locator('ingest-view [data-state="refused"]');
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.textContent()).toMatch(/refused —.+/);

    // The indexed row links to its item page.
    await page
      .locator('ingest-view [data-state="indexed"]')
      .first()
      .locator('xpath=..')
      .getByRole('link')
      .click();
    await page.locator('item-view .tag').first().waitFor({ timeout: 30_000 });
  });

  it('draws the embedding map of the catalog, coloured by category, with the photo on hover', async () => {
    await page.getByRole('link', { name: 'Embedding map' }).click();
    const points = page.locator('map-view svg circle');
    await points.first().waitFor({ timeout: 30_000 });
    expect(await points.count()).toBe(32);
    const legend = await page.locator('map-view .legend span').allTextContents();
    expect(legend).toEqual(expect.arrayContaining(['shoes', 'dress', 'hat']));
    expect(await page.locator('map-view [data-map-summary]').textContent()).toMatch(
      /32 items · the two axes show \d+%\s+of/,
    );

    await points.first().hover();
    const tip = page.locator('map-view [data-tip]');
    await tip.waitFor();
    expect(await tip.locator('img').getAttribute('src')).toMatch(/\/v1\/thumbnails\//);
    await page.screenshot({ path: artifactPath('dashboard-map.png') });

    await page.getByLabel('Colour by').selectOption('TAG');
    // Playwright's locators pierce shadow roots; the legend changes once the tag-coloured map arrived.
    await waitFor(
      'legend by tag',
      async () => {
        const now = await page.locator('map-view .legend span').allTextContents();
        return now.length > 0 && JSON.stringify(now) !== JSON.stringify(legend) ? true : undefined;
      },
      30_000,
    );
  });
});
