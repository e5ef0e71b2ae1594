// `pnpm start`: serves the example sites and the built bundles on localhost, with the log
// server embedded, and prints the URLs.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const ROOT = new URL('../', import.meta.url).pathname;
const PORT = Number(process.env.PORT ?? 8080);
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};
const MOUNTS = [
  ['/dist/', 'packages/embed/dist/'],
  ['/', 'examples/'],
];

/** Extra request handlers (the log server mounts itself here). Return true when handled. */
const handlers = [];

const server = createServer(async (req, res) => {
  for (const h of handlers) if (await h(req, res)) return;
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  for (const [prefix, dir] of MOUNTS) {
    if (!path.startsWith(prefix)) continue;
    let file = normalize(join(ROOT, dir, path.slice(prefix.length)));
    if (!file.startsWith(join(ROOT, dir))) break;
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) continue;
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
    return;
  }
  if (path === '/') {
    res.writeHead(302, { location: '/site/' });
    res.end();
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
});

server.listen(PORT, '127.0.0.1', () => {
  const base = `http://127.0.0.1:${PORT}`;
  console.log(`allparty demo running:
  ${base}/site/       a shop page with the banner, the guard, replay, chat and analytics vendors
  ${base}/headless/   the same guard with the site's own buttons (no banner)
Press Ctrl+C to stop.`);
});
