import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, type Net, type Site, settle, test } from './fixtures';

// examples/site/strict.html as a site owner would deploy it: PostHog held to a declared minimum of
// live privacy settings (R16), loaded from a self-hosted copy checked against its SHA-384 hash
// (R32). The copy is the example's own stand-in; its beacons go to replay.localhost, which the
// config declares as PostHog's and the test intercepts.

const ROOT = new URL('../../', import.meta.url).pathname;
const STAND_IN = readFileSync(`${ROOT}examples/stand-ins/posthog.js`, 'utf8');

/** Serves the example page and its stand-in copy (optionally altered) under this test's prefix. */
function serveExample(site: Site, standIn = STAND_IN): string {
  const copy = new URL(site.asset('/stand-ins/posthog.js', { body: standIn })).pathname;
  const html = readFileSync(`${ROOT}examples/site/strict.html`, 'utf8').replace(
    '"src": "/stand-ins/posthog.js"',
    `"src": "${copy}"`,
  );
  expect(html).toContain(copy);
  return site.page(html);
}

const posthogEntries = (page: Page, kind: string) =>
  page.evaluate((k) => window.allparty.ledger().filter((e) => e.kind === k && e.vendor === 'posthog'), kind);
const toStandIn = (net: Net) => net.to('replay.localhost');

async function accept(page: Page) {
  await page.locator('[data-allparty-action="accept-all"]').first().click();
}

test('a PostHog that meets the minimum starts: its settings recorded, its beacons sent', async ({
  page,
  site,
  net,
}) => {
  await page.goto(serveExample(site));
  await settle(page);
  expect(net.requests).toEqual([]);
  await accept(page);
  await expect
    .poll(() => posthogEntries(page, 'settings'))
    .toEqual([expect.objectContaining({ settings: { maskInputs: true, maskText: true }, weaker: [] })]);
  await expect(page.locator('#ledger')).toContainText('settings  posthog');
  await expect.poll(() => toStandIn(net).length, { timeout: 8000 }).toBeGreaterThan(0);
  expect(await posthogEntries(page, 'stop')).toEqual([]);
});

test('a PostHog with text masking off is refused: logged, recorded, its beacons held', async ({
  page,
  site,
  net,
  logs,
}) => {
  await page.goto(`${serveExample(site)}?weaker`);
  await accept(page);
  await expect
    .poll(() => posthogEntries(page, 'settings'))
    .toEqual([
      expect.objectContaining({ settings: { maskInputs: true, maskText: false }, weaker: ['maskText'] }),
    ]);
  expect(logs).toContainEqual(
    expect.stringMatching(/^error: allparty: PostHog was stopped.*maskText is off/),
  );
  await expect(page.locator('#ledger')).toContainText('REFUSED: maskText');
  expect(await posthogEntries(page, 'stop')).toHaveLength(1);
  // Stopped before its first beacon: nothing reached its host, and the grant itself stands.
  await settle(page);
  expect(toStandIn(net)).toEqual([]);
  expect(await page.evaluate(() => window.allparty.get().vendors.posthog)).toBe(true);
});

test('a copy that differs from its integrity hash does not run (R32)', async ({ page, site, net, logs }) => {
  await page.goto(serveExample(site, `${STAND_IN}\nwindow.tampered = true;\n`));
  await accept(page);
  await expect.poll(() => logs.filter((l) => l.startsWith('error:') && /integrity/i.test(l))).not.toEqual([]);
  await settle(page);
  expect(await page.evaluate(() => (window as unknown as { tampered?: boolean }).tampered)).toBeUndefined();
  expect(await posthogEntries(page, 'settings')).toEqual([]);
  expect(toStandIn(net)).toEqual([]);
});
