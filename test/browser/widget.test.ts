import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { AppProcess } from '../support/app-process';
import { artifactPath, describeWithBrowser, launchChromium } from '../support/browser';
import { describeWithDataset, firstPhotos } from '../support/datasets';
import { TestImageServer } from '../support/image-server';
import { PipelineHarness } from '../support/pipeline';

jest.setTimeout(600_000);

describeWithDataset('clothing', 'storefront widget', (dir) => {
  describeWithBrowser('<catalens-similar> on a static page of another origin, in Chromium', () => {
    const harness = new PipelineHarness();
    const site = new TestImageServer();
    let graphql: AppProcess;
    let browser: Browser;
    let dressId: string;

    beforeAll(async () => {
      await harness.start({ storeServer: true });
      await harness.startEmbedder();
      const photos = firstPhotos(dir, ['dress', 'shoes'], 5);
      await harness.indexItems(
        photos.map((p, i) => ({
          externalId: `w-${i}`,
          title: `${p.label} ${i}`,
          category: p.label,
          price: 20 + i,
          imageBase64: readFileSync(p.file).toString('base64'),
        })),
      );
      dressId = (
        await harness.query<{ id: string }>("SELECT id::text FROM items WHERE external_id = 'w-0'")
      )[0]!.id;
      graphql = await harness.startGraphql();
      await site.start();
      const page = (key: string) =>
        Buffer.from(`<!doctype html><html><head><title>shop</title></head><body>
          <h1>A dress</h1>
          <catalens-similar item="${dressId}" key="${key}" limit="4" link="/products/{externalId}"></catalens-similar>
          <script src="${graphql.url}/widget.js"></script>
        </body></html>`);
      site.serve('/product.html', page(harness.searchKey), 'text/html');
      site.serve('/broken.html', page('clk_wrong_key'), 'text/html');
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await site.stop();
      await harness.stop();
    });

    it('renders similar items with thumbnails, titles, prices and links', async () => {
      // The page's origin (another port) differs from the API's: the widget's calls are CORS requests.
      const page = await browser.newPage();
      await page.goto(site.url('/product.html'));
      const cards = page.locator('catalens-similar a.card');
      await cards.first().waitFor({ timeout: 60_000 });
      expect(await cards.count()).toBe(4);
      const hrefs = await Promise.all([0, 1, 2, 3].map((i) => cards.nth(i).getAttribute('href')));
      for (const href of hrefs) expect(href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/products\/w-[1-9]$/);
      // Every thumbnail really loaded (signed links to the API, served cross-origin to <img>).
      await page.waitForFunction(
        `[...document.querySelector('catalens-similar').shadowRoot.querySelectorAll('img')]
           .every((img) => img.complete && img.naturalWidth > 0)`,
        undefined,
        { timeout: 30_000 },
      );
      const titles = await page.locator('catalens-similar .title').allTextContents();
      expect(titles).toHaveLength(4);
      expect(titles).not.toContain('dress 0');
      // The real model and index behind it: a dress's neighbours are mostly dresses.
      expect(titles.filter((t) => t.startsWith('dress')).length).toBeGreaterThanOrEqual(3);
      expect(await page.locator('catalens-similar .price').first().textContent()).toMatch(/\d/);
      await page.screenshot({ path: artifactPath('widget.png'), fullPage: true });
      await page.close();
    });

    it('shows a quiet message when the API refuses the key', async () => {
      const page = await browser.newPage();
      await page.goto(site.url('/broken.html'));
      await page.locator('catalens-similar .status', { hasText: 'unavailable' }).waitFor({ timeout: 30_000 });
      await page.screenshot({ path: artifactPath('widget-error.png') });
      await page.close();
    });
  });
});
