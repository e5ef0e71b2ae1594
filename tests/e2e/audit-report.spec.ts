/**
 * The allparty-audit HTML report in a real browser: built by the built CLI over a synthetic log,
 * opened from a file with no server. It must render its charts with no console error and make
 * no request at all (everything is inline). The screenshot goes to docs/screenshots/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';

const ROOT = new URL('../../', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/audit/dist/cli.js');
const SHOT = join(ROOT, 'docs/screenshots/audit-report.png');

test('the audit report opens in Chromium with its charts, no console errors and no requests', async ({
  page,
}) => {
  test.setTimeout(120_000);
  expect(existsSync(CLI), 'packages/audit/dist/cli.js: run `pnpm run build` first').toBe(true);
  const dir = mkdtempSync(join(tmpdir(), 'allparty-audit-report-'));
  try {
    const made = spawnSync(
      process.execPath,
      [join(ROOT, 'packages/audit/scripts/sample-log.mjs'), dir, '8000', '90'],
      {
        encoding: 'utf8',
      },
    );
    expect(made.status, made.stderr).toBe(0);
    const out = join(dir, 'report.html');
    const report = spawnSync(
      process.execPath,
      [CLI, 'report', dir, '--out', out, '--verify', '--public-key', join(dir, 'public-key.pem')],
      { encoding: 'utf8' },
    );
    expect(report.status, report.stderr).toBe(0);

    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(pathToFileURL(out).href);

    await expect(page.getByRole('heading', { name: 'Consent log report' })).toBeVisible();
    await expect(page.getByText('✓ Intact')).toBeVisible();
    for (const title of [
      'Consent rate per purpose over time',
      'Decisions by method',
      'Decisions by jurisdiction',
      'Time from consent to first vendor load',
      'Violations',
    ])
      await expect(page.getByRole('heading', { name: title, exact: true })).toBeVisible();
    // Every chart is drawn: SVGs with marks in them, laid out at a real size.
    const charts = page.locator('section .chart svg[viewBox]');
    expect(await charts.count()).toBeGreaterThanOrEqual(7);
    for (const svg of await charts.all()) {
      const box = await svg.boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(300);
      expect(await svg.locator('path, rect, circle, line').count()).toBeGreaterThan(3);
    }
    // The synthetic log has a few violations (a raw pixel tag on days 60–62): listed and counted.
    await expect(page.locator('.card.alert')).toContainText('violations');
    expect(await page.locator('table').first().locator('tbody tr').count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    expect(requests.filter((u) => u !== pathToFileURL(out).href)).toEqual([]);
    await page.screenshot({ path: SHOT, fullPage: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
