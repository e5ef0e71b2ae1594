// The browser side shared by bench/page-cost.mjs and bench/page-cost/profile.mjs: one Chromium
// build and its flags (it resolves only this machine's names), Lighthouse's mobile throttling
// through CDP, a return visitor's stored state made by a real click on "Accept all", and a
// returning visitor's browser profile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { findChromium } from '../../scripts/browser.mjs';
import { VARIANTS } from './pages.mjs';

/** Lighthouse's mobile profile (its throttling constants), applied through CDP. */
export const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};
export const CPU_SLOWDOWN = 4;
export const TIMEOUT_MS = 30_000;

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Hermetic: only this machine's names resolve (the stand-ins are *.localhost).
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE *.localhost, EXCLUDE 127.0.0.1',
  // With DevTools attached (Playwright), Chromium reports a document.cookie read as a performance
  // issue with its JS stack; V8 then re-parses the reading script for source positions (~5 ms of
  // allparty.js's ~25 ms run, unthrottled; none without DevTools, as a startup trace of a plain
  // Chromium shows). Source positions made at compile time instead remove that artefact, for
  // every variant alike.
  '--js-flags=--no-enable-lazy-source-positions',
];

async function executable() {
  const found = await findChromium();
  if (!found) throw new Error('page-cost: no Chromium; run `node scripts/browser.mjs`');
  return found.executablePath ? { executablePath: found.executablePath } : {};
}

/** The browser for first visits: each in a fresh context (an off-the-record profile: no cache, no cookies). */
export async function launchChromium() {
  return chromium.launch({ ...(await executable()), args: ARGS });
}

/**
 * A returning visitor: a browser profile of its own on disk, with the stored consent (`state`,
 * from acceptAll) and an empty cache. An on-disk profile, not a Playwright context, because only
 * it keeps V8's code cache: Chromium keeps none for off-the-record profiles (a trace shows
 * allparty.js's 108 lazy compiles on every load in a context, none from the third load on in a
 * profile), and a real returning visitor's browser runs a script it has seen before compiled.
 */
export async function returningVisitor(origin, state) {
  const dir = mkdtempSync(join(tmpdir(), 'page-cost-profile-'));
  const context = await chromium.launchPersistentContext(dir, { ...(await executable()), args: ARGS });
  const close = async () => {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (state?.cookies.length) await context.addCookies(state.cookies);
    const stored = state?.origins.find((o) => o.origin === origin && o.localStorage.length);
    if (stored) {
      // A page of the site that loads nothing, so the cache stays empty.
      const page = await context.newPage();
      await page.goto(`${origin}/__state`);
      await page.evaluate((items) => {
        for (const { name, value } of items) localStorage.setItem(name, value);
      }, stored.localStorage);
      await page.close();
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { context, close };
}

/** Network and CPU throttling for one page, before its navigation. */
export async function throttle(cdp) {
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
}

/**
 * A return visitor's stored state (cookies and localStorage): one real, unthrottled load of the
 * variant's page and a click on its "Accept all". For allparty, after the log has the record.
 */
export async function acceptAll(browser, origin, variant) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/site/${variant}.html`, { waitUntil: 'load' });
  const recorded =
    variant === 'cookieconsent'
      ? null
      : page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/consent/') && r.ok(), {
          timeout: TIMEOUT_MS,
        });
  await page.locator(VARIANTS[variant].accept).click();
  if (recorded) await recorded;
  else
    await page.waitForFunction(() => document.cookie.includes('cc_cookie='), null, { timeout: TIMEOUT_MS });
  // The vendors load and allparty sends their first requests to the log (the load ledger); what
  // is still queued after this is what a real returning visitor carries.
  await page.waitForTimeout(2000);
  const state = await context.storageState();
  await context.close();
  return state;
}
