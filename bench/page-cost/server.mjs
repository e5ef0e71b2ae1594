// The local server of bench/page-cost.mjs: the page variants, the embed, cookieconsent and the
// site's assets under versioned URLs with long cache lifetimes (so a warm cache revalidates
// nothing), the demo's vendor stand-ins on *.localhost (browsers resolve them to this machine;
// no real vendor host is contacted), and the real consent log (@allparty/server) on /consent,
// as scripts/demo.mjs serves it. Text is sent gzip -9, so the byte counts the bench reads from
// the browser's network log are gzip -9 sizes.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

export const STAND_IN_HOSTS = new Set(['replay.localhost', 'chat.localhost', 'analytics.localhost']);
/** For versioned files: a warm cache never asks again. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The vendor stand-ins' scripts, as a vendor's CDN serves them (unversioned, cached a while). */
const VENDOR_CACHE = 'public, max-age=3600';
const CC_VERSION = JSON.parse(
  readFileSync('node_modules/vanilla-cookieconsent/package.json', 'utf8'),
).version;

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

const versionOf = (file) => createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 10);

/** Each body once, raw and gzip -9. */
const bodies = new Map();
function body(key, text) {
  let entry = bodies.get(key);
  if (!entry) {
    const raw = Buffer.from(text);
    entry = { raw, gzip: gzipSync(raw, { level: 9 }) };
    bodies.set(key, entry);
  }
  return entry;
}

function send(req, res, status, type, cacheControl, key, text, extra = {}) {
  const { raw, gzip } = body(key, text);
  const zipped = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  res.writeHead(status, {
    'content-type': type,
    'cache-control': cacheControl,
    'content-length': zipped ? gzip.length : raw.length,
    ...(zipped ? { 'content-encoding': 'gzip' } : {}),
    vary: 'accept-encoding',
    ...extra,
  });
  res.end(req.method === 'HEAD' ? undefined : zipped ? gzip : raw);
}

function sendFile(req, res, file, cacheControl, extra) {
  send(
    req,
    res,
    200,
    TYPES[extname(file)] ?? 'application/octet-stream',
    cacheControl,
    file,
    readFileSync(file),
    extra,
  );
}

/** `dir` + `rest`, or null when `rest` leaves `dir` or names no file. */
function inside(dir, rest) {
  const file = normalize(join(dir, rest));
  return file.startsWith(normalize(dir)) && existsSync(file) && statSync(file).isFile() ? file : null;
}

/**
 * Starts the server. `siteBuild` is the per-site build's folder (with its allparty.js) or null.
 * Returns the URLs the pages use, `setPages(pages)` to serve the variants at
 * `/site/<name>.html`, and `close()`.
 */
export async function startBenchServer({ siteBuild }) {
  const { startServer } = await import('../../packages/server/dist/index.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'page-cost-log-'));
  const port = await new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address();
      probe.close(() => resolve(free));
    });
  });
  const origin = `http://localhost:${port}`;
  const log = await startServer({
    dataDir,
    port: 0,
    prefix: '/consent',
    corsOrigins: [origin],
    cookie: { name: 'allparty' },
    checkpointIntervalMs: 60_000,
  });

  const embedVersion = versionOf('packages/embed/dist/allparty.js');
  const siteVersion = siteBuild ? versionOf(join(siteBuild, 'allparty.js')) : null;
  const ccConfigFile = new URL('./cookieconsent-config.js', import.meta.url).pathname;
  const urls = {
    embed: `/dist/${embedVersion}/allparty.js`,
    siteEmbed: siteBuild ? `/site-build/${siteVersion}/allparty.js` : null,
    siteCss: `/site/site.css?v=${versionOf('examples/site/site.css')}`,
    tagManager: `/stand-ins/tag-manager.js?v=${versionOf('examples/stand-ins/tag-manager.js')}`,
    ccCss: `/cc/${CC_VERSION}/cookieconsent.css`,
    ccUmd: `/cc/${CC_VERSION}/cookieconsent.umd.js`,
    ccConfig: `/cc/cookieconsent-config.js?v=${versionOf(ccConfigFile)}`,
  };
  let pages = {};

  const server = createServer(async (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);

    if (STAND_IN_HOSTS.has(host)) {
      // A vendor stand-in: its script, or a 204 for whatever it sends home.
      const file =
        path.startsWith('/stand-ins/') && inside('examples/stand-ins', path.slice('/stand-ins/'.length));
      if (file) return sendFile(req, res, file, VENDOR_CACHE, { 'access-control-allow-origin': '*' });
      req.resume();
      res.writeHead(204, { 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
      return res.end();
    }
    if (path.startsWith('/consent/')) return proxy(req, res, log.url);

    const page = /^\/site\/([a-z-]+)\.html$/.exec(path);
    if (page && pages[page[1]] !== undefined)
      return send(req, res, 200, TYPES['.html'], 'no-store', `page:${page[1]}`, pages[page[1]]);

    let file = null;
    if (path.startsWith(`/dist/${embedVersion}/`))
      file = inside('packages/embed/dist', path.slice(`/dist/${embedVersion}/`.length));
    else if (siteBuild && path.startsWith(`/site-build/${siteVersion}/`))
      file = inside(siteBuild, path.slice(`/site-build/${siteVersion}/`.length));
    else if (path.startsWith(`/cc/${CC_VERSION}/`))
      file = inside('node_modules/vanilla-cookieconsent/dist', path.slice(`/cc/${CC_VERSION}/`.length));
    else if (`${path}${url.search}` === urls.ccConfig)
      return send(
        req,
        res,
        200,
        TYPES['.js'],
        IMMUTABLE,
        'cc-config',
        readFileSync(ccConfigFile, 'utf8').replace("import '__CC_UMD__';", `import '${urls.ccUmd}';`),
      );
    else if (`${path}${url.search}` === urls.siteCss) file = 'examples/site/site.css';
    else if (`${path}${url.search}` === urls.tagManager) file = 'examples/stand-ins/tag-manager.js';
    if (file) return sendFile(req, res, file, IMMUTABLE);
    if (path === '/__state') {
      // An empty page of the site: where a returning visitor's localStorage is put back.
      return send(req, res, 200, TYPES['.html'], 'no-store', 'state', '<!doctype html><title>state</title>');
    }
    if (path === '/favicon.ico') {
      res.writeHead(204, { 'cache-control': IMMUTABLE });
      return res.end();
    }
    res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
    res.end('not found');
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));

  return {
    origin,
    port,
    urls,
    setPages(next) {
      pages = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await log.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Passes a request to the consent log, as scripts/demo.mjs does. */
function proxy(req, res, base) {
  const upstream = request(
    new URL(req.url ?? '/', base),
    { method: req.method, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
}
