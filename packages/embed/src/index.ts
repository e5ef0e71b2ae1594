/**
 * The script-tag build. Paste the JSON config and this script as the first things in <head>
 * (no async, no defer): it installs the guard before any other script can run, applies stored
 * consent synchronously, releases what is granted, and exposes `window.allparty`.
 */
import { isLanguage, pickLanguage, startUi } from '@allparty/banner';
import {
  type AllpartyConfig,
  applyGpc,
  BANNER_CHUNK,
  bannerTextsChunk,
  type Consent,
  chunkFile,
  cookieStorage,
  createConsent,
  createGating,
  createGuard,
  type Gating,
  noticeChunk,
} from '@allparty/core';
import { descriptors } from '@allparty/vendors';
import { type AllpartyApi, createApi } from './api';
import { recognizeTracker } from './hints';
import { readPageConfig } from './page-config';
import { queueRecords } from './records';
import { createAdapterRunner } from './runner';

/**
 * Releases the elements the site tagged itself. Embed players (YouTube, Vimeo, Maps) are released
 * by their adapters, in private mode (youtube-nocookie, dnt=1), not by plain gating.
 */
function startGating(config: AllpartyConfig, consent: Consent): Gating {
  const players = new Set(
    descriptors.filter((d) => d.purposes.some((p) => p === 'video' || p === 'maps')).map((d) => d.id),
  );
  return createGating({
    document,
    allowed: (purposes, vendor) =>
      !(vendor && players.has(vendor) && !config.vendors[vendor]?.snippet) &&
      purposes.every((p) => consent.has(p, vendor ?? undefined)),
  });
}

/** The hosts the guard leaves alone: the site's `allow`, the embed's own host and the log's. */
function allowedHosts(config: AllpartyConfig, host: string): string[] {
  const allow = [...config.allow, host];
  if (config.log && /^https?:\/\//.test(config.log.endpoint)) allow.push(new URL(config.log.endpoint).host);
  return allow;
}

function main() {
  performance.mark?.('allparty:init:start');
  const self = document.currentScript as HTMLScriptElement | null;
  const base = self?.src ? new URL('.', self.src).href : new URL('.', location.href).href;
  const nonce = self?.nonce || self?.getAttribute('nonce') || null;
  const ownHost = new URL(base).host;
  const config = readPageConfig(descriptors, base, nonce, ownHost);
  if (!config) return;

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

  const gating = startGating(config, consent);
  const guard = createGuard({
    // A site's own routes for a vendor (`vendors.X.hosts`) are that vendor's too.
    vendors: descriptors.map((d) => ({
      id: d.id,
      hosts: [...d.hosts, ...(config.vendors[d.id]?.hosts ?? [])],
    })),
    configured: new Set(Object.keys(config.vendors)),
    isGranted: (v) => !refused.has(v) && (granted.has(v) || once.has(v)),
    recordFor: (v) => grantRecord.get(v) ?? null,
    allow: allowedHosts(config, ownHost),
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
