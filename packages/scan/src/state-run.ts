/**
 * One state of one page (new visitor, after Reject all, with GPC, after Accept all), in a fresh
 * browser context: open the context, record every request (with a screenshot of the first finding
 * per host in the strict states), drive the page (load, click the control, revisit), snapshot what
 * it stored and what its guard held, then classify what was recorded.
 */
import { join } from 'node:path';
import { siteOf } from '@allparty/core';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { type Classifier, createClassifier, pageConfigFrom } from './classify';
import { type Initiator, InitiatorLog } from './initiator';
import { standIn } from './stand-in';
import {
  type ControlResult,
  type Finding,
  type HeldRequest,
  type Phase,
  type ScanCookie,
  type ScanRequest,
  type ScanStorageKey,
  STATE_LABELS,
  STRICT_STATES,
  type StateId,
  type StateResult,
} from './types';

/** What every state of a scan shares: the browser and the scan's options. */
export interface Ctx {
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

/** The classifier shared by every state of a scan: replaced once a page's own config is read. */
interface Shared {
  classifier: Classifier;
}

/** A request as it left the page: when, in which phase, and its screenshot if it was a finding. */
interface Recorded {
  req: Request;
  at: number;
  phase: Phase;
  shot: Promise<string | null> | null;
}

/** The page being scanned in one state, and what is recorded while it runs. */
interface Visit {
  ctx: Ctx;
  state: StateId;
  target: URL;
  /** Only the strict states (all but Accept) have findings. */
  strict: boolean;
  context: BrowserContext;
  page: Page;
  shared: Shared;
  notes: string[];
  /** File name prefix of this state's screenshots and HAR (`p01-reject`). */
  prefix: string;
  /** The current phase, and when the navigation and the click happened. */
  phase: Phase;
  navAt: number;
  clickAt: number | null;
  /** Takes a screenshot after the ones before it; its path under the output folder, or null. */
  screenshot(name: string): Promise<string | null>;
  /** Resolves once every screenshot asked for is written (or failed). */
  screenshotsDone(): Promise<void>;
}

export async function runState(
  ctx: Ctx,
  url: string,
  pageIndex: number,
  state: StateId,
  shared: Shared,
): Promise<StateResult> {
  const started = Date.now();
  const prefix = `p${String(pageIndex + 1).padStart(2, '0')}-${state}`;
  const harRel = `har/${prefix}.har`;
  const target = new URL(url);
  const context = await openContext(ctx, state, target, join(ctx.outDir, harRel));
  const visit = await openPage(ctx, state, target, context, shared, prefix);
  const initiators = await watchInitiators(visit);
  const recorder = recordRequests(visit);
  const snapshots = createSnapshots(visit);

  const { error, control } = await drive(visit, url, snapshots);
  context.off('request', recorder.onRequest);

  const { requests, findings, firstParty } = await classify(visit, recorder, initiators);
  // A finding whose screenshot failed (or was over the limit) shows the nearest page screenshot.
  const { screenshots, held } = snapshots;
  for (const f of findings)
    f.screenshot ??= screenshots.find((s) => s.phase === f.phase)?.path ?? screenshots[0]?.path ?? null;
  for (const h of held) h.classification = shared.classifier.classify(`https://${h.host}/`);

  await visit.screenshotsDone();
  let har: string | null = harRel;
  try {
    await context.close();
  } catch {
    har = null;
  }
  if (firstParty) visit.notes.push(`${firstParty} first-party requests (not listed)`);
  return {
    id: state,
    label: STATE_LABELS[state],
    pass: error === null && findings.length === 0,
    error,
    control,
    durationMs: Date.now() - started,
    requests,
    held,
    cookies: [...snapshots.cookies.values()],
    storage: [...snapshots.storage.values()],
    findings,
    screenshots,
    har,
    notes: visit.notes,
  };
}

/** A fresh context that records a HAR; with GPC on in the `gpc` state; stand-ins if asked. */
async function openContext(ctx: Ctx, state: StateId, target: URL, harPath: string): Promise<BrowserContext> {
  const gpc = state === 'gpc';
  const context = await ctx.browser.newContext({
    recordHar: { path: harPath, content: 'omit' },
    serviceWorkers: 'block',
    viewport: { width: 1280, height: 800 },
    ...(gpc ? { extraHTTPHeaders: { 'Sec-GPC': '1' } } : {}),
  });
  if (gpc)
    await context.addInitScript({
      content:
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: function () { return true; }, configurable: true });",
    });
  if (ctx.standIns) {
    await context.route(
      (u) => (u.protocol === 'http:' || u.protocol === 'https:') && u.origin !== target.origin,
      standIn,
    );
    await context.routeWebSocket(
      (u) => u.host !== target.host,
      (ws) => ws.onMessage(() => {}),
    );
  }
  return context;
}

async function openPage(
  ctx: Ctx,
  state: StateId,
  target: URL,
  context: BrowserContext,
  shared: Shared,
  prefix: string,
): Promise<Visit> {
  const page = await context.newPage();
  // Screenshots one after another: a finding's and the phase's never overlap.
  let shotChain: Promise<unknown> = Promise.resolve();
  const visit: Visit = {
    ctx,
    state,
    target,
    strict: STRICT_STATES.has(state),
    context,
    page,
    shared,
    notes: [],
    prefix,
    phase: 'load',
    navAt: Date.now(),
    clickAt: null,
    screenshot(name) {
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
    },
    screenshotsDone: () =>
      shotChain.then(
        () => undefined,
        () => undefined,
      ),
  };
  return visit;
}

/** Each request's initiator (script, line, parser) from the DevTools protocol, when there is one. */
async function watchInitiators(visit: Visit): Promise<InitiatorLog> {
  const initiators = new InitiatorLog();
  try {
    const cdp = await visit.context.newCDPSession(visit.page);
    cdp.on('Network.requestWillBeSent', (e) => initiators.add(e.request.url, e.initiator as Initiator));
    await cdp.send('Network.enable');
  } catch {
    visit.notes.push('no DevTools protocol session: initiators are frames only');
  }
  return initiators;
}

/**
 * Records every http(s) and ws(s) request of the context and every WebSocket of the page. In a
 * strict state, the first tracker request to each host (up to the limit) gets a screenshot.
 */
function recordRequests(visit: Visit) {
  const { ctx, shared } = visit;
  const recorded: Recorded[] = [];
  const sockets: Array<{ url: string; at: number; phase: Phase }> = [];
  const shotHosts = new Set<string>();
  const shots: Array<Promise<string | null>> = [];
  const targetSite = siteOf(visit.target.hostname);
  const onRequest = (req: Request) => {
    let u: URL;
    try {
      u = new URL(req.url());
    } catch {
      return;
    }
    if (!/^(https?|wss?):$/.test(u.protocol)) return;
    const rec: Recorded = { req, at: Date.now(), phase: visit.phase, shot: null };
    if (visit.strict && shots.length < ctx.maxScreenshots && !shotHosts.has(u.hostname)) {
      const c = shared.classifier.classify(u);
      if (c.tracker && (siteOf(u.hostname) !== targetSite || c.vendor)) {
        shotHosts.add(u.hostname);
        rec.shot = visit.screenshot(`finding-${shots.length + 1}`);
        shots.push(rec.shot);
      }
    }
    recorded.push(rec);
  };
  visit.context.on('request', onRequest);
  visit.page.on('websocket', (ws) => sockets.push({ url: ws.url(), at: Date.now(), phase: visit.phase }));
  return {
    recorded,
    sockets,
    onRequest,
  };
}

/** What the page stored and its guard held, read after each phase; and a screenshot per phase. */
function createSnapshots(visit: Visit) {
  const { page, context, shared, target } = visit;
  const cookies = new Map<string, ScanCookie>();
  const storage = new Map<string, ScanStorageKey>();
  const held: HeldRequest[] = [];
  const screenshots: StateResult['screenshots'] = [];
  let ledgerSeen = 0;

  const readCookies = async (phase: Phase) => {
    for (const c of await context.cookies()) {
      const key = `${c.name}|${c.domain}|${c.path}`;
      if (!cookies.has(key))
        cookies.set(key, {
          name: c.name,
          domain: c.domain,
          path: c.path,
          expires: c.expires,
          phase,
          vendor: shared.classifier.cookieVendor(c.name),
        });
    }
  };
  /** The page's own config makes the classifier exact for every later state. */
  const readConfig = (text: unknown) => {
    if (typeof text !== 'string' || shared.classifier.config) return;
    try {
      const parsed = pageConfigFrom(JSON.parse(text));
      if (parsed) shared.classifier = createClassifier(parsed);
    } catch {
      visit.notes.push('the page has an #allparty-config that is not valid JSON');
    }
  };
  const readStorage = (data: Record<string, unknown>, phase: Phase) => {
    const origin = typeof data.origin === 'string' ? data.origin : target.origin;
    for (const kind of ['local', 'session'] as const) {
      const keys = data[kind];
      if (!Array.isArray(keys)) continue;
      for (const key of keys) {
        const id = `${kind}|${origin}|${key}`;
        if (typeof key === 'string' && !storage.has(id))
          storage.set(id, {
            storage: kind,
            origin,
            key,
            phase,
            vendor: shared.classifier.storageVendor(key, kind),
          });
      }
    }
  };
  const readLedger = (ledger: unknown, phase: Phase) => {
    if (!Array.isArray(ledger)) return;
    for (const e of ledger.slice(ledgerSeen)) {
      if (!isRecord(e) || e.kind !== 'held' || typeof e.host !== 'string') continue;
      held.push({
        host: e.host,
        vendor: typeof e.vendor === 'string' ? e.vendor : null,
        via: typeof e.via === 'string' ? e.via : '',
        t: typeof e.t === 'number' ? Math.round(e.t) : 0,
        kind: e.kind,
        phase,
        classification: shared.classifier.classify(`https://${e.host}/`),
      });
    }
    ledgerSeen = ledger.length;
  };

  return {
    cookies,
    storage,
    held,
    screenshots,
    /** A new page view starts its load ledger again. */
    newPageView() {
      ledgerSeen = 0;
    },
    async read(phase: Phase) {
      try {
        await readCookies(phase);
        const data: unknown = await page.evaluate(PAGE_STATE);
        if (!isRecord(data)) return;
        readConfig(data.config);
        readStorage(data, phase);
        readLedger(data.ledger, phase);
      } catch {
        // the page navigated or closed while we looked
      }
    },
    async shoot(phase: Phase) {
      const path = await visit.screenshot(phase);
      if (path) screenshots.push({ phase, path });
    },
  };
}

type Snapshots = ReturnType<typeof createSnapshots>;

/**
 * Loads the page; in the Reject and Accept states clicks the control (when it appears) and, unless
 * told not to, loads the page again. Each phase ends settled, snapshotted and screenshotted.
 */
async function drive(
  visit: Visit,
  url: string,
  snapshots: Snapshots,
): Promise<{ error: string | null; control: ControlResult | null }> {
  const { ctx, page, state } = visit;
  const settle = () => page.waitForTimeout(ctx.settleMs);
  const phaseDone = async (phase: Phase) => {
    await settle();
    await snapshots.read(phase);
    await snapshots.shoot(phase);
  };
  let control: ControlResult | null = null;
  try {
    visit.navAt = Date.now();
    await page.goto(url, { waitUntil: 'load', timeout: ctx.navigationTimeoutMs });
    await phaseDone('load');
    if (state !== 'reject' && state !== 'accept') return { error: null, control };
    const selector = state === 'reject' ? ctx.rejectSelector : ctx.acceptSelector;
    control = { selector, found: false, clicked: false, t: null };
    const locator = page.locator(selector).first();
    try {
      await locator.waitFor({ state: 'visible', timeout: ctx.controlTimeoutMs });
      control.found = true;
    } catch {
      visit.notes.push(
        `no ${state === 'reject' ? '"Reject all"' : '"Accept all"'} control (${selector}) appeared within ${ctx.controlTimeoutMs} ms`,
      );
    }
    if (!control.found) return { error: null, control };
    visit.phase = 'click';
    visit.clickAt = Date.now();
    control.t = visit.clickAt - visit.navAt;
    await locator.click({ timeout: ctx.controlTimeoutMs });
    control.clicked = true;
    await phaseDone('click');
    if (ctx.revisit) {
      visit.phase = 'revisit';
      snapshots.newPageView();
      await page.goto(url, { waitUntil: 'load', timeout: ctx.navigationTimeoutMs });
      await phaseDone('revisit');
    }
    return { error: null, control };
  } catch (e) {
    await snapshots.read(visit.phase);
    return { error: e instanceof Error ? (e.message.split('\n')[0] ?? String(e)) : String(e), control };
  }
}

/**
 * Classifies what was recorded with the best config known now (the page's own may have been read
 * in this state): third-party requests and vendor requests are listed (first-party ones counted),
 * and in a strict state every tracker request is a finding.
 */
async function classify(visit: Visit, recorder: ReturnType<typeof recordRequests>, initiators: InitiatorLog) {
  const { ctx, target, navAt, clickAt } = visit;
  const classifier = visit.shared.classifier;
  const targetSite = siteOf(target.hostname);
  const requests: ScanRequest[] = [];
  const findings: Finding[] = [];
  let firstParty = 0;
  const sinceClick = (at: number) => (clickAt !== null && at >= clickAt ? at - clickAt : null);
  const add = (request: ScanRequest, screenshot: string | null, clicked: number | null) => {
    requests.push(request);
    if (visit.strict && request.classification.tracker)
      findings.push({
        request: requests.length - 1,
        url: request.url,
        host: request.host,
        vendor: request.classification.vendor,
        name: request.classification.name,
        purposes: request.classification.purposes,
        phase: request.phase,
        t: request.t,
        sinceClick: clicked,
        initiator: request.initiator,
        screenshot,
      });
  };
  for (const r of recorder.recorded) {
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
    const request: ScanRequest = {
      url: r.req.url(),
      host: u.hostname,
      method: r.req.method(),
      type: r.req.resourceType(),
      phase: r.phase,
      t: r.at - navAt,
      sinceClick: sinceClick(r.at),
      thirdParty,
      standIn: ctx.standIns && u.origin !== target.origin,
      frameUrl,
      initiator: init
        ? initiators.chain(init)
        : [{ type: 'frame', url: frameUrl, line: null, column: null, function: null }],
      classification,
    };
    add(request, r.shot ? await r.shot : null, request.sinceClick);
  }
  for (const s of recorder.sockets) {
    const u = new URL(s.url);
    if (requests.some((r) => r.url === s.url && r.type === 'websocket')) continue;
    const classification = classifier.classify(new URL(`https://${u.host}${u.pathname}`));
    const thirdParty = siteOf(u.hostname) !== targetSite;
    if (!thirdParty && !classification.vendor) continue;
    const request: ScanRequest = {
      url: s.url,
      host: u.hostname,
      method: 'GET',
      type: 'websocket',
      phase: s.phase,
      t: s.at - navAt,
      sinceClick: sinceClick(s.at),
      thirdParty,
      standIn: ctx.standIns && u.host !== target.host,
      frameUrl: null,
      initiator: [],
      classification,
    };
    add(request, null, null);
  }
  return { requests, findings, firstParty };
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
