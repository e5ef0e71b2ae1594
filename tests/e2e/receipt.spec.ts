/**
 * "Download my consent receipt" end to end (R20): the built embed and banner chunk in Chromium,
 * the real log server (built, SQLite) on another origin of this machine. The visitor decides, the
 * log seals the record and signs a checkpoint, the visitor opens the privacy choices and saves the
 * receipt; the saved file verifies with the ledger's receipt verification under the log's key.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const ROOT = new URL('../../', import.meta.url).pathname;
const SHOTS = join(ROOT, 'docs/screenshots/');
const { startServer } = (await import(
  join(ROOT, 'packages/server/dist/index.js')
)) as typeof import('@allparty/server');
const { verifyReceipt } = (await import(
  join(ROOT, 'packages/ledger/dist/index.js')
)) as typeof import('@allparty/ledger');

type Log = Awaited<ReturnType<typeof startServer>>;

/** Runs `fn` with a log server of its own, which seals and signs only when the test says so. */
async function withLog(corsOrigins: string[], fn: (log: Log) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'allparty-e2e-receipt-'));
  const log = await startServer({
    dataDir: dir,
    port: 0,
    prefix: '/consent',
    corsOrigins,
    origin: 'consent log of the e2e shop',
    sealIntervalMs: 600_000,
    checkpointIntervalMs: 600_000,
  });
  try {
    await fn(log);
  } finally {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const config = (endpoint: string) => ({
  vendors: {},
  purposes: { personalisation: { title: { en: 'Personalisation' } } },
  policy: { url: '/privacy', version: '2026-01' },
  controller: { name: 'Fernwood Supply', email: 'privacy@fernwood.example' },
  log: { endpoint },
});

const state = (page: Page) =>
  page.evaluate(() => {
    const { subject, record } = (
      window as unknown as { allparty: { get(): { subject: string; record: string | null } } }
    ).allparty.get();
    return { subject, record };
  });

const control = (page: Page) => page.locator('[data-allparty-action="receipt"]');
const status = (page: Page) => page.locator('[data-allparty-banner="preferences"] [role="status"]');

/** Accepts on the first layer and waits until the log holds the record. */
async function accept(page: Page, log: Log) {
  await page.locator('[data-allparty-action="accept-all"]').click();
  const { record } = await state(page);
  expect(record).toMatch(/^[0-9a-f-]{36}$/);
  await expect.poll(async () => (await log.server.store.recordById(record!)) !== null).toBe(true);
  return record!;
}

async function axe(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
  ).toEqual([]);
}

test('a visitor downloads the receipt of their decision, and it verifies against the log key', async ({
  page,
  site,
}) => {
  await withLog([site.origin], async (log) => {
    await page.goto(site.allparty({ config: config(log.url) }));
    const record = await accept(page, log);
    const checkpoint = await log.server.flush();
    expect(checkpoint?.size).toBe(1);

    await page.locator('[data-allparty-action="open-preferences"]').click();
    await expect(page.locator('[data-allparty-banner="preferences"]')).toBeVisible();
    await expect(control(page)).toHaveText('Download my consent receipt');
    await axe(page);

    const saving = page.waitForEvent('download');
    await control(page).click();
    const download = await saving;
    expect(download.suggestedFilename()).toBe('consent-receipt.html');
    await expect(status(page)).toHaveText('Receipt downloaded.');
    await axe(page);
    await control(page).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'receipt-download-light.png') });

    const file = readFileSync((await download.path())!);
    const check = verifyReceipt(file, { publicKey: log.server.keys.publicKey });
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);
    expect(check.receipt?.record.id).toBe(record);
    expect(check.receipt?.record.subject).toBe((await state(page)).subject);
    expect(check.receipt?.summary).toContain('You agreed to: personalisation.');
    expect(check.receipt?.checkpoint).toMatchObject({ origin: 'consent log of the e2e shop', size: 1 });
    // One changed byte anywhere in the saved file, and it no longer verifies.
    for (const at of [0, file.indexOf('You agreed'), file.indexOf('"signature"') + 20, file.length - 2]) {
      const copy = Buffer.from(file);
      copy[at] = copy[at]! ^ 0x01;
      expect(verifyReceipt(copy, { publicKey: log.server.keys.publicKey }).ok).toBe(false);
    }
  });
});

test('while the decision waits for a checkpoint the banner says so, then saves the receipt once it is signed', async ({
  page,
  site,
}) => {
  await withLog([site.origin], async (log) => {
    await page.goto(site.allparty({ config: config(`${log.url}/`) }));
    const record = await accept(page, log);
    await page.locator('[data-allparty-action="open-preferences"]').click();
    const saving = page.waitForEvent('download');
    await control(page).click();
    await expect(status(page)).toHaveText(
      'Your choice is still being logged; the receipt will download shortly.',
    );
    await axe(page);
    await log.server.flush();
    const download = await saving;
    await expect(status(page)).toHaveText('Receipt downloaded.');
    const check = verifyReceipt(readFileSync((await download.path())!), {
      publicKey: log.server.keys.publicKey,
    });
    expect(check.ok).toBe(true);
    expect(check.receipt?.record.id).toBe(record);
  });
});

test('a log that does not list the site’s origin gives no receipt, and the banner says it failed', async ({
  page,
  site,
}) => {
  await withLog(['https://another-shop.example'], async (log) => {
    await page.goto(site.allparty({ config: config(log.url) }));
    await page.locator('[data-allparty-action="accept-all"]').click();
    const downloads: string[] = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await page.locator('[data-allparty-action="open-preferences"]').click();
    await control(page).click();
    await expect(status(page)).toHaveText('Could not download the receipt. Try again later.');
    expect(downloads).toEqual([]);
    // What the page was told: the log refuses a page of an origin it does not list.
    const { subject, record } = await state(page);
    const answer = await fetch(`${log.url}/v1/receipts/latest`, {
      method: 'POST',
      headers: { origin: site.origin, 'content-type': 'text/plain' },
      body: JSON.stringify({ subject, record }),
    });
    expect(answer.status).toBe(403);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    await axe(page);
  });
});
