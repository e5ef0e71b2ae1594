// @vitest-environment node
/**
 * allparty-scan against the local example sites in examples/scan/ and the demo page, all
 * hermetic: `--stand-ins` answers every request that leaves the test server's origin, so no
 * vendor is ever contacted.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium } from '../src/browser';
import { runCli } from '../src/run';
import type { ScanReport, StateId } from '../src/types';
import { startServer, type TestServer } from './server';

const ROOT = new URL('../../../', import.meta.url).pathname;
const PAGES = ['/scan/configured/', '/scan/leaky/', '/scan/no-consent/', '/site/'];
const STRICT: StateId[] = ['new-visitor', 'reject', 'gpc'];

let server: TestServer;
let dir: string;
let out: string;
let code: number;
let printed = '';
let report: ScanReport;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'packages/embed/dist/allparty.js')))
    throw new Error(
      'packages/embed/dist/allparty.js is missing: run `pnpm run build` first (`pnpm test` does).',
    );
  server = await startServer(PAGES);
  dir = mkdtempSync(join(tmpdir(), 'allparty-scan-'));
  out = join(dir, 'report');
  const io = {
    out: (s: string) => {
      printed += s;
    },
    err: (s: string) => {
      printed += s;
    },
  };
  // One run over the sitemap of all four pages (one browser), as CI would run it.
  code = await runCli(
    [
      `${server.origin}/sitemap.xml`,
      '--stand-ins',
      '--out',
      out,
      '--settle',
      '400',
      '--control-timeout',
      '3000',
    ],
    io,
  );
  report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
}, 240_000);

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const page = (path: string) => {
  const p = report.pages.find((x) => x.url === `${server.origin}${path}`);
  if (!p) throw new Error(`no page ${path} in the report`);
  return p;
};
const state = (path: string, id: StateId) => {
  const s = page(path).states.find((x) => x.id === id);
  if (!s) throw new Error(`no state ${id} for ${path}`);
  return s;
};
const hosts = (list: Array<{ host: string }>) => [...new Set(list.map((x) => x.host))].sort();

describe('allparty-scan on the example sites', () => {
  it('reads the sitemap, prints progress and a summary, and exits 1 on findings', () => {
    expect(code).toBe(1);
    expect(report.pages.map((p) => p.url)).toEqual(PAGES.map((p) => `${server.origin}${p}`));
    expect(report.pass).toBe(false);
    expect(report.totals.errors).toBe(0);
    expect(report.options.standIns).toBe(true);
    expect(printed).toContain('[1/4]');
    expect(printed).toContain('[4/4]');
    expect(printed).toMatch(/PASS +1 new visitor/);
    expect(printed).toMatch(/FAIL +1 new visitor/);
    expect(printed).toContain('Summary');
    expect(printed).toContain('FAIL: ');
  });

  it('(a) a site configured with allparty: no findings in any state; the guard held what it should', () => {
    const p = page('/scan/configured/');
    expect(p.allparty).toBe(true);
    expect(p.configuredVendors.sort()).toEqual(['google-analytics-4', 'hotjar']);
    expect(p.pass).toBe(true);
    for (const s of p.states) {
      expect(s.error).toBeNull();
      expect(s.findings).toEqual([]);
    }
    const first = state('/scan/configured/', 'new-visitor');
    const cdn = first.requests.find((r) => r.host === 'cdn.jsdelivr.net');
    expect(cdn?.classification).toMatchObject({ tracker: false, configured: true });
    expect(first.requests.every((r) => !r.classification.tracker)).toBe(true);
    // The first-party tag manager's beacon was held by the guard, not sent.
    expect(first.held).toContainEqual(
      expect.objectContaining({ host: 'www.google-analytics.com', vendor: 'google-analytics-4' }),
    );
    expect(state('/scan/configured/', 'reject').control).toMatchObject({ found: true, clicked: true });
    // After Accept all, the configured vendors load (not a finding in state 4).
    const accept = state('/scan/configured/', 'accept');
    expect(accept.control).toMatchObject({ found: true, clicked: true });
    const released = accept.requests.filter((r) => r.phase !== 'load');
    expect(hosts(released)).toEqual(
      expect.arrayContaining(['static.hotjar.com', 'www.googletagmanager.com']),
    );
    expect(released.find((r) => r.host === 'static.hotjar.com')?.sinceClick ?? -1).toBeGreaterThanOrEqual(0);
    expect(accept.cookies.map((c) => c.name)).toContain('allparty');
  });

  it('(b) a tag manager above allparty: findings in state 1, with the initiator chain and a screenshot', () => {
    const first = state('/scan/leaky/', 'new-visitor');
    expect(first.pass).toBe(false);
    expect(hosts(first.findings)).toEqual(
      expect.arrayContaining(['connect.facebook.net', 'static.hotjar.com', 'www.facebook.com']),
    );
    const hotjar = first.findings.find((f) => f.host === 'static.hotjar.com');
    expect(hotjar).toMatchObject({ vendor: 'hotjar', purposes: ['replay'], phase: 'load', sinceClick: null });
    expect(hotjar?.url).toBe('https://static.hotjar.com/c/hotjar-3712345.js?sv=6');
    expect(hotjar?.initiator[0]).toMatchObject({
      type: 'script',
      url: `${server.origin}/scan/leaky/tag-manager.js`,
      function: 'inject',
    });
    expect(hotjar?.initiator[1]).toMatchObject({ type: 'parser', url: `${server.origin}/scan/leaky/` });
    expect(hotjar?.screenshot).toMatch(/^screenshots\/.+\.jpg$/);
    expect(existsSync(join(out, hotjar?.screenshot ?? 'missing'))).toBe(true);
    // The request is in the state's list with the same evidence, answered by a stand-in.
    const request = first.requests[hotjar?.request ?? -1];
    expect(request).toMatchObject({
      host: 'static.hotjar.com',
      type: 'script',
      thirdParty: true,
      standIn: true,
    });
    // Its vendors are configured, so no adapter is suggested for this page.
    for (const a of report.suggestions.adapters) expect(a.pages).not.toContain(page('/scan/leaky/').url);
  });

  it('(c) no consent tool: findings in every state 1-3, and adapters suggested', () => {
    const p = page('/scan/no-consent/');
    expect(p.allparty).toBe(false);
    for (const id of STRICT) {
      const s = state('/scan/no-consent/', id);
      expect(s.pass, id).toBe(false);
      expect(hosts(s.findings), id).toEqual(
        expect.arrayContaining([
          'dis.criteo.net',
          'static.hotjar.com',
          'widget.intercom.io',
          'www.google-analytics.com',
        ]),
      );
    }
    expect(state('/scan/no-consent/', 'reject').control).toMatchObject({ found: false, clicked: false });
    expect(state('/scan/no-consent/', 'reject').notes.join(' ')).toContain('no "Reject all" control');
    // State 3 really had Global Privacy Control on: the page saw it, and so did the server.
    const beacon = (id: StateId) =>
      state('/scan/no-consent/', id).findings.find((f) => f.host === 'www.google-analytics.com')?.url ?? '';
    expect(beacon('gpc')).toContain('gpc=1');
    expect(beacon('new-visitor')).toContain('gpc=0');
    expect(server.hits.filter((h) => h.path === '/scan/no-consent/' && h.gpc === '1')).toHaveLength(1);
    const adapters = report.suggestions.adapters.filter((a) => a.pages.includes(p.url));
    expect(
      adapters
        .filter((a) => a.action === 'configure')
        .map((a) => a.vendor)
        .sort(),
    ).toEqual(['google-analytics-4', 'hotjar', 'intercom']);
    expect(adapters.find((a) => a.action === 'missing')).toMatchObject({ name: 'Criteo', vendor: null });
    expect(report.suggestions.allow.map((a) => a.host)).toContain('fonts.googleapis.com');
    expect(report.suggestions.allow.map((a) => a.host)).not.toContain('cdn.jsdelivr.net');
  });

  it("the demo page: stand-in vendors on *.localhost are attributed through the page's vendors.X.hosts", () => {
    const p = page('/site/');
    expect(p.pass).toBe(true);
    const accept = state('/site/', 'accept');
    const released = accept.requests.filter((r) => r.phase !== 'load');
    expect(released.find((r) => r.host === 'analytics.localhost')?.classification).toMatchObject({
      vendor: 'google-analytics-4',
      source: 'config',
      tracker: true,
    });
    expect(released.find((r) => r.host === 'chat.localhost')?.classification.vendor).toBe('intercom');
  });

  it('writes a HAR of each state', () => {
    for (const p of report.pages)
      for (const s of p.states) {
        expect(s.har).toMatch(/^har\/.+\.har$/);
        const har = JSON.parse(readFileSync(join(out, s.har ?? ''), 'utf8'));
        expect(har.log.entries.length).toBeGreaterThan(0);
      }
    const har = JSON.parse(readFileSync(join(out, state('/scan/leaky/', 'new-visitor').har ?? ''), 'utf8'));
    const urls: string[] = har.log.entries.map((e: { request: { url: string } }) => e.request.url);
    expect(urls).toContain('https://static.hotjar.com/c/hotjar-3712345.js?sv=6');
  });

  it('writes an HTML report that opens in Chromium without console errors and shows the screenshots', async () => {
    const browser = await launchChromium();
    try {
      const tab = await browser.newPage();
      const problems: string[] = [];
      tab.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
      });
      tab.on('pageerror', (e) => problems.push(e.message));
      await tab.goto(`file://${join(out, 'report.html')}`);
      const images = await tab
        .locator('img')
        .evaluateAll((imgs) =>
          imgs.map((i) =>
            i instanceof HTMLImageElement ? { ok: i.complete, w: i.naturalWidth } : { ok: false, w: 0 },
          ),
        );
      expect(images.length).toBeGreaterThan(report.pages.length * 4);
      expect(images.every((i) => i.ok && i.w > 0)).toBe(true);
      await expect(tab.title()).resolves.toContain('FAIL');
      expect(await tab.locator('.findings li').count()).toBe(report.totals.findings);
      expect(await tab.locator('#page-2 .findings img').count()).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('the built CLI: a list file, --browser, exit 0 for the configured site', async () => {
    const cli = join(ROOT, 'packages/scan/dist/cli.js');
    expect(existsSync(cli), 'run `pnpm run build` first').toBe(true);
    const list = join(dir, 'pages.txt');
    writeFileSync(list, `# the configured example\n${server.origin}/scan/configured/\n`);
    const browser = findChromium();
    // Asynchronously: the test server answers from this process.
    const r = await run(process.execPath, [
      cli,
      list,
      '--stand-ins',
      '--out',
      join(dir, 'cli'),
      '--settle',
      '500',
      '--states',
      'new-visitor',
      ...(browser ? ['--browser', browser] : []),
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('PASS: no replay, chat, analytics or advertising request before consent');
    const cliReport: ScanReport = JSON.parse(readFileSync(join(dir, 'cli', 'report.json'), 'utf8'));
    expect(cliReport.pass).toBe(true);
    expect(cliReport.pages.map((p) => p.states.map((s) => s.id))).toEqual([['new-visitor']]);
  }, 120_000);
});

function run(
  cmd: string,
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
