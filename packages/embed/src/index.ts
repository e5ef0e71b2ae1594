/**
 * The script-tag build. Paste the JSON config and this script as the first things in <head>
 * (no async, no defer): it installs the guard before any other script can run, applies stored
 * consent synchronously, releases what is granted, and exposes `window.allparty`.
 */
import { isLanguage, pickLanguage, startUi } from '@allparty/banner';
import type { Consent, QueueSender } from '@allparty/core';
import {
  applyGpc,
  BANNER_CHUNK,
  bannerTextsChunk,
  CONFIG_ERRORS_CHUNK,
  chunkFile,
  cookieStorage,
  createConsent,
  createGating,
  createGuard,
  createQueueStore,
  formatConfigErrors,
  loadScript,
  noticeChunk,
  parseConfig,
  QUEUE_CHUNK,
  recordWriter,
} from '@allparty/core';
import { descriptors } from '@allparty/vendors';
import { type AllpartyApi, createApi, failClosedApi } from './api';
import { recognizeTracker } from './hints';
import { createAdapterRunner } from './runner';

const CONFIG_ID = 'allparty-config';

function main() {
  performance.mark?.('allparty:init:start');
  const self = document.currentScript as HTMLScriptElement | null;
  const base = self?.src ? new URL('.', self.src).href : new URL('.', location.href).href;
  const nonce = self?.nonce || self?.getAttribute('nonce') || null;
  const ownHost = new URL(base).host;

  const configEl = document.getElementById(CONFIG_ID);
  let problem: string | null = null;
  let raw: unknown;
  if (!configEl)
    problem = `allparty: no <script type="application/json" id="${CONFIG_ID}"> before the allparty script, so no vendor will load (failing closed).`;
  else
    try {
      raw = JSON.parse(configEl.textContent ?? '');
    } catch (error) {
      problem = `allparty: the config in #${CONFIG_ID} is not valid JSON (${(error as Error).message}), so no vendor will load (failing closed).`;
    }
  const parsed = problem === null ? parseConfig(raw, { vendors: descriptors }) : null;
  if (!parsed?.ok) {
    // Fail closed: every vendor and unregistered host is held; the API grants nothing.
    const errors = parsed?.ok === false ? parsed.errors : [];
    console.error(
      problem ??
        (__EXPLAIN__
          ? formatConfigErrors(errors)
          : `allparty: the config has invalid fields, so no vendor will load (failing closed): ${errors.map((e) => e.path).join(', ')}. Loading the explanations…`),
    );
    const guard = createGuard({
      vendors: descriptors,
      configured: new Set(),
      isGranted: () => false,
      allow: [ownHost],
      unregistered: 'block',
    });
    guard.install(window);
    window.allparty = failClosedApi(guard);
    // The explanations ("must be true or false", "did you mean") are a lazy chunk: nothing waits for it.
    if (!__EXPLAIN__ && errors.length)
      void loadScript(base + chunkFile(CONFIG_ERRORS_CHUNK), nonce).then((ok) => {
        const message = ok && window.allpartyConfigErrors?.(raw, descriptors);
        if (message) console.error(message);
      });
    return;
  }
  const config = parsed.config;
  // A vendor with invalid settings fails closed alone: left out of the config, it is never offered
  // or granted, its hosts stay held and its tagged elements inert. The console says which setting.
  const invalid = new Map<string, string[]>();
  for (const { path } of parsed.excluded) {
    const [, id = '', key = ''] = path.split('.');
    const value = (raw as { vendors: Record<string, Record<string, unknown>> }).vendors[id]?.[key];
    invalid.set(id, [
      ...(invalid.get(id) ?? []),
      `${key} ${value === undefined ? 'missing' : JSON.stringify(value)}`,
    ]);
  }
  for (const [id, problems] of invalid)
    console.error(
      `allparty: the "${id}" settings are invalid, so it is not offered and will not load (${problems.join(', ')})`,
    );

  const consent = createConsent({
    config,
    vendors: descriptors,
    storage: cookieStorage({
      name: config.cookie.name,
      domain: config.cookie.domain,
      days: config.expiryDays,
    }),
  });

  // First listener: records made at start-up (an expiry, GPC) are queued before anything else.
  if (config.log) queueRecords(consent, config.log.endpoint, base, nonce);

  // The guard reads grants on every request: keep them in a set, refreshed before anything
  // else reacts to a decision.
  let granted = new Set<string>();
  /** Embeds the visitor chose to "load once": allowed for this page view, nothing stored. */
  const once = new Set<string>();
  const refresh = () => {
    const { vendors } = consent.get();
    granted = new Set(Object.keys(vendors).filter((v) => vendors[v]));
  };
  refresh();
  /** Vendors an adapter refused at load, their live privacy settings short of the site's minimum (R16). */
  const refused = new Set<string>();
  const grantRecord = new Map<string, string | null>();
  for (const v of granted) grantRecord.set(v, consent.get().record);
  consent.on('change', refresh);
  consent.on('record', (record) => {
    for (const [v, on] of Object.entries(record.vendors)) if (on) grantRecord.set(v, record.id);
  });

  // Embed players (YouTube, Vimeo, Maps) are released by their adapters, in private mode
  // (youtube-nocookie, dnt=1), not by plain gating.
  const embeds = new Set(
    descriptors.filter((d) => d.purposes.some((p) => p === 'video' || p === 'maps')).map((d) => d.id),
  );
  const gating = createGating({
    document,
    allowed: (purposes, vendor) =>
      !(vendor && embeds.has(vendor) && !config.vendors[vendor]?.snippet) &&
      purposes.every((p) => consent.has(p, vendor ?? undefined)),
  });

  const allow = [...config.allow, ownHost];
  if (config.log && /^https?:\/\//.test(config.log.endpoint)) allow.push(new URL(config.log.endpoint).host);
  const guard = createGuard({
    // A site's own routes for a vendor (`vendors.X.hosts`) are that vendor's too.
    vendors: descriptors.map((d) => ({
      id: d.id,
      hosts: [...d.hosts, ...(config.vendors[d.id]?.hosts ?? [])],
    })),
    configured: new Set(Object.keys(config.vendors)),
    isGranted: (v) => !refused.has(v) && (granted.has(v) || once.has(v)),
    recordFor: (v) => grantRecord.get(v) ?? null,
    allow,
    unregistered: config.unregistered,
    onLoad: (entry) => consent.addLoad(entry),
    onInsert: () => gating.schedule(),
    ...(__DEV__ ? { recognize: recognizeTracker } : {}),
  });
  performance.mark?.('allparty:guard-install:start');
  guard.install(window);
  performance.measure?.('allparty:guard-install', 'allparty:guard-install:start');

  const adapters = createAdapterRunner({
    consent,
    base,
    nonce,
    hold: (id) => {
      refused.add(id);
      guard.stop([id]);
    },
  });

  consent.on('stop', ({ vendors }) => {
    refresh();
    guard.stop(vendors);
    gating.regate();
    adapters.stop(vendors);
  });
  consent.on('release', ({ vendors }) => {
    refresh();
    guard.release(vendors);
    gating.update();
    adapters.load(vendors);
  });

  applyGpc(consent);
  gating.start({ observe: false }); // the guard's own observer and insertion hooks notify it
  adapters.load([...granted]);
  window.allparty = createApi(consent);
  performance.measure?.('allparty:init', 'allparty:init:start');
  const preloaded =
    config.banner && consent.get().needsDecision && document.readyState === 'loading' && !!self?.src;
  if (preloaded) preloadFirstVisit(base, nonce, Object.keys(config.vendors), pickLanguage(config));
  if (config.banner)
    void startUi(consent, {
      src: base + chunkFile(BANNER_CHUNK, __DEV__),
      nonce,
      preloaded,
      manifests: () => adapters.manifests(Object.keys(config.vendors)),
      onChatStart: (id) => adapters.open(id),
      loadOnce: (el, id) => {
        once.add(id);
        guard.release([id]);
        el.setAttribute('src', el.getAttribute('data-src') ?? '');
      },
    });
}

/**
 * The record queue in two parts: each record is stored (localStorage) the moment it is made,
 * here; the code that sends them to the log is a lazy chunk, `allparty-queue.js`, loaded after
 * a decision or at start-up when records of an earlier page view still wait. A returning visitor
 * with nothing queued never downloads it; a record is never lost waiting for it.
 */
function queueRecords(consent: Consent, endpoint: string, base: string, nonce: string | null) {
  const store = createQueueStore();
  const write = recordWriter(consent, store);
  let sender: Promise<QueueSender | null> | null = null;
  const send = () => {
    sender ??= loadScript(base + chunkFile(QUEUE_CHUNK, __DEV__), nonce).then((ok) => {
      if (ok && window.allpartyQueue) return window.allpartyQueue(consent, store, { endpoint });
      // Offline, say: the stored records wait for the connection, the next record or page view.
      sender = null;
      addEventListener('online', () => void send(), { once: true });
      return null;
    });
    return sender;
  };
  consent.on('record', (record) => {
    write(record);
    void send().then((s) => s?.queued());
  });
  // A page view that makes no record keeps its ledger for the next record, even a later page view's.
  addEventListener('pagehide', () => write.keep());
  const waiting = store.load();
  if (waiting.records.length || waiting.want.length) void send();
}

/**
 * A first visit needs the banner at DOMContentLoaded, so its code (and the vendor texts it
 * shows, `notices/<id>.js`: texts only, no adapter code) is written into the parser's stream
 * right after this script: fetched in parallel, run in order before the parser goes on. A
 * returning visitor never downloads any of it.
 */
function preloadFirstVisit(base: string, nonce: string | null, vendors: string[], language: string) {
  const files = [...vendors.map((v) => chunkFile(noticeChunk(v))), chunkFile(BANNER_CHUNK, __DEV__)];
  if (language !== 'en' && isLanguage(language)) files.push(chunkFile(bannerTextsChunk(language), __DEV__));
  const n = nonce ? ` nonce="${nonce.replace(/"/g, '')}"` : '';
  document.write(files.map((f) => `<script src="${base}${f}"${n}></script>`).join(''));
}

declare global {
  interface Window {
    allparty: AllpartyApi;
  }
}

main();
