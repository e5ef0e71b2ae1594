/**
 * The scanner: visits each page in fresh browser contexts (new visitor, after Reject all, with
 * Global Privacy Control, after Accept all), records every third-party request with its
 * initiator chain, cookies and storage, and what the page's guard held; classifies the hosts;
 * and flags any replay, chat, analytics or advertising request in the first three states.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { siteOf } from '@allparty/core';
import type { Browser, BrowserContext, Request, Route } from 'playwright-core';
import { launchChromium } from './browser';
import {
  type Classifier,
  createClassifier,
  type PageConfig,
  pageConfigFrom,
  pageConfigFromHtml,
} from './classify';
import { type Initiator, InitiatorLog } from './initiator';
import { renderHtml } from './report-html';
import { summarize } from './summary';
import {
  type ControlResult,
  type Finding,
  type HeldRequest,
  type PageResult,
  type Phase,
  type ScanCookie,
  type ScanReport,
  type ScanRequest,
  type ScanStorageKey,
  STATE_IDS,
  STATE_LABELS,
  STRICT_STATES,
  type StateId,
  type StateResult,
} from './types';

export const VERSION = '0.1.0';

export const REJECT_SELECTOR = '[data-allparty-action="reject-all"]';
export const ACCEPT_SELECTOR = '[data-allparty-action="accept-all"]';

export interface ScanOptions {
  /** Where report.json, report.html, the HARs and the screenshots go. @default "allparty-scan-report" */
  outDir?: string;
  /**
   * Answer every request that leaves the scanned page's origin with a local stand-in (scripts get
   * an empty script, images a 1×1 GIF, the rest 204) instead of the network; still recorded.
   * @default false
   */
  standIns?: boolean;
  /** ms to wait after the load event, after the click and after the revisit. @default 2500 */
  settleMs?: number;
  /** ms to wait for the Reject / Accept control to appear. @default 8000 */
  controlTimeoutMs?: number;
  /** @default 30000 */
  navigationTimeoutMs?: number;
  /** The page's own "Reject all" control, for sites not using allparty. */
  rejectSelector?: string;
  /** The page's own "Accept all" control, for sites not using allparty. */
  acceptSelector?: string;
  /** Which states to run. @default all four */
  states?: readonly StateId[];
  /** After the click, load the page again with the decision stored. @default true */
  revisit?: boolean;
  /** A Chromium executable; found automatically when left out. */
  browserPath?: string | null;
  /** A browser to reuse (it is not closed). */
  browser?: Browser;
  /** At most this many evidence screenshots per state. @default 6 */
  maxScreenshots?: number;
  /** Called as the scan goes (the CLI prints progress from it). */
  onProgress?: (event: ProgressEvent) => void;
  /** Write report.json and report.html into outDir. @default true */
  writeReports?: boolean;
}

export type ProgressEvent =
  | { type: 'start'; pages: number; states: StateId[]; browser: string }
  | { type: 'page'; index: number; total: number; url: string }
  | { type: 'state'; index: number; total: number; url: string; result: StateResult };

interface Ctx {
  browser: Browser;
  outDir: string;
  standIns: boolean;
  settleMs: number;
  controlTimeoutMs: number;
  navigationTimeoutMs: number;
  rejectSelector: string;
  acceptSelector: string;
  revisit: boolean;
  maxScreenshots: number;
}

/** Scans the pages and returns the report (also written to `outDir` unless `writeReports` is false). */
export async function scan(urls: readonly string[], options: ScanOptions = {}): Promise<ScanReport> {
  const startedAt = new Date().toISOString();
  const outDir = options.outDir ?? 'allparty-scan-report';
  mkdirSync(join(outDir, 'har'), { recursive: true });
  mkdirSync(join(outDir, 'screenshots'), { recursive: true });
  const browser = options.browser ?? (await launchChromium(options.browserPath ?? null));
  const states = [...(options.states ?? STATE_IDS)];
  const ctx: Ctx = {
    browser,
    outDir,
    standIns: options.standIns ?? false,
    settleMs: options.settleMs ?? 2500,
    controlTimeoutMs: options.controlTimeoutMs ?? 8000,
    navigationTimeoutMs: options.navigationTimeoutMs ?? 30_000,
    rejectSelector: options.rejectSelector ?? REJECT_SELECTOR,
    acceptSelector: options.acceptSelector ?? ACCEPT_SELECTOR,
    revisit: options.revisit ?? true,
    maxScreenshots: options.maxScreenshots ?? 6,
  };
  const executable = browserExecutable(options);
  const progress = options.onProgress ?? (() => {});
  progress({ type: 'start', pages: urls.length, states, browser: `${executable} ${browser.version()}` });
  const pages: PageResult[] = [];
  try {
    for (const [i, url] of urls.entries()) {
      progress({ type: 'page', index: i, total: urls.length, url });
      const config = await prefetchConfig(url);
      const page: PageResult = {
        url,
        allparty: config !== null,
        configuredVendors: Object.keys(config?.vendors ?? {}),
        states: [],
        pass: true,
      };
      const shared = { classifier: createClassifier(config) };
      for (const state of states) {
        const result = await runState(ctx, url, i, state, shared);
        page.states.push(result);
        progress({ type: 'state', index: i, total: urls.length, url, result });
      }
      if (shared.classifier.config && !page.allparty) {
        page.allparty = true;
        page.configuredVendors = Object.keys(shared.classifier.config.vendors);
      }
      page.pass = page.states.every((s) => s.pass);
      pages.push(page);
    }
  } finally {
    if (!options.browser) await browser.close();
  }
  const report = summarize({
    startedAt,
    browser: { executable, version: browser.version() },
    options: { standIns: ctx.standIns, settleMs: ctx.settleMs, revisit: ctx.revisit, states },
    pages,
    version: VERSION,
  });
  if (options.writeReports ?? true) writeReports(report, outDir);
  return report;
}

export function writeReports(report: ScanReport, outDir: string): void {
  writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, 'report.html'), renderHtml(report, outDir));
}

function browserExecutable(options: ScanOptions): string {
  if (options.browser) return 'provided';
  return options.browserPath || process.env.ALLPARTY_CHROMIUM || 'auto';
}

/** The page's config from its HTML, fetched once without a browser (null when none or unreachable). */
async function prefetchConfig(url: string): Promise<PageConfig | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return null;
    return pageConfigFromHtml(await res.text());
  } catch {
    return null;
  }
}

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Answers a request locally: the stand-in for a vendor (or any other non-target host). */
async function standIn(route: Route): Promise<void> {
  const req = route.request();
  const origin = req.headers().origin;
  const cors: Record<string, string> = origin
    ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' }
    : { 'access-control-allow-origin': '*' };
  const host = new URL(req.url()).hostname;
  const type = req.resourceType();
  try {
    if (req.method() === 'OPTIONS')
      return await route.fulfill({
        status: 204,
        headers: { ...cors, 'access-control-allow-methods': '*', 'access-control-allow-headers': '*' },
      });
    if (type === 'script')
      return await route.fulfill({
        contentType: 'text/javascript',
        headers: cors,
        body: `/* allparty-scan stand-in for ${host} */`,
      });
    if (type === 'image') return await route.fulfill({ contentType: 'image/gif', headers: cors, body: GIF });
    if (type === 'document')
      return await route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>stand-in</title><p>allparty-scan stand-in for ${host}</p>`,
      });
    if (type === 'stylesheet')
      return await route.fulfill({ contentType: 'text/css', headers: cors, body: '' });
    return await route.fulfill({ status: 204, headers: cors, body: '' });
  } catch {
    // the page went away while we answered
  }
}

interface Recorded {
  req: Request;
  at: number;
  phase: Phase;
  shot: Promise<string | null> | null;
}

async function runState(
  ctx: Ctx,
  url: string,
  pageIndex: number,
  state: StateId,
  shared: { classifier: Classifier },
): Promise<StateResult> {
  const started = Date.now();
  const target = new URL(url);
  const targetSite = siteOf(target.hostname);
  const prefix = `p${String(pageIndex + 1).padStart(2, '0')}-${state}`;
  const harRel = `har/${prefix}.har`;
  const gpc = state === 'gpc';
  const strict = STRICT_STATES.has(state);
  const notes: string[] = [];
  const context: BrowserContext = await ctx.browser.newContext({
    recordHar: { path: join(ctx.outDir, harRel), content: 'omit' },
    serviceWorkers: 'block',
    viewport: { width: 1280, height: 800 },
    ...(gpc ? { extraHTTPHeaders: { 'Sec-GPC': '1' } } : {}),
  });
  if (gpc)
    await context.addInitScript({
      content:
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: function () { return true; }, configurable: true });",
    });
  const foreign = (u: URL) => u.origin !== target.origin;
  if (ctx.standIns) {
    await context.route((u) => (u.protocol === 'http:' || u.protocol === 'https:') && foreign(u), standIn);
    await context.routeWebSocket(
      (u) => u.host !== target.host,
      (ws) => ws.onMessage(() => {}),
    );
  }

  const page = await context.newPage();
  const initiators = new InitiatorLog();
  try {
    const cdp = await context.newCDPSession(page);
    cdp.on('Network.requestWillBeSent', (e) => initiators.add(e.request.url, e.initiator as Initiator));
    await cdp.send('Network.enable');
  } catch {
    notes.push('no DevTools protocol session: initiators are frames only');
  }

  let phase: Phase = 'load';
  let navAt = Date.now();
  let clickAt: number | null = null;
  const recorded: Recorded[] = [];
  const shotHosts = new Set<string>();
  let shots = 0;
  let shotChain: Promise<unknown> = Promise.resolve();
  const screenshot = (name: string): Promise<string | null> => {
    const rel = `screenshots/${prefix}-${name}.jpg`;
    const p = shotChain.then(async () => {
      try {
        await page.screenshot({ path: join(ctx.outDir, rel), type: 'jpeg', quality: 70, timeout: 5000 });
        return rel;
      } catch {
        return null;
      }
    });
    shotChain = p;
    return p;
  };

  const onRequest = (req: Request) => {
    let u: URL;
    try {
      u = new URL(req.url());
    } catch {
      return;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'ws:' && u.protocol !== 'wss:')
      return;
    const rec: Recorded = { req, at: Date.now(), phase, shot: null };
    if (strict && shots < ctx.maxScreenshots && !shotHosts.has(u.hostname)) {
      const c = shared.classifier.classify(u);
      if (c.tracker && (siteOf(u.hostname) !== targetSite || c.vendor)) {
        shotHosts.add(u.hostname);
        shots++;
        rec.shot = screenshot(`finding-${shots}`);
      }
    }
    recorded.push(rec);
  };
  context.on('request', onRequest);
  const sockets: Array<{ url: string; at: number; phase: Phase }> = [];
  page.on('websocket', (ws) => sockets.push({ url: ws.url(), at: Date.now(), phase }));

  const cookies = new Map<string, ScanCookie>();
  const storage = new Map<string, ScanStorageKey>();
  const held: HeldRequest[] = [];
  const screenshots: StateResult['screenshots'] = [];
  let ledgerSeen = 0;

  const snapshot = async (p: Phase) => {
    try {
      for (const c of await context.cookies()) {
        const key = `${c.name}|${c.domain}|${c.path}`;
        if (!cookies.has(key))
          cookies.set(key, {
            name: c.name,
            domain: c.domain,
            path: c.path,
            expires: c.expires,
            phase: p,
            vendor: shared.classifier.cookieVendor(c.name),
          });
      }
      const data: unknown = await page.evaluate(PAGE_STATE);
      if (!isRecord(data)) return;
      if (typeof data.config === 'string' && !shared.classifier.config) {
        try {
          const parsed = pageConfigFrom(JSON.parse(data.config));
          if (parsed) shared.classifier = createClassifier(parsed);
        } catch {
          notes.push('the page has an #allparty-config that is not valid JSON');
        }
      }
      const origin = typeof data.origin === 'string' ? data.origin : target.origin;
      for (const kind of ['local', 'session'] as const) {
        const keys = data[kind];
        if (!Array.isArray(keys)) continue;
        for (const key of keys) {
          if (typeof key !== 'string') continue;
          const id = `${kind}|${origin}|${key}`;
          if (!storage.has(id))
            storage.set(id, {
              storage: kind,
              origin,
              key,
              phase: p,
              vendor: shared.classifier.storageVendor(key, kind),
            });
        }
      }
      if (Array.isArray(data.ledger)) {
        for (const e of data.ledger.slice(ledgerSeen)) {
          if (!isRecord(e) || e.kind !== 'held' || typeof e.host !== 'string') continue;
          held.push({
            host: e.host,
            vendor: typeof e.vendor === 'string' ? e.vendor : null,
            via: typeof e.via === 'string' ? e.via : '',
            t: typeof e.t === 'number' ? Math.round(e.t) : 0,
            kind: e.kind,
            phase: p,
            classification: shared.classifier.classify(`https://${e.host}/`),
          });
        }
        ledgerSeen = data.ledger.length;
      }
    } catch {
      // the page navigated or closed while we looked
    }
  };
  const settle = () => page.waitForTimeout(ctx.settleMs);
  const pageShot = async (p: Phase) => {
    const path = await screenshot(p);
    if (path) screenshots.push({ phase: p, path });
  };

  let error: string | null = null;
  let control: ControlResult | null = null;
  try {
    navAt = Date.now();
    await page.goto(url, { waitUntil: 'load', timeout: ctx.navigationTimeoutMs });
    await settle();
    await snapshot('load');
    await pageShot('load');
    if (state === 'reject' || state === 'accept') {
      const selector = state === 'reject' ? ctx.rejectSelector : ctx.acceptSelector;
      control = { selector, found: false, clicked: false, t: null };
      const locator = page.locator(selector).first();
      try {
        await locator.waitFor({ state: 'visible', timeout: ctx.controlTimeoutMs });
        control.found = true;
      } catch {
        notes.push(
          `no ${state === 'reject' ? '"Reject all"' : '"Accept all"'} control (${selector}) appeared within ${ctx.controlTimeoutMs} ms`,
        );
      }
      if (control.found) {
        phase = 'click';
        clickAt = Date.now();
        control.t = clickAt - navAt;
        await locator.click({ timeout: ctx.controlTimeoutMs });
        control.clicked = true;
        await settle();
        await snapshot('click');
        await pageShot('click');
        if (ctx.revisit) {
          phase = 'revisit';
          ledgerSeen = 0;
          await page.goto(url, { waitUntil: 'load', timeout: ctx.navigationTimeoutMs });
          await settle();
          await snapshot('revisit');
          await pageShot('revisit');
        }
      }
    }
  } catch (e) {
    error = e instanceof Error ? (e.message.split('\n')[0] ?? String(e)) : String(e);
    await snapshot(phase);
  }
  context.off('request', onRequest);

  // Classify with the best config known now (the page's own may have been read in this state).
  const classifier = shared.classifier;
  const requests: ScanRequest[] = [];
  const findings: Finding[] = [];
  let firstParty = 0;
  for (const r of recorded) {
    const u = new URL(r.req.url());
    const classification = classifier.classify(u);
    const thirdParty = siteOf(u.hostname) !== targetSite;
    const init = initiators.take(r.req.url());
    if (!thirdParty && !classification.vendor) {
      firstParty++;
      continue;
    }
    let frameUrl: string | null = null;
    try {
      frameUrl = r.req.frame().url() || null;
    } catch {
      frameUrl = null;
    }
    const chain = init
      ? initiators.chain(init)
      : [{ type: 'frame', url: frameUrl, line: null, column: null, function: null }];
    const request: ScanRequest = {
      url: r.req.url(),
      host: u.hostname,
      method: r.req.method(),
      type: r.req.resourceType(),
      phase: r.phase,
      t: r.at - navAt,
      sinceClick: clickAt !== null && r.at >= clickAt ? r.at - clickAt : null,
      thirdParty,
      standIn: ctx.standIns && foreign(u),
      frameUrl,
      initiator: chain,
      classification,
    };
    requests.push(request);
    if (strict && classification.tracker)
      findings.push({
        request: requests.length - 1,
        url: request.url,
        host: request.host,
        vendor: classification.vendor,
        name: classification.name,
        purposes: classification.purposes,
        phase: request.phase,
        t: request.t,
        sinceClick: request.sinceClick,
        initiator: chain,
        screenshot: r.shot ? await r.shot : null,
      });
  }
  for (const s of sockets) {
    const u = new URL(s.url);
    if (requests.some((r) => r.url === s.url && r.type === 'websocket')) continue;
    const classification = classifier.classify(new URL(`https://${u.host}${u.pathname}`));
    const thirdParty = siteOf(u.hostname) !== targetSite;
    if (!thirdParty && !classification.vendor) continue;
    requests.push({
      url: s.url,
      host: u.hostname,
      method: 'GET',
      type: 'websocket',
      phase: s.phase,
      t: s.at - navAt,
      sinceClick: clickAt !== null && s.at >= clickAt ? s.at - clickAt : null,
      thirdParty,
      standIn: ctx.standIns && u.host !== target.host,
      frameUrl: null,
      initiator: [],
      classification,
    });
    if (strict && classification.tracker)
      findings.push({
        request: requests.length - 1,
        url: s.url,
        host: u.hostname,
        vendor: classification.vendor,
        name: classification.name,
        purposes: classification.purposes,
        phase: s.phase,
        t: s.at - navAt,
        sinceClick: null,
        initiator: [],
        screenshot: null,
      });
  }
  // A finding whose screenshot failed (or was over the limit) shows the nearest page screenshot.
  for (const f of findings)
    f.screenshot ??= screenshots.find((s) => s.phase === f.phase)?.path ?? screenshots[0]?.path ?? null;
  for (const h of held) h.classification = classifier.classify(`https://${h.host}/`);

  await shotChain.catch(() => {});
  let har: string | null = harRel;
  try {
    await context.close();
  } catch {
    har = null;
  }
  if (firstParty) notes.push(`${firstParty} first-party requests (not listed)`);
  return {
    id: state,
    label: STATE_LABELS[state],
    pass: error === null && findings.length === 0,
    error,
    control,
    durationMs: Date.now() - started,
    requests,
    held,
    cookies: [...cookies.values()],
    storage: [...storage.values()],
    findings,
    screenshots,
    har,
    notes,
  };
}

/** Evaluated in the page: its config text, storage keys and allparty's load ledger. */
const PAGE_STATE = `(() => {
  const keys = (s) => { try { const out = []; for (let i = 0; i < s.length; i++) out.push(s.key(i)); return out; } catch (e) { return []; } };
  let ledger = null;
  try { const a = window.allparty; if (a && typeof a.ledger === 'function') ledger = JSON.parse(JSON.stringify(a.ledger())); } catch (e) {}
  const el = document.getElementById('allparty-config');
  return { origin: location.origin, local: keys(localStorage), session: keys(sessionStorage), ledger, config: el ? el.textContent : null };
})()`;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
