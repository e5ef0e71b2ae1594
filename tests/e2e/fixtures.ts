/**
 * Shared fixtures for the browser tests.
 * - `site`: a local HTTP server (one per worker) serving the built bundles at /dist/,
 *   examples at /examples/, and pages and scripts a test registers.
 * - `net`: hermetic vendor network. Every request to a host other than the local server is
 *   intercepted, logged and answered by our own stand-ins; nothing reaches a real vendor.
 * - `logs`: the page's console messages.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { test as base, type Page } from '@playwright/test';

export { expect } from '@playwright/test';

const ROOT = new URL('../../', import.meta.url).pathname;
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};
const MOUNTS: Record<string, string> = {
  // ALLPARTY_DIST serves another build (an older commit's, to show a new test fails there).
  '/dist/': process.env.ALLPARTY_DIST ?? 'packages/embed/dist/',
  '/examples/': 'examples/',
};

export interface Asset {
  body: string;
  type?: string;
  headers?: Record<string, string>;
}

export interface Site {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** Serves a body at a path (`/tm.js`) and returns its absolute URL. */
  asset(path: string, asset: Asset): string;
  /** Serves an HTML page and returns its URL. */
  page(html: string): string;
  /** A page with the config and the built embed first in <head>, like a site owner pastes it. */
  allparty(options: AllpartyPage): string;
  /** Requests the local server received (path + method), for first-party assertions. */
  hits: Array<{ path: string; method: string; body: string }>;
}

export interface AllpartyPage {
  /** The config object, or a raw string (to test broken JSON). */
  config: unknown;
  head?: string;
  body?: string;
  /** Use the readable debug twin. @default false */
  debug?: boolean;
  /** Attributes on the embed's script tag (e.g. a nonce). */
  scriptAttrs?: string;
  lang?: string;
}

export interface NetRequest {
  url: string;
  host: string;
  method: string;
  /** Playwright's resource type: script, image, fetch, xhr, ping, websocket, document, … */
  type: string;
  time: number;
  postData: string | null;
}

export interface StandIn {
  match: RegExp;
  body: string;
  contentType?: string;
  status?: number;
}

export interface Net {
  /** Every request that left the page for a non-local host, in order. */
  requests: NetRequest[];
  /** Requests whose host equals or ends with `.host`. */
  to(host: string): NetRequest[];
  /** Adds a stand-in answer for matching URLs (checked before the defaults). */
  serve(standIn: StandIn): void;
  /** Shorthand: a stand-in script for matching URLs. */
  script(match: RegExp, js: string): void;
}

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

type WorkerFixtures = { server: { origin: string; routes: Map<string, Asset>; hits: Site['hits'] } };
type TestFixtures = { site: Site; net: Net; logs: string[] };

let counter = 0;

export const test = base.extend<TestFixtures, WorkerFixtures>({
  server: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies as a pattern
    async ({}, use) => {
      const routes = new Map<string, Asset>();
      const hits: Site['hits'] = [];
      const server = createServer((req, res) => void handle(req, res, routes, hits));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await use({ origin, routes, hits });
      await new Promise((resolve) => server.close(resolve));
    },
    { scope: 'worker' },
  ],

  site: async ({ server }, use) => {
    const prefix = `/t${++counter}-${Date.now().toString(36)}`;
    const registered: string[] = [];
    server.hits.length = 0;
    const asset = (path: string, a: Asset) => {
      const full = path.startsWith('/dist/') || path.startsWith('/consent') ? path : `${prefix}${path}`;
      server.routes.set(full, a);
      registered.push(full);
      return `${server.origin}${full}`;
    };
    const page = (html: string) =>
      asset(`/page-${registered.length}.html`, { body: html, type: TYPES['.html']! });
    const allparty = (o: AllpartyPage) => {
      const config = typeof o.config === 'string' ? o.config : JSON.stringify(o.config, null, 2);
      return page(`<!doctype html>
<html lang="${o.lang ?? 'en'}">
<head>
<meta charset="utf-8">
<title>allparty test page</title>
<script type="application/json" id="allparty-config">${config}</script>
<script src="/dist/allparty${o.debug ? '.debug' : ''}.js" ${o.scriptAttrs ?? ''}></script>
${o.head ?? ''}
</head>
<body>
${o.body ?? ''}
</body>
</html>`);
    };
    await use({ origin: server.origin, asset, page, allparty, hits: server.hits });
    for (const path of registered) server.routes.delete(path);
  },

  net: async ({ context, server }, use) => {
    const requests: NetRequest[] = [];
    const standIns: StandIn[] = [];
    const local = (url: URL) => url.origin === server.origin;
    await context.route(
      (url) => !local(url) && url.protocol !== 'data:' && url.protocol !== 'blob:',
      async (route) => {
        const req = route.request();
        const url = new URL(req.url());
        requests.push({
          url: req.url(),
          host: url.hostname,
          method: req.method(),
          type: req.resourceType(),
          time: Date.now(),
          postData: req.postData(),
        });
        const hit = standIns.find((s) => s.match.test(req.url()));
        if (hit)
          return route.fulfill({
            status: hit.status ?? 200,
            contentType: hit.contentType ?? 'text/javascript',
            body: hit.body,
            headers: { 'access-control-allow-origin': '*' },
          });
        const type = req.resourceType();
        if (type === 'script')
          return route.fulfill({ contentType: 'text/javascript', body: '/* stand-in */' });
        if (type === 'image') return route.fulfill({ contentType: 'image/gif', body: GIF });
        if (type === 'document')
          return route.fulfill({
            contentType: 'text/html',
            body: `<!doctype html><p>stand-in for ${url.hostname}</p>`,
          });
        if (type === 'stylesheet') return route.fulfill({ contentType: 'text/css', body: '' });
        return route.fulfill({ status: 204, headers: { 'access-control-allow-origin': '*' }, body: '' });
      },
    );
    await context.routeWebSocket(
      (url) => !local(url),
      (ws) => {
        const url = new URL(ws.url());
        requests.push({
          url: ws.url(),
          host: url.hostname,
          method: 'GET',
          type: 'websocket',
          time: Date.now(),
          postData: null,
        });
        ws.onMessage(() => {});
      },
    );
    const net: Net = {
      requests,
      to: (host) => requests.filter((r) => r.host === host || r.host.endsWith(`.${host}`)),
      serve: (s) => standIns.push(s),
      script: (match, js) => standIns.push({ match, body: js, contentType: 'text/javascript' }),
    };
    await use(net);
  },

  logs: async ({ page }, use) => {
    const logs: string[] = [];
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    await use(logs);
  },
});

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  routes: Map<string, Asset>,
  hits: Site['hits'],
) {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  let body = '';
  for await (const chunk of req) body += chunk;
  hits.push({ path, method: req.method ?? 'GET', body });
  const registered = routes.get(path);
  if (registered) {
    res.writeHead(200, {
      'content-type': registered.type ?? 'text/javascript',
      'cache-control': 'no-store',
      ...registered.headers,
    });
    res.end(registered.body);
    return;
  }
  const mount = Object.keys(MOUNTS).find((m) => path.startsWith(m));
  if (mount) {
    const dir = resolve(ROOT, MOUNTS[mount]!);
    const file = normalize(join(dir, path.slice(mount.length)));
    if (file.startsWith(dir)) {
      try {
        const data = await readFile(file);
        res.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        });
        res.end(data);
        return;
      } catch {
        // fall through to 404
      }
    }
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}

/** Clicks something with a real user gesture, so grants from it carry transient activation. */
export async function click(page: Page, selector: string): Promise<void> {
  await page.locator(selector).click();
}

/** Waits a little for timers and beacons to have had their chance to fire. */
export async function settle(page: Page, ms = 300): Promise<void> {
  await page.waitForTimeout(ms);
}
