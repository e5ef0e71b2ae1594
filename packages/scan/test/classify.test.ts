// @vitest-environment node
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium } from '../src/browser';
import { createClassifier, pageConfigFromHtml } from '../src/classify';
import { formatChain, InitiatorLog } from '../src/initiator';
import { runCli } from '../src/run';
import { summarize } from '../src/summary';
import { expandTargets, parseSitemap } from '../src/targets';
import type { HostClass, PageResult, StateResult } from '../src/types';

const ROOT = new URL('../../../', import.meta.url).pathname;

describe('classification', () => {
  const none = createClassifier(null);

  it('names vendors from the allparty manifests, by host and by path', () => {
    expect(none.classify('https://static.hotjar.com/c/hotjar-1.js?sv=6')).toMatchObject({
      vendor: 'hotjar',
      purposes: ['replay'],
      tracker: true,
      source: 'manifest',
      adapter: true,
      configured: false,
    });
    expect(none.classify('https://www.googletagmanager.com/gtag/js?id=G-1').vendor).toBe(
      'google-analytics-4',
    );
    expect(none.classify('https://www.googletagmanager.com/gtm.js?id=GTM-1').vendor).toBe(
      'google-tag-manager',
    );
    expect(none.classify('https://widget.intercom.io/widget/x')).toMatchObject({
      vendor: 'intercom',
      purposes: ['chat'],
    });
  });

  it('falls back to third-party-web: trackers without an adapter, and hosts that are not trackers', () => {
    expect(none.classify('https://dis.criteo.net/dis/dis.aspx')).toMatchObject({
      vendor: null,
      name: 'Criteo',
      category: 'ad',
      purposes: ['advertising'],
      tracker: true,
      source: 'third-party-web',
      adapter: false,
    });
    expect(none.classify('https://fonts.googleapis.com/css2?family=Inter')).toMatchObject({
      name: 'Google Fonts',
      category: 'cdn',
      tracker: false,
    });
    expect(none.classify('https://assets.nobody-knows.example/app.js')).toMatchObject({
      vendor: null,
      name: null,
      tracker: false,
      source: null,
    });
  });

  it("reads the page's own config: vendors.X.hosts (the demo's *.localhost stand-ins) and allow", () => {
    const config = pageConfigFromHtml(readFileSync(join(ROOT, 'examples/site/index.html'), 'utf8'));
    expect(config?.vendors.hotjar?.hosts).toEqual(['replay.localhost']);
    const demo = createClassifier(config);
    expect(demo.classify('http://replay.localhost:8080/stand-ins/replay.js')).toMatchObject({
      vendor: 'hotjar',
      purposes: ['replay'],
      tracker: true,
      source: 'config',
      configured: true,
    });
    expect(demo.classify('http://chat.localhost:8080/x').vendor).toBe('intercom');
    expect(none.classify('http://replay.localhost:8080/stand-ins/replay.js').vendor).toBeNull();

    const allowing = createClassifier(
      pageConfigFromHtml(
        '<script type="application/json" id="allparty-config">{"vendors":{"hotjar":{"snippet":true}},"allow":["cdn.jsdelivr.net",".hotjar.com"]}</script>',
      ),
    );
    expect(allowing.classify('https://cdn.jsdelivr.net/npm/x.css')).toMatchObject({
      tracker: false,
      configured: true,
    });
    // A tracker on `allow` is still a tracker.
    expect(allowing.classify('https://static.hotjar.com/c/x.js')).toMatchObject({
      vendor: 'hotjar',
      tracker: true,
    });
    expect(
      pageConfigFromHtml('<script id="allparty-config" type="application/json">{oops</script>'),
    ).toBeNull();
    expect(pageConfigFromHtml('<p>no config</p>')).toBeNull();
  });

  it('attributes cookies and storage keys to vendors by their manifests', () => {
    expect(none.cookieVendor('_hjSessionUser_3712345')).toBe('hotjar');
    expect(none.cookieVendor('allparty')).toBeNull();
    expect(none.storageVendor('allparty.queue', 'local')).toBeNull();
  });
});

describe('initiator chains', () => {
  it('follows a script to whoever loaded it, up to the document', () => {
    const log = new InitiatorLog();
    log.add('https://site.example/', { type: 'other' });
    log.add('https://site.example/tm.js', { type: 'parser', url: 'https://site.example/', lineNumber: 7 });
    const injected = {
      type: 'script',
      stack: {
        callFrames: [
          { functionName: 'inject', url: 'https://site.example/tm.js', lineNumber: 4, columnNumber: 2 },
        ],
      },
    };
    log.add('https://static.hotjar.com/c/hotjar-1.js', injected);
    const chain = log.chain(log.take('https://static.hotjar.com/c/hotjar-1.js'));
    expect(chain).toEqual([
      { type: 'script', url: 'https://site.example/tm.js', line: 5, column: 3, function: 'inject' },
      { type: 'parser', url: 'https://site.example/', line: 8, column: null, function: null },
    ]);
    expect(formatChain(chain)).toBe(
      'script https://site.example/tm.js:5:3 (inject) ← parser https://site.example/:8',
    );
    expect(log.take('https://static.hotjar.com/c/hotjar-1.js')).toBeUndefined();
    expect(formatChain([])).toBe('(no initiator recorded)');
  });
});

describe('targets', () => {
  const sitemaps: Record<string, string> = {
    'https://shop.example/sitemap.xml':
      '<?xml version="1.0"?><sitemapindex><sitemap><loc>https://shop.example/pages.xml</loc></sitemap></sitemapindex>',
    'https://shop.example/pages.xml':
      '<urlset><url><loc>https://shop.example/</loc></url><url><loc> https://shop.example/a?x=1&amp;y=2 </loc></url><url><loc>https://shop.example/b</loc></url></urlset>',
  };
  const fakeFetch: typeof fetch = async (input) => {
    const body = sitemaps[String(input)];
    return new Response(body ?? 'not found', { status: body ? 200 : 404 });
  };

  it('reads URLs, list files and sitemap indexes, without duplicates and up to a limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'allparty-scan-targets-'));
    try {
      const list = join(dir, 'pages.txt');
      writeFileSync(list, '# key pages\nhttps://shop.example/\n\nhttps://shop.example/sitemap.xml\n');
      expect(await expandTargets([list, 'https://shop.example/c'], { fetch: fakeFetch })).toEqual([
        'https://shop.example/',
        'https://shop.example/a?x=1&y=2',
        'https://shop.example/b',
        'https://shop.example/c',
      ]);
      expect(await expandTargets([list], { fetch: fakeFetch, maxPages: 2 })).toHaveLength(2);
      await expect(expandTargets(['not a url'], { fetch: fakeFetch })).rejects.toThrow(
        /list file or a sitemap/,
      );
      await expect(expandTargets(['https://shop.example/missing.xml'], { fetch: fakeFetch })).rejects.toThrow(
        /404/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(parseSitemap('<html></html>').kind).toBeNull();
  });
});

describe('suggestions', () => {
  const cls = createClassifier(
    pageConfigFromHtml(
      '<script id="allparty-config" type="application/json">{"vendors":{"hotjar":{"snippet":true}},"allow":["cdn.jsdelivr.net"]}</script>',
    ),
  );
  const req = (url: string) => {
    const classification: HostClass = cls.classify(url);
    return {
      url,
      host: new URL(url).hostname,
      method: 'GET',
      type: 'script',
      phase: 'load' as const,
      t: 10,
      sinceClick: null,
      thirdParty: true,
      standIn: true,
      frameUrl: null,
      initiator: [],
      classification,
    };
  };
  const state = (urls: string[]): StateResult => ({
    id: 'accept',
    label: '4',
    pass: true,
    error: null,
    control: null,
    durationMs: 1,
    requests: urls.map(req),
    held: [],
    cookies: [],
    storage: [],
    findings: [],
    screenshots: [],
    har: null,
    notes: [],
  });

  it('suggests non-tracker hosts for allow, and the adapters to configure or that are missing', () => {
    const page: PageResult = {
      url: 'https://shop.example/',
      allparty: true,
      configuredVendors: ['hotjar'],
      pass: true,
      states: [
        state([
          'https://static.hotjar.com/c/x.js',
          'https://cdn.jsdelivr.net/npm/a.css',
          'https://fonts.googleapis.com/css2',
          'https://assets.nobody-knows.example/app.js',
          'https://connect.facebook.net/en_US/fbevents.js',
          'https://dis.criteo.net/dis/dis.aspx',
        ]),
      ],
    };
    const report = summarize({
      startedAt: 'now',
      browser: { executable: 'x', version: '1' },
      options: { standIns: true, settleMs: 1, revisit: true, states: ['accept'] },
      pages: [page],
      version: '0',
    });
    expect(report.pass).toBe(true);
    expect(report.suggestions.allow).toEqual([
      { host: 'assets.nobody-knows.example', name: null, category: null, reason: 'unknown' },
      { host: 'fonts.googleapis.com', name: 'Google Fonts', category: 'cdn', reason: 'known' },
    ]);
    expect(report.suggestions.adapters).toEqual([
      {
        vendor: 'meta-pixel',
        name: expect.any(String),
        purposes: ['advertising'],
        hosts: ['connect.facebook.net'],
        action: 'configure',
        pages: ['https://shop.example/'],
      },
      {
        vendor: null,
        name: 'Criteo',
        purposes: ['advertising'],
        hosts: ['dis.criteo.net'],
        action: 'missing',
        pages: ['https://shop.example/'],
      },
    ]);
    expect(report.hosts[0]?.tracker).toBe(true);
  });
});

describe('CLI usage and browser discovery', () => {
  it('rejects bad usage with exit code 2 and prints help with 0', async () => {
    let text = '';
    const io = {
      out: (s: string) => {
        text += s;
      },
      err: (s: string) => {
        text += s;
      },
    };
    expect(await runCli([], io)).toBe(2);
    expect(await runCli(['https://x.example/', '--states', 'new-visitor,later'], io)).toBe(2);
    expect(text).toContain('unknown state later');
    expect(await runCli(['https://x.example/', '--settle', 'soon'], io)).toBe(2);
    expect(await runCli(['--bogus'], io)).toBe(2);
    text = '';
    expect(await runCli(['--help'], io)).toBe(0);
    expect(text).toContain('Usage: allparty-scan');
  });

  it('takes --browser PATH when it exists, and refuses one that does not', () => {
    expect(findChromium(process.execPath)).toBe(process.execPath);
    expect(() => findChromium('/nonexistent/chromium')).toThrow(/No browser at/);
  });
});
