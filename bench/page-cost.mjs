// What a consent tool costs the page it sits on (issue 20): the demo's shop page
// (examples/site/index.html) as
//   bare           no consent tool, no vendors
//   raw snippet    no consent tool, the same vendors' tags pasted raw (return-visit vendor baseline)
//   cookieconsent  vanilla-cookieconsent 3.1, wired as its docs say (bench/page-cost/pages.mjs)
//   allparty       the generic embed, config script tag + packages/embed/dist/allparty.js
//   per-site       allparty's per-site build, when one exists (see ALLPARTY_SITE_BUILD below)
// in one Chromium, variants in rotating order, RUNS runs each (default 7), with Lighthouse's
// mobile throttling through CDP: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, CPU 4x.
//
// Scenarios: a first visit (a fresh browser context: empty cache, no cookies); a return visit
// with the consent stored (state made by clicking "Accept all" in one real page load per tool,
// then put into a new on-disk browser profile), once with an empty cache and once with the cache
// warm (the same profile, after one more unthrottled load, so the warm load also runs from V8's
// code cache, which Chromium keeps only for on-disk profiles: see bench/page-cost/browser.mjs).
// Versioned files are served with `Cache-Control: public, max-age=31536000, immutable`, the
// HTML with no-store (bench/page-cost/server.mjs).
//
// Prints medians and ratios against cookieconsent and the bare page measured in the same run
// (bench/page-cost/report.mjs). Times are from navigation start.
//
//   node bench/page-cost.mjs                 RUNS=7 by default (about 5 minutes here)
//   node bench/page-cost.mjs --json          every sample and the medians, as JSON, instead
//   node bench/page-cost.mjs --save=FILE     the table, and the JSON into FILE
//   node bench/page-cost.mjs --from=FILE     the table of a saved run, without measuring
//   pnpm bench page-cost                     builds first, then runs it
//
// The per-site build: the bench takes it from ALLPARTY_SITE_BUILD (default packages/embed/dist/site/),
// when that folder holds an allparty.js built from the demo's config. The bench writes that
// config to .cache/page-cost/site.json; build it with
//   allparty build --config .cache/page-cost/site.json --out packages/embed/dist/site/
// Its page has no config script tag (the config is compiled in).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  acceptAll,
  CPU_SLOWDOWN,
  launchChromium,
  NETWORK,
  returningVisitor,
  TIMEOUT_MS,
  throttle as throttleLoad,
} from './page-cost/browser.mjs';
import { buildPages, demoParts, VARIANTS } from './page-cost/pages.mjs';
import { probe } from './page-cost/probe.mjs';
import { mediansOf, tableOf } from './page-cost/report.mjs';
import { STAND_IN_HOSTS, startBenchServer } from './page-cost/server.mjs';

const RUNS = Number(process.env.RUNS ?? 7);
const option = (name) =>
  process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`))?.split('=')[1];
const JSON_OUT = process.argv.includes('--json');
const SAVE = option('save');
const FROM = option('from');
const SITE_BUILD = process.env.ALLPARTY_SITE_BUILD ?? 'packages/embed/dist/site';
/** How long a load is watched after everything it waits for (LCP and CLS entries settle). */
const SETTLE_MS = 500;

/** Where each tool's own files are served (bench/page-cost/server.mjs): its bytes. */
const TOOL_PATH = /^\/(dist|site-build|cc)\//;

const say = (line) => process.stderr.write(`${line}\n`);
const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length]);

/**
 * One page load. Returns the probe's figures, the first vendor request and the bytes the
 * network log shows, or throws when the load is not what the scenario needs (a banner on a
 * return visit, no vendor on a return visit, a request that left this machine).
 */
async function visit({ server }, context, variant, scenario, { throttle = true } = {}) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!requests.has(e.requestId))
      requests.set(e.requestId, {
        url: e.request.url,
        type: e.type,
        wall: e.wallTime * 1000,
        cached: false,
        bytes: 0,
      });
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.cached = true;
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (!r) return;
    r.status = e.response.status;
    if (e.response.fromDiskCache || e.response.fromPrefetchCache || e.response.fromServiceWorker)
      r.cached = true;
    const length = Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'content-length');
    r.bytes = length ? Number(length[1]) : 0;
  });
  if (throttle) await throttleLoad(cdp);
  else await cdp.send('Network.enable');
  await page.addInitScript(probe, VARIANTS[variant].banner);
  await page.goto(`${server.origin}/site/${variant}.html`, { waitUntil: 'load', timeout: TIMEOUT_MS });

  const vendorRequests = () =>
    [...requests.values()].filter((r) => STAND_IN_HOSTS.has(new URL(r.url).hostname));
  const returning = scenario !== 'first';
  if (!returning && VARIANTS[variant].banner)
    await page.waitForFunction(() => window.__pageCost.banner !== null, null, { timeout: TIMEOUT_MS });
  if (returning && variant !== 'bare') {
    const until = Date.now() + TIMEOUT_MS;
    while (!vendorRequests().length) {
      if (Date.now() > until)
        throw new Error(`${variant} ${scenario}: no vendor request; was the consent stored?`);
      await page.waitForTimeout(50);
    }
  }
  await page.waitForTimeout(SETTLE_MS);
  const measured = await page.evaluate(() => {
    window.__pageCostStop = true;
    return { ...window.__pageCost, timeOrigin: performance.timeOrigin };
  });
  await page.close();

  if (returning && measured.banner !== null)
    throw new Error(
      `${variant} ${scenario}: the banner showed on a return visit; the consent was not stored`,
    );
  const strangers = [...requests.values()].filter((r) => {
    const { protocol, hostname } = new URL(r.url);
    return (
      /^(https?|wss?):$/.test(protocol) && !/^(localhost|127\.0\.0\.1|[a-z0-9-]+\.localhost)$/.test(hostname)
    );
  });
  if (strangers.length)
    throw new Error(`requests left this machine: ${strangers.map((r) => r.url).join(' ')}`);

  const vendors = vendorRequests().sort((a, b) => a.wall - b.wall);
  const fetched = [...requests.values()].filter((r) => !r.cached && r.status !== undefined);
  const sum = (list) => list.reduce((total, r) => total + r.bytes, 0);
  return {
    fcp: measured.fcp,
    lcp: measured.lcp,
    lcpElement: measured.lcpElement,
    browserLcpIsBanner: measured.browserLcpIsBanner,
    // Not before FCP: see bench/page-cost/probe.mjs.
    banner: measured.banner === null ? null : Math.max(measured.banner, measured.fcp ?? 0),
    bannerCallback: measured.banner,
    bannerFrame: measured.bannerFrame,
    bannerRendered: measured.bannerRendered,
    cls: measured.cls,
    vendor: vendors.length ? vendors[0].wall - measured.timeOrigin : null,
    firstVendor: vendors.length ? vendors[0].url.replace(/^https?:\/\//, '').replace(/\?.*/, '') : null,
    vendorRequests: vendors.length,
    bytes: sum(fetched),
    toolBytes: sum(fetched.filter((r) => TOOL_PATH.test(new URL(r.url).pathname))),
    /** What came over the network (not from the cache): URL without the origin's port, gzip bytes. */
    network: fetched.map((r) => [r.url.replace(/^http:\/\/([a-z.]*localhost):\d+/, '$1'), r.bytes]),
  };
}

/** Every sample of one run of the bench, with what the report needs beside them. */
async function measure() {
  const parts = demoParts();
  const siteBuild = existsSync(join(SITE_BUILD, 'allparty.js')) ? SITE_BUILD : null;
  mkdirSync('.cache/page-cost', { recursive: true });
  writeFileSync('.cache/page-cost/site.json', `${JSON.stringify(parts.configJson, null, 2)}\n`);
  const variants = Object.keys(VARIANTS).filter((v) => v !== 'allparty-site' || siteBuild);

  const server = await startBenchServer({ siteBuild });
  server.setPages(buildPages(parts, server.urls, server.port));
  const browser = await launchChromium();
  const bench = { browser, server };
  const version = browser.version();
  const samples = [];
  const record = (run, scenario, variant, figures) => samples.push({ run, scenario, variant, ...figures });
  const started = Date.now();
  try {
    const stored = {};
    for (const v of variants) if (VARIANTS[v].accept) stored[v] = await acceptAll(browser, server.origin, v);
    for (let run = 0; run < RUNS; run++) {
      for (const v of rotate(
        variants.filter((x) => x !== 'raw'),
        run,
      )) {
        const context = await browser.newContext();
        record(run, 'first', v, await visit(bench, context, v, 'first'));
        await context.close();
      }
      for (const v of rotate(variants, run)) {
        const visitor = await returningVisitor(server.origin, stored[v]);
        try {
          record(run, 'return', v, await visit(bench, visitor.context, v, 'return'));
          // The second load makes V8's code cache; the third, measured, runs from it.
          await visit(bench, visitor.context, v, 'warm-up', { throttle: false });
          record(run, 'warm', v, await visit(bench, visitor.context, v, 'warm'));
        } finally {
          await visitor.close();
        }
      }
      say(`page-cost: run ${run + 1}/${RUNS} done (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return {
    runs: RUNS,
    throttling: { ...NETWORK, cpuSlowdown: CPU_SLOWDOWN },
    siteBuild,
    siteBuildDir: SITE_BUILD,
    chromium: version,
    seconds: Math.round((Date.now() - started) / 1000),
    samples,
  };
}

const result = FROM ? JSON.parse(readFileSync(FROM, 'utf8')) : await measure();
const json = JSON.stringify({ ...result, medians: mediansOf(result.samples) }, null, 2);
if (SAVE) writeFileSync(SAVE, `${json}\n`);
if (JSON_OUT) console.log(json);
else console.log(tableOf(result).join('\n'));
