/**
 * The app examples (examples/react-vite, examples/nextjs), built for production as a user
 * would, once per change: a build is skipped when its inputs (the example's files, the built
 * React binding and embed, the lockfile) hash to the stamp the last build left.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type BrowserContext, expect, type Page } from '@playwright/test';

const ROOT = new URL('../../', import.meta.url).pathname;
const SKIP = new Set(['node_modules', 'dist', '.next', 'next-env.d.ts', 'tsconfig.tsbuildinfo', 'allparty']);
const BUILT = [
  'packages/react/dist/index.js',
  'packages/banner/dist/texts.js',
  'packages/embed/dist/allparty.js',
];

function inputs(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !SKIP.has(name))
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? inputs(path) : [path];
    });
}

/** Builds examples/<name> unless its output is current; returns the example's folder. */
export function buildExample(name: 'react-vite' | 'nextjs', output: string): string {
  const dir = join(ROOT, 'examples', name);
  const hash = createHash('sha256');
  for (const file of [
    ...inputs(dir).sort(),
    ...BUILT.map((f) => join(ROOT, f)),
    join(ROOT, 'pnpm-lock.yaml'),
  ])
    hash.update(file).update(readFileSync(file));
  const digest = hash.digest('hex');
  const stamp = join(dir, output, '.allparty-build');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return dir;
  const built = spawnSync('pnpm', ['run', 'build'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (built.status !== 0) throw new Error(`examples/${name}: build failed\n${built.stdout}${built.stderr}`);
  writeFileSync(stamp, digest);
  return dir;
}

/** A free port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `next start` for the built Next example; resolves with its origin and a stop function. */
export async function startNext(dir: string): Promise<{ origin: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn(join(dir, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const origin = `http://127.0.0.1:${port}`;
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`next start exited: ${output}`);
    const up = await fetch(origin).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { origin, stop: () => child.kill() };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`next start did not answer: ${output}`);
}

export interface Outside {
  url: string;
  host: string;
  time: number;
}

/**
 * Keeps the context hermetic: the log endpoint answers 204; every request that leaves the
 * example's origin is recorded and answered by an empty stand-in (no real vendor is contacted).
 */
export async function hermetic(context: BrowserContext, origin: string): Promise<Outside[]> {
  const outside: Outside[] = [];
  await context.route(`${origin}/consent**`, (route) => route.fulfill({ status: 204, body: '' }));
  await context.route(
    (url) => url.origin !== origin && url.protocol !== 'data:' && url.protocol !== 'blob:',
    (route) => {
      const url = new URL(route.request().url());
      outside.push({ url: url.href, host: url.hostname, time: Date.now() });
      const type = route.request().resourceType();
      if (type === 'document')
        return route.fulfill({ contentType: 'text/html', body: `<p>stand-in for ${url.hostname}</p>` });
      return route.fulfill({ contentType: 'text/javascript', body: '/* stand-in */' });
    },
  );
  await context.routeWebSocket(
    (url) => !url.href.startsWith(origin.replace('http', 'ws')),
    (ws) => {
      const url = new URL(ws.url());
      outside.push({ url: url.href, host: url.hostname, time: Date.now() });
    },
  );
  return outside;
}

/** A static file server for a built folder (the Vite example's dist/). */
export async function serveStatic(root: string): Promise<{ origin: string; stop: () => void }> {
  const { createServer: createHttpServer } = await import('node:http');
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
  };
  const server = createHttpServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': types[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream',
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { origin: `http://127.0.0.1:${port}`, stop: () => server.close() };
}

const VENDOR_HOSTS = ['intercom.io', 'intercomcdn.com', 'hotjar.com', 'youtube-nocookie.com', 'youtube.com'];
const toVendor = (o: Outside) => VENDOR_HOSTS.some((h) => o.host === h || o.host.endsWith(`.${h}`));

/**
 * The consent journey both examples share, as a visitor: the banner shows; the gated chat and
 * the video are absent and no vendor host is contacted before Accept; after Accept the chat
 * (a `<Gate>` child) and the frame appear and the vendors load; after "Withdraw everything" the
 * chat is gone, the placeholder is back, and no vendor request follows.
 */
export async function consentJourney(page: Page, outside: Outside[]): Promise<void> {
  const accept = page.locator('[data-allparty-action="accept-all"]');
  await expect(accept).toBeVisible();
  await expect(page.locator('[data-example="chat-fallback"]')).toBeVisible();
  await expect(page.locator('[data-allparty-embed="youtube"]')).toContainText('Content from YouTube');
  await expect(page.locator('[data-example="state"]')).toHaveText('undecided');
  await page.waitForTimeout(500);
  await expect(page.locator('[data-example="chat"]')).toHaveCount(0);
  expect(outside.filter(toVendor)).toEqual([]);

  await accept.click();
  await expect(page.locator('[data-example="chat"]')).toBeVisible();
  await expect(page.locator('[data-example="chat-fallback"]')).toHaveCount(0);
  await expect(page.locator('iframe[title="Our film"]')).toHaveAttribute(
    'src',
    /youtube-nocookie\.com\/embed\//,
  );
  await expect.poll(() => outside.filter((o) => o.host.endsWith('intercom.io')).length).toBeGreaterThan(0);
  await expect.poll(() => outside.filter((o) => o.host.endsWith('hotjar.com')).length).toBeGreaterThan(0);

  await page.locator('[data-example="withdraw"]').click();
  // A vendor that cannot be unloaded reloads the page: wait for whichever page is there now.
  await page.waitForLoadState('load');
  await expect(page.locator('[data-example="chat-fallback"]')).toBeVisible();
  await expect(page.locator('[data-example="chat"]')).toHaveCount(0);
  await expect(page.locator('iframe[title="Our film"]')).toHaveCount(0);
  await expect(page.locator('[data-allparty-embed="youtube"]')).toBeVisible();
  const afterWithdrawal = outside.length;
  await page.waitForTimeout(1_000);
  expect(outside.slice(afterWithdrawal).filter(toVendor)).toEqual([]);
}
