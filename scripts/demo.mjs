// `pnpm start`: the demo. Serves the example sites and the built bundles on localhost, plays
// the vendors with local stand-ins on replay.localhost, chat.localhost and analytics.localhost
// (browsers resolve *.localhost to this machine; no real vendor is ever contacted), embeds the
// log server, and prints the URLs.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, request } from 'node:http';
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
const STAND_IN_HOSTS = new Set(['replay.localhost', 'chat.localhost', 'analytics.localhost']);

/** What each stand-in vendor received, newest last (shown at /__demo/vendors). */
const received = [];

/** Extra request handlers (the log server mounts itself here). Return true when handled. */
export const handlers = [];

// The consent log (@allparty/server) on the demo's own origin under /consent, so the record
// queue's endpoint is same-site and the log's Set-Cookie applies. Its SQLite file and
// checkpoint key live in .data/.
const { startServer } = await import('../packages/server/dist/index.js');
const log = await startServer({
  dataDir: join(ROOT, '.data'),
  port: 0,
  prefix: '/consent',
  corsOrigins: [`http://localhost:${PORT}`, `http://127.0.0.1:${PORT}`],
  cookie: { name: 'allparty' },
  auditorTokens: [process.env.ALLPARTY_AUDITOR_TOKEN ?? 'demo'],
  // A checkpoint every 2 s: "Download my consent receipt" in the privacy choices gets a receipt a
  // moment after the decision (the log answers 409 until a checkpoint covers it; the banner asks again).
  checkpointIntervalMs: 2000,
});
handlers.push(
  (req, res) =>
    req.url?.startsWith('/consent/') &&
    new Promise((resolve) => {
      const upstream = request(
        new URL(req.url, log.url),
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res).on('finish', () => resolve(true));
        },
      );
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
        resolve(true);
      });
      req.pipe(upstream);
    }),
);

function serveFile(res, file) {
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  if (extname(file) === '.html') {
    // Example pages name the stand-in hosts with the demo's port.
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(readFileSync(file, 'utf8').replaceAll('__PORT__', String(PORT)));
    return;
  }
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
  createReadStream(file).pipe(res);
}

const server = createServer(async (req, res) => {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  const url = new URL(req.url ?? '/', 'http://x');
  const path = decodeURIComponent(url.pathname);

  if (STAND_IN_HOSTS.has(host)) {
    // A stand-in vendor: serves its script, and logs whatever is sent to it.
    if (path.startsWith('/stand-ins/')) {
      const file = normalize(join(ROOT, 'examples', path));
      if (file.startsWith(join(ROOT, 'examples/stand-ins')) && existsSync(file)) return serveFile(res, file);
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push({
      t: new Date().toISOString(),
      vendor: host,
      method: req.method,
      path: `${path}${url.search}`,
      bytes: body.length,
    });
    if (received.length > 500) received.shift();
    res.writeHead(204, { 'access-control-allow-origin': '*' });
    res.end();
    return;
  }

  for (const h of handlers) if (await h(req, res)) return;

  if (path === '/__demo/vendors') {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(received, null, 2));
    return;
  }
  if (path === '/') {
    res.writeHead(302, { location: '/site/' });
    res.end();
    return;
  }
  for (const [prefix, dir] of MOUNTS) {
    if (!path.startsWith(prefix)) continue;
    let file = normalize(join(ROOT, dir, path.slice(prefix.length)));
    if (!file.startsWith(join(ROOT, dir))) break;
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (existsSync(file)) return serveFile(res, file);
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
});

server.listen(PORT, '127.0.0.1', () => {
  const base = `http://localhost:${PORT}`;
  console.log(`allparty demo running:
  ${base}/site/            a shop page: banner, guard, replay/chat/analytics stand-ins, live ledger
  ${base}/headless/        the guard with the site's own buttons (no banner)
  ${base}/site/strict.html PostHog held to a minimum of live privacy settings, loaded from a hashed copy (?weaker: refused)
  ${base}/__demo/vendors   what the stand-in vendors received (should be nothing until you accept)
  scan it like a plaintiff's crawler: node packages/scan/dist/cli.js ${base}/site/ --stand-ins --out .cache/scan
  ${base}/consent/          the consent log (${log.url}); read it with
      curl -H 'authorization: Bearer demo' ${base}/consent/v1/records?limit=20
  a visitor's receipt: decide on ${base}/site/, open "Privacy choices", "Download my consent receipt";
      check it with node packages/audit/dist/cli.js verify-receipt consent-receipt.html
Press Ctrl+C to stop.`);
});
