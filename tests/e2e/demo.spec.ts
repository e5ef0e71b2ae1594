import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { expect, test } from '@playwright/test';

// The demo (`pnpm start`) as a visitor meets it: the banner over the shop, nothing sent to the
// stand-in vendors until a choice, and the guard holding the tag manager's injected replay.

let demo: ChildProcess;
let base: string;

test.beforeAll(async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  demo = spawn(process.execPath, ['scripts/demo.mjs'], {
    env: { ...process.env, PORT: String(port) },
    stdio: 'pipe',
  });
  await new Promise<void>((resolve, reject) => {
    demo.stdout?.on('data', (d: Buffer) => d.toString().includes('demo running') && resolve());
    demo.on('exit', (code) => reject(new Error(`demo exited with ${code}`)));
  });
  base = `http://localhost:${port}`;
});

test.afterAll(() => {
  demo.kill();
});

const vendorsReceived = async () =>
  (await (await fetch(`${base}/__demo/vendors`)).json()) as Array<{ vendor: string }>;

test('the demo shows the banner and sends nothing to vendors until the visitor accepts', async ({ page }) => {
  await page.goto(`${base}/site/`);
  await expect(page.locator('[data-allparty-banner]').first()).toBeVisible();
  await page.waitForTimeout(1800); // the tag manager injects replay 1 s after load
  expect(await vendorsReceived()).toEqual([]);
  await expect(page.locator('#ledger')).toContainText('held');
  await page.locator('[data-allparty-action="accept-all"]').first().click();
  await expect
    .poll(async () => (await vendorsReceived()).map((r) => r.vendor))
    .toContain('analytics.localhost');
  await expect
    .poll(async () => (await vendorsReceived()).map((r) => r.vendor), { timeout: 8000 })
    .toContain('replay.localhost');
});

test('after Reject, the stand-in vendors receive nothing', async ({ page }) => {
  const before = (await vendorsReceived()).length;
  await page.goto(`${base}/site/`);
  await page.locator('[data-allparty-action="reject-all"]').first().click();
  await page.waitForTimeout(2500);
  expect((await vendorsReceived()).length).toBe(before);
});

test('the privacy choices download a receipt from the demo log that verifies under its published key', async ({
  page,
}) => {
  // The receipt waits for the demo log to seal the decision and sign a checkpoint (every 2 s),
  // and the banner asks every 3 s up to 10 times: on a busy machine that takes most of 30 s.
  test.setTimeout(60_000);
  const { publicKeyFromPem, verifyReceipt } = (await import(
    new URL('../../packages/ledger/dist/index.js', import.meta.url).pathname
  )) as typeof import('@allparty/ledger');
  await page.goto(`${base}/site/`);
  await page.locator('[data-allparty-action="accept-all"]').first().click();
  await page.locator('[data-allparty-action="open-preferences"]').click();
  const saving = page.waitForEvent('download');
  await page.locator('[data-allparty-action="receipt"]').click();
  // The demo log signs a checkpoint every 2 s; the banner asks again until one covers the decision.
  const download = await saving;
  await expect(page.locator('[data-allparty-banner="preferences"] [role="status"]')).toHaveText(
    'Receipt downloaded.',
  );
  const published = (await (
    await fetch(`${base}/consent/v1/checkpoints/latest`, { headers: { authorization: 'Bearer demo' } })
  ).json()) as { publicKey: string };
  const check = verifyReceipt(readFileSync((await download.path())!), {
    publicKey: publicKeyFromPem(published.publicKey),
  });
  expect(check.problems).toEqual([]);
  expect(check.receipt?.record.id).toBe(
    await page.evaluate(
      () => (window as unknown as { allparty: { get(): { record: string } } }).allparty.get().record,
    ),
  );
  expect(check.receipt?.record.controller?.name).toBe('Acme Outdoor Inc.');
});
