/**
 * A local server for the scan tests, laid out like `pnpm start`'s demo: the built embed at
 * /dist/, the examples at / (so /scan/configured/ and /site/), `__PORT__` in HTML replaced by
 * the port, a sitemap of the given pages at /sitemap.xml, and /consent answered with 204.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const ROOT = new URL('../../../', import.meta.url).pathname;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css',
  '.json': 'application/json',
  '.xml': 'application/xml',
};
const MOUNTS: Array<[string, string]> = [
  ['/dist/', 'packages/embed/dist/'],
  ['/', 'examples/'],
];

export interface TestServer {
  origin: string;
  /** Requests received, in order, with their Sec-GPC header. */
  hits: Array<{ path: string; gpc: string | null }>;
  close(): Promise<void>;
}

export async function startServer(sitemap: string[] = []): Promise<TestServer> {
  const hits: TestServer['hits'] = [];
  let port = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    const gpc = req.headers['sec-gpc'];
    hits.push({ path, gpc: typeof gpc === 'string' ? gpc : null });
    req.resume();
    if (path.startsWith('/consent')) {
      res.writeHead(204);
      res.end();
      return;
    }
    if (path === '/sitemap.xml') {
      res.writeHead(200, { 'content-type': TYPES['.xml'] ?? 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${sitemap
          .map((p) => `  <url><loc>http://127.0.0.1:${port}${p}</loc></url>`)
          .join('\n')}\n</urlset>\n`,
      );
      return;
    }
    for (const [prefix, dir] of MOUNTS) {
      if (!path.startsWith(prefix)) continue;
      let file = normalize(join(ROOT, dir, path.slice(prefix.length)));
      if (!file.startsWith(join(ROOT, dir))) break;
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!existsSync(file)) break;
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      const body = readFileSync(file);
      res.end(extname(file) === '.html' ? body.toString('utf8').replaceAll('__PORT__', String(port)) : body);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
