/**
 * The scanner: visits each page in fresh browser contexts (new visitor, after Reject all, with
 * Global Privacy Control, after Accept all), records every third-party request with its
 * initiator chain, cookies and storage, and what the page's guard held; classifies the hosts;
 * and flags any replay, chat, analytics or advertising request in the first three states.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { createClassifier, type PageConfig, pageConfigFromHtml } from './classify';
import { renderHtml } from './report-html';
import { type Ctx, runState } from './state-run';
import { summarize } from './summary';
import { type PageResult, type ScanReport, STATE_IDS, type StateId, type StateResult } from './types';

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
