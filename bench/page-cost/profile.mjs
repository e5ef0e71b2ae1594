// Where allparty's page cost goes (issue 20): Chrome traces of the bench's allparty page
// (bench/page-cost.mjs, same server, same throttling) on a first visit, a return visit with an
// empty cache and one with a warm cache, read by bench/page-cost/trace.mjs. Prints medians over
// RUNS loads (default 5) of
//  - each script's network time, main-thread compile and run (wall, and thread time);
//  - allparty.js's run split into its module top level (before main()), `allparty:init` and
//    `allparty:guard-install` (the embed's own performance measures);
//  - CPU time in allparty.js by source module (V8's sampling profiler in the trace, mapped with
//    the embed's source map), for the module top level and for init;
//  - how long the parser waits for the scripts allparty.js writes with document.write, and the
//    first visit's FCP with the banner on and off (`"banner": false`: nothing written), untraced;
//  - what the main thread did from navigation start to first contentful paint.
//
//   ALLPARTY_BUILD=embed,banner pnpm exec rollup -c rollup.config.ts --configPlugin esbuild --silent --sourcemap
//   node bench/page-cost/profile.mjs [--json] [--save=FILE] [--from=FILE]
//
// Without the source map (a build without --sourcemap) the CPU time is attributed to
// minified positions only. Not part of `pnpm bench` (it lives under bench/page-cost/).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { acceptAll, launchChromium, returningVisitor, TIMEOUT_MS, throttle } from './browser.mjs';
import { buildPages, demoParts } from './pages.mjs';
import { probe } from './probe.mjs';
import { median } from './report.mjs';
import { STAND_IN_HOSTS, startBenchServer } from './server.mjs';
import { attribute, compilingIn, loadOf, mainThreadUntil, markOf, scriptsOf } from './trace.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const JSON_OUT = process.argv.includes('--json');
const option = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const SAVE = option('save');
const FROM = option('from');
const MAP = 'packages/embed/dist/allparty.js.map';
/**
 * The timing trace: no category that records JS stack traces (disabled-by-default-devtools.timeline
 * does, and each stack makes V8 re-parse the script for source positions: hundreds of ms here).
 */
const TIMING = ['devtools.timeline', 'v8', 'blink.user_timing', 'loading', 'disabled-by-default-v8.compile'];
/** The profiled trace: V8's sampling profiler on top (it compiles with source positions: a little slower). */
const PROFILED = [
  ...TIMING,
  'disabled-by-default-v8.cpu_profiler',
  'disabled-by-default-v8.cpu_profiler.hires',
];

/** One traced, throttled load of the allparty page, read into figures. */
async function tracedLoad(bench, context, scenario, profiled) {
  const { browser, pageUrl } = bench;
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await throttle(cdp);
  let vendorRequest = false;
  page.on('request', (r) => {
    if (STAND_IN_HOSTS.has(new URL(r.url()).hostname)) vendorRequest = true;
  });
  await page.addInitScript(probe, 'allparty');
  await browser.startTracing(page, { categories: profiled ? PROFILED : TIMING });
  await page.goto(pageUrl, { waitUntil: 'load', timeout: TIMEOUT_MS });
  if (scenario === 'first')
    await page.waitForFunction(() => window.__pageCost.banner !== null, null, { timeout: TIMEOUT_MS });
  await page.waitForTimeout(1000);
  const measured = await page.evaluate(() => ({
    ...window.__pageCost,
    dcl: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? null,
    measures: Object.fromEntries(
      performance
        .getEntriesByType('measure')
        .map((m) => [m.name, { start: m.startTime, duration: m.duration }]),
    ),
  }));
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
  await page.close();
  if (scenario !== 'first' && !vendorRequest)
    throw new Error(`${scenario}: no vendor loaded; consent not stored?`);
  return analyse(bench, trace, measured, profiled);
}

function analyse({ server, pageUrl, embedUrl }, trace, measured, profiled) {
  const load = loadOf(trace, pageUrl);
  const fcp = markOf(load, 'firstContentfulPaint');
  const scripts = scriptsOf(load);
  const embed = scripts.find((s) => s.url === embedUrl);
  if (!embed) throw new Error('trace: allparty.js did not run');
  const init = measured.measures['allparty:init'];
  const guard = measured.measures['allparty:guard-install'];
  // Scripts the embed wrote into the parser (notices, banner chunk): parser-inserted, right after it.
  const written = scripts.filter((s) => s.url.startsWith(embedUrl.replace('allparty.js', '')) && s !== embed);
  const lastWritten = written.length ? Math.max(...written.map((s) => s.end)) : null;
  return {
    fcp,
    dcl: measured.dcl,
    banner: measured.banner === null ? null : Math.max(measured.banner, fcp ?? 0),
    scripts: Object.fromEntries(
      scripts.map((s) => [s.url.replace(server.origin, '').replace(/\/dist\/[0-9a-f]+\//, '/dist/'), s]),
    ),
    embed: {
      beforeMain: init ? init.start - embed.start : null,
      init: init?.duration ?? null,
      guardInstall: guard?.duration ?? null,
    },
    parserWaitsForWritten: lastWritten === null ? null : lastWritten - embed.end,
    mainThreadBeforeFcp: fcp === null ? null : mainThreadUntil(load, fcp),
    compilingInEmbed: profiled ? null : compilingIn(load, embed.start, embed.end),
    cpuBeforeMain:
      profiled && init
        ? attribute(load, embedUrl, embed.start, init.start, existsSync(MAP) ? MAP : null)
        : null,
    cpuInit:
      profiled && init
        ? attribute(load, embedUrl, init.start, init.start + init.duration, existsSync(MAP) ? MAP : null)
        : null,
  };
}

/** A throttled first visit's FCP, untraced. */
async function plainFcp({ server }, context, variant) {
  const page = await context.newPage();
  await throttle(await context.newCDPSession(page));
  await page.addInitScript(probe, null);
  await page.goto(`${server.origin}/site/${variant}.html`, { waitUntil: 'load', timeout: TIMEOUT_MS });
  await page.waitForTimeout(500);
  const fcp = await page.evaluate(() => window.__pageCost.fcp);
  await page.close();
  return fcp;
}

/** Timing traces (no profiler) and profiled traces, per scenario, of RUNS runs. */
async function measure() {
  const server = await startBenchServer({ siteBuild: null });
  const pages = buildPages(demoParts(), server.urls, server.port);
  // The same page with the banner off (`"banner": false`): no document.write, no banner chunk.
  const noBanner = pages.allparty.replace(/(id="allparty-config">\s*\{)/, '$1 "banner": false,');
  if (noBanner === pages.allparty) throw new Error('profile: no config tag in the allparty page');
  server.setPages({ ...pages, 'allparty-no-banner': noBanner });
  const browser = await launchChromium();
  const pageUrl = `${server.origin}/site/allparty.html`;
  const bench = { server, browser, pageUrl, embedUrl: `${server.origin}${server.urls.embed}` };
  const results = { first: [], return: [], warm: [] };
  const profiles = { first: [], return: [], warm: [] };
  const withoutBanner = { on: [], off: [] };
  try {
    const stored = await acceptAll(browser, server.origin, 'allparty');
    for (let run = 0; run < RUNS; run++) {
      for (const profiled of [false, true]) {
        const into = profiled ? profiles : results;
        const fresh = await browser.newContext();
        into.first.push(await tracedLoad(bench, fresh, 'first', profiled));
        await fresh.close();
        const visitor = await returningVisitor(server.origin, stored);
        const visitorBench = { ...bench, browser: visitor.context.browser() };
        try {
          into.return.push(await tracedLoad(visitorBench, visitor.context, 'return', profiled));
          // One more load makes V8's code cache, as in bench/page-cost.mjs.
          const warmUp = await visitor.context.newPage();
          await warmUp.goto(pageUrl, { waitUntil: 'load' });
          await warmUp.waitForTimeout(500);
          await warmUp.close();
          into.warm.push(await tracedLoad(visitorBench, visitor.context, 'warm', profiled));
        } finally {
          await visitor.close();
        }
      }
      // First-visit FCP with the banner on and off, untraced, in alternating order.
      for (const on of run % 2 ? [false, true] : [true, false]) {
        const fresh = await browser.newContext();
        withoutBanner[on ? 'on' : 'off'].push(
          await plainFcp(bench, fresh, on ? 'allparty' : 'allparty-no-banner'),
        );
        await fresh.close();
      }
      process.stderr.write(`profile: run ${run + 1}/${RUNS}\n`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return { runs: RUNS, sourceMap: existsSync(MAP), results, profiles, withoutBanner };
}

/** Medians of the same path in every sample; objects of numbers become objects of medians. */
function medianOf(list, pick) {
  const values = list.map(pick).filter((v) => v !== null && v !== undefined);
  if (!values.length || typeof values[0] === 'string') return null;
  if (typeof values[0] === 'number') return median(values);
  const keys = new Set(values.flatMap((v) => Object.keys(v)));
  return Object.fromEntries([...keys].map((k) => [k, medianOf(values, (v) => v[k] ?? 0)]));
}

const { runs, sourceMap, results, profiles, withoutBanner } = FROM
  ? JSON.parse(readFileSync(FROM, 'utf8'))
  : await measure();
const summary = {};
for (const [scenario, list] of Object.entries(results))
  summary[scenario] = {
    fcp: medianOf(list, (r) => r.fcp),
    dcl: medianOf(list, (r) => r.dcl),
    banner: medianOf(list, (r) => r.banner),
    scripts: medianOf(list, (r) => r.scripts),
    embed: medianOf(list, (r) => r.embed),
    parserWaitsForWritten: medianOf(list, (r) => r.parserWaitsForWritten),
    mainThreadBeforeFcp: medianOf(list, (r) => r.mainThreadBeforeFcp),
    compilingInEmbed: medianOf(list, (r) => r.compilingInEmbed),
    profiledEmbed: medianOf(profiles[scenario], (r) => r.embed),
    cpuBeforeMain: medianOf(profiles[scenario], (r) => r.cpuBeforeMain),
    cpuInit: medianOf(profiles[scenario], (r) => r.cpuInit),
  };

const json = JSON.stringify({ runs, sourceMap, summary, results, profiles, withoutBanner }, null, 2);
if (SAVE) writeFileSync(SAVE, `${json}\n`);
if (JSON_OUT) {
  console.log(json);
  process.exit(0);
}

const f = (x) => (x === null || x === undefined ? '–' : x.toFixed(1));
const top = (object, n) =>
  Object.entries(object ?? {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${f(v)} ${k}`)
    .join('; ');
console.log(
  `allparty page profile: medians of ${runs} traced loads each, throttled like bench/page-cost.mjs ` +
    `(CPU 4x slower than this machine, as in Lighthouse's mobile profile). ms from navigation start.${sourceMap ? '' : ' No source map: positions only.'}`,
);
for (const [scenario, s] of Object.entries(summary)) {
  console.log(
    `\n## ${scenario === 'first' ? 'first visit' : scenario === 'return' ? 'return visit, cold cache' : 'return visit, warm cache'}`,
  );
  console.log(`FCP ${f(s.fcp)}, DOMContentLoaded end ${f(s.dcl)}, banner visible ${f(s.banner)}`);
  console.log(
    'script                               sent  finished  eval start  eval end  compile  run (wall)  run (thread)',
  );
  for (const [url, x] of Object.entries(s.scripts ?? {}))
    console.log(
      `${url.padEnd(36)} ${f(x.sent).padStart(5)} ${f(x.finished).padStart(9)} ${f(x.start).padStart(11)} ${f(x.end).padStart(9)} ${f(x.compile).padStart(8)} ${f(x.run).padStart(11)} ${f(x.runThread).padStart(13)}`,
    );
  console.log(
    `allparty.js run: module top level before main() ${f(s.embed?.beforeMain)}, allparty:init ${f(s.embed?.init)} ` +
      `(of which allparty:guard-install ${f(s.embed?.guardInstall)})`,
  );
  if (s.parserWaitsForWritten !== null)
    console.log(
      `parser waits for the document.write'd scripts (end of allparty.js to end of the last one): ${f(s.parserWaitsForWritten)}`,
    );
  if (s.mainThreadBeforeFcp)
    console.log(
      `main thread before FCP: busy ${f(s.mainThreadBeforeFcp.busy)}, no task ${f(s.mainThreadBeforeFcp.idle)}; ` +
        top(s.mainThreadBeforeFcp.activities, 8),
    );
  if (s.compilingInEmbed)
    console.log(
      `V8 compiling inside allparty.js's run: lazy compiles of ${f(s.compilingInEmbed.functionsCompiled)} functions ` +
        `${f(s.compilingInEmbed.lazyCompile)} (thread ${f(s.compilingInEmbed.lazyCompileThread)}); source positions for ` +
        `the inspector's stack traces (a measuring artefact) ${f(s.compilingInEmbed.sourcePositions)} (thread ${f(s.compilingInEmbed.sourcePositionsThread)})`,
    );
  if (s.cpuBeforeMain)
    console.log(
      `profiled loads (V8 sampling profiler on): module top level ${f(s.profiledEmbed?.beforeMain)}, allparty:init ${f(s.profiledEmbed?.init)}, guard install ${f(s.profiledEmbed?.guardInstall)}`,
    );
  if (s.cpuBeforeMain)
    console.log(`CPU in allparty.js before main(), by module: ${top(s.cpuBeforeMain.byModule, 8)}`);
  if (s.cpuBeforeMain) console.log(`  by function: ${top(s.cpuBeforeMain.byFunction, 6)}`);
  if (s.cpuInit) console.log(`CPU in allparty:init, by module: ${top(s.cpuInit.byModule, 10)}`);
  if (s.cpuInit) console.log(`  by function: ${top(s.cpuInit.byFunction, 8)}`);
}
if (withoutBanner?.on.length)
  console.log(
    `\nfirst visit FCP, untraced, alternating: banner on ${f(median(withoutBanner.on))} ms, ` +
      `off ("banner": false: no document.write, no banner chunk) ${f(median(withoutBanner.off))} ms ` +
      `(on ${withoutBanner.on.map(Math.round).join(' ')}; off ${withoutBanner.off.map(Math.round).join(' ')})`,
  );
