import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { type Site, settle, test } from './fixtures';

// Click-to-load placeholders for tagged embeds, through the built embed, its banner chunk and
// the YouTube adapter chunk.

const SHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
const YOUTUBE = /youtube(-nocookie)?\.com/;

function videoPage(site: Site) {
  return site.allparty({
    config: { vendors: { youtube: {} } },
    body: `<main style="font: 16px/1.5 Georgia, serif; max-width: 640px; margin: 24px auto">
      <h1>How our mugs are made</h1>
      <iframe data-src="https://www.youtube.com/embed/dQw4w9WgXcQ" data-allparty="video" data-vendor="youtube"
        width="560" height="315" title="How our mugs are made (video)"></iframe>
      <p>Every mug is thrown, trimmed and glazed by hand.</p></main>`,
  });
}

const placeholder = (page: Page) => page.locator('[data-allparty-embed="youtube"]');
const records = (page: Page) =>
  page.evaluate(
    () =>
      (
        window as unknown as {
          records: Array<{ method: { control?: string }; vendors: Record<string, boolean> }>;
        }
      ).records,
  );
async function watch(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as {
      records: unknown[];
      allparty: { on(e: string, fn: (r: unknown) => void): void };
    };
    w.records = [];
    w.allparty.on('record', (r) => w.records.push(r));
  });
}
const youtubeRequests = (net: { requests: Array<{ url: string }> }) =>
  net.requests.filter((r) => YOUTUBE.test(r.url));

test('a tagged video stays a placeholder naming the vendor and what it receives; no request', async ({
  page,
  site,
  net,
}) => {
  await page.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      const r = document.querySelector('iframe')!.getBoundingClientRect();
      (window as unknown as { frameBox: number[] }).frameBox = [r.width, r.height];
    });
  });
  await page.goto(videoPage(site));
  await page.locator('[data-allparty-action="reject-all"]').click();
  await expect(placeholder(page)).toBeVisible();
  await expect(placeholder(page)).toContainText('Content from YouTube');
  await expect(placeholder(page)).toContainText('Google LLC');
  await expect(page.locator('iframe[title^="How our mugs"]')).toBeHidden();
  // Same box as the frame: nothing moves when it is swapped in or out.
  const box = await placeholder(page).boundingBox();
  const frameBox = await page.evaluate(() => (window as unknown as { frameBox: number[] }).frameBox);
  expect([box?.width, box?.height]).toEqual(frameBox);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: `${SHOTS}embed-placeholder-light.png` });
  await settle(page);
  expect(youtubeRequests(net)).toEqual([]);
});

test('"Load once" loads this frame for this page view only and records nothing', async ({
  page,
  site,
  net,
}) => {
  const url = videoPage(site);
  await page.goto(url);
  await page.locator('[data-allparty-action="reject-all"]').click();
  await watch(page);
  await placeholder(page).locator('[data-allparty-action="embed-once"]').click();
  await expect(placeholder(page)).toHaveCount(0);
  await expect(page.locator('iframe[title^="How our mugs"]')).toBeVisible();
  await expect.poll(() => youtubeRequests(net).length).toBeGreaterThan(0);
  expect(await records(page)).toEqual([]);
  await page.goto(url);
  await expect(placeholder(page)).toBeVisible();
});

test('"Always allow" records a grant with control embed-always; the next page view loads it at once', async ({
  page,
  site,
  net,
}) => {
  const url = videoPage(site);
  await page.goto(url);
  await page.locator('[data-allparty-action="reject-all"]').click();
  await watch(page);
  await placeholder(page).locator('[data-allparty-action="embed-always"]').click();
  await expect(placeholder(page)).toHaveCount(0);
  const [record] = await records(page);
  expect(record?.method.control).toBe('embed-always');
  expect(record?.vendors).toEqual({ youtube: true });
  await expect.poll(() => youtubeRequests(net).length).toBeGreaterThan(0);
  await page.goto(url);
  await expect(page.locator('iframe[title^="How our mugs"]')).toHaveAttribute('src', YOUTUBE);
  await expect(placeholder(page)).toHaveCount(0);
});
