// Opens an app the docs had the reader build (its production `dist/`) in Chromium, as a visitor:
// served from a local origin, every request that leaves it recorded and answered by a stand-in
// (nothing reaches a real vendor). Checks the banner shows, nothing leaves before Accept, the
// gated content and the vendor load after it, and the gated content goes on a withdrawal.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium } from '@playwright/test';
import { findChromium } from './browser.mjs';

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
};
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Serves a folder; POSTs (the consent log endpoint) get 204. */
export function serveFolder(root) {
  const server = createServer((req, res) => {
    if (req.method === 'POST') return void req.resume().on('end', () => res.writeHead(204).end());
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    let file = join(root, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ready) =>
    server.listen(0, '127.0.0.1', () =>
      ready({ origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() }),
    ),
  );
}

export async function checkBuiltApp(dist) {
  if (!existsSync(join(dist, 'index.html'))) return [`no ${dist}/index.html: the build did not run`];
  const site = await serveFolder(dist);
  const found = await findChromium();
  const browser = await chromium.launch({
    ...(found?.executablePath ? { executablePath: found.executablePath } : {}),
    args: ARGS,
  });
  const problems = [];
  try {
    const context = await browser.newContext();
    const outside = [];
    await context.route(
      (url) => url.origin !== site.origin,
      (route) => {
        outside.push(route.request().url());
        return route.fulfill({ status: 200, contentType: 'text/javascript', body: '/* stand-in */' });
      },
    );
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(site.origin);
    const accept = page.locator('[data-allparty-action="accept-all"]');
    await accept.waitFor({ timeout: 10_000 }).catch(() => problems.push('the banner did not show'));
    if (!(await page.getByText('Session recording is off.').isVisible()))
      problems.push('the fallback is not shown');
    await page.waitForTimeout(500);
    if (outside.length) problems.push(`requests left the site before Accept: ${outside.join(', ')}`);
    if (!problems.length) {
      await accept.click();
      await page
        .getByText('Session recording is on.')
        .waitFor({ timeout: 5_000 })
        .catch(() => problems.push('the gated content did not appear after Accept'));
      await page.waitForTimeout(1_000);
      if (!outside.some((u) => new URL(u).hostname.endsWith('hotjar.com')))
        problems.push('Hotjar did not load after Accept');
      // A vendor that cannot be unloaded reloads the page on withdrawal: the evaluation may not return.
      await page.evaluate(() => window.allparty.withdraw()).catch(() => {});
      await page
        .getByText('Session recording is off.')
        .waitFor({ timeout: 5_000 })
        .catch(() => problems.push('the gated content stayed after the withdrawal'));
    }
    for (const e of errors) problems.push(`page error: ${e}`);
  } finally {
    await browser.close();
    site.close();
  }
  return problems;
}
