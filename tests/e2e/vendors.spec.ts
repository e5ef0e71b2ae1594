import { manifests, parseHostPattern, type VendorManifest } from '@allparty/vendors';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, type Net, type NetRequest, type Site, settle, test } from './fixtures';
import {
  CALLS_KEY,
  FLUSHED_KEY,
  SENT_AT,
  standInFrame,
  standInScript,
  WEAKER_FLAG,
} from './fixtures/vendors/stand-in';
import { VENDOR_CASES, type VendorCase } from './vendor-table';

// Every adapter through the built embed and its adapter chunk, in Chromium, against our own stand-in
// for the vendor (same globals, same hosts, same loading pattern), answered by request interception:
// nothing before consent; after a grant the script loads from its declared host and finds the
// globals the official snippet sets up; after a withdrawal nothing more reaches its hosts, its
// cookies and keys are gone and its UI is removed, or the page reloads into the blocked state
// where the manifest says it cannot be unloaded in place.

const byId = new Map(manifests.map((m) => [m.id, m]));
const missing = [...byId.keys()].filter((id) => !(id in VENDOR_CASES));
const extra = Object.keys(VENDOR_CASES).filter((id) => !byId.has(id));
if (missing.length || extra.length)
  throw new Error(`vendor-table.ts must have one row per adapter: missing ${missing}, unknown ${extra}`);

const WITHDRAWN_AT = 'allparty-test:withdrawn-at';
const AT_UNLOAD = 'allparty-test:at-unload';
const SITE_COOKIE = 'site_pref';
const SITE_KEY = 'site-cart';

interface StandInState {
  __standin?: { up: Record<string, number>; seen: Record<string, unknown> };
  __samePage?: boolean;
}

/** The example settings a site owner would paste: the id example plus every required option. */
function exampleSettings(m: VendorManifest): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  if (m.configId) settings[m.configId.setting] = m.configId.example;
  for (const o of m.options ?? []) if (o.required) settings[o.name] = o.example;
  return settings;
}

/** A concrete name for a declared cookie or key: `{id}` filled in, a suffix added to a prefix. */
const concrete = (name: string, id: string, prefix?: boolean) =>
  name.replaceAll('{id}', id) + (prefix ? 'x1' : '');

interface Setup {
  m: VendorManifest;
  c: VendorCase;
  url: string;
  cookies: string[];
  storage: Array<{ key: string; storage: 'local' | 'session' }>;
}

function setup(id: string, site: Site, net: Net, options: { weaker?: boolean } = {}): Setup {
  const m = byId.get(id)!;
  const c = VENDOR_CASES[id]!;
  const settings = { ...exampleSettings(m), ...c.settings };
  const siteId = m.configId ? String(settings[m.configId.setting]) : '';
  // Every first-party cookie and key the manifest declares (opt-out markers are the visitor's, not the vendor's).
  const cookies = m.cookies
    .filter((k) => !k.thirdParty && !k.optOut)
    .map((k) => concrete(k.name, siteId, k.prefix));
  const storage = m.storageKeys.map((k) => ({ key: concrete(k.key, siteId, k.prefix), storage: k.storage }));
  if (c.script)
    net.script(
      c.script,
      standInScript({
        id,
        cookies,
        storage,
        beacon: c.beacon,
        ...(c.widget && { widget: c.widget.html }),
      }),
    );
  if (c.embed)
    net.serve({
      match: new RegExp(`^${c.embed.released.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
      contentType: 'text/html',
      body: standInFrame({ id, beacon: c.beacon }),
    });
  const purposes = JSON.stringify(c.embed ? [c.embed.purpose] : m.purposes);
  const url = site.allparty({
    config: { vendors: { [id]: settings }, banner: false },
    head: `<script>
      ${options.weaker ? `window.${WEAKER_FLAG} = true;` : ''}
      document.cookie = '${SITE_COOKIE}=keep; path=/';
      localStorage.setItem('${SITE_KEY}', 'keep');
      // What the withdrawn page looked like as it unloaded (a reload leaves no other trace of it).
      addEventListener('pagehide', function () {
        if (!sessionStorage.getItem('${WITHDRAWN_AT}') || sessionStorage.getItem('${AT_UNLOAD}')) return;
        sessionStorage.setItem('${AT_UNLOAD}', JSON.stringify({
          widget: ${c.widget ? `document.querySelectorAll(${JSON.stringify(c.widget.selector)}).length` : 0},
          scripts: document.querySelectorAll('script[data-allparty-vendor]').length,
        }));
      });
    </script>`,
    // The withdrawal's time is taken once allparty.withdraw() has returned: an embed's frame runs
    // in its own process and may send while the page is still carrying the withdrawal out.
    body: `
      <button id="accept" onclick="allparty.acceptAll()">Accept all</button>
      <button id="reject" onclick="allparty.rejectAll()">Reject all</button>
      <button id="withdraw" onclick="allparty.withdraw(${purposes.replace(/"/g, "'")}); sessionStorage.setItem('${WITHDRAWN_AT}', String(Date.now()))">Withdraw</button>
      ${c.embed ? `<iframe id="embed" data-src="${c.embed.dataSrc}" data-allparty="${c.embed.purpose}" data-vendor="${id}" title="${id} embed" width="320" height="180"></iframe>` : ''}`,
  });
  return { m, c, url, cookies, storage };
}

/**
 * Whether a URL is on one of a manifest's host patterns (`host`, `*.host`, `.host`, `:port`, `/path`).
 * The package's `urlMatches` needs a document; this is the same rule, for the test process.
 */
function declared(hosts: readonly string[], url: string): boolean {
  const u = new URL(url);
  return hosts.some((p) => {
    const pattern = parseHostPattern(p);
    if (!pattern) return false;
    const h = u.hostname;
    const hostOk =
      pattern.kind === 'exact'
        ? h === pattern.host
        : h.endsWith(`.${pattern.host}`) || (pattern.kind === 'apex-and-subdomains' && h === pattern.host);
    return (
      hostOk &&
      (pattern.port === null || u.port === pattern.port) &&
      (pattern.path === null || `${u.pathname}${u.search}`.startsWith(pattern.path))
    );
  });
}

const toVendor = (m: VendorManifest, net: Net) => net.requests.filter((r) => declared(m.hosts, r.url));
const beacons = (s: Setup, net: Net) => {
  const base = s.c.beacon.url.split('?')[0]!;
  return net.requests.filter((r) => r.url.startsWith(base) && r.url.includes(`${SENT_AT}=`));
};
/** When a request left the page: its beacon's own send time, else when it was intercepted. */
const sentAt = (r: NetRequest) => Number(new URL(r.url).searchParams.get(SENT_AT) ?? r.time);

const calls = (page: Page) =>
  page.evaluate((key) => JSON.parse(sessionStorage.getItem(key) ?? '[]') as unknown[][], CALLS_KEY);
const up = (page: Page, id: string) =>
  page.evaluate((v) => (window as unknown as StandInState).__standin?.up[v] ?? 0, id);
const presentGlobals = (page: Page, names: readonly string[]) =>
  page.evaluate(
    (list) => list.filter((n) => (window as unknown as Record<string, unknown>)[n] !== undefined),
    names,
  );
const storedKeys = (page: Page, keys: Setup['storage']) =>
  page.evaluate(
    (list) =>
      list
        .filter((k) => (k.storage === 'local' ? localStorage : sessionStorage).getItem(k.key) !== null)
        .map((k) => `${k.storage}:${k.key}`),
    keys,
  );
const cookieNames = async (context: BrowserContext) => (await context.cookies()).map((c) => c.name);
const pageErrors = (logs: string[]) => logs.filter((l) => l.startsWith('pageerror') || l.startsWith('error'));

/** `expect.poll` that looks often: the default backs off to 1 s between looks, which adds up over 126 tests. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { intervals: [25, 50, 100] });

/** Grants everything and waits until the vendor runs: script in, stand-in up, beaconing, UI shown, cookies set. */
async function grantAndRun(page: Page, context: BrowserContext, net: Net, s: Setup, id: string) {
  await page.goto(s.url);
  await page.click('#accept');
  if (s.c.script) await poll(() => up(page, id)).toBe(1);
  else await expect(page.locator('#embed')).toHaveAttribute('src', s.c.embed!.released);
  await poll(() => beacons(s, net).length).toBeGreaterThan(0);
  if (s.c.widget) await expect(page.locator(s.c.widget.selector)).toHaveCount(1);
  await poll(() => cookieNames(context)).toEqual(expect.arrayContaining(s.cookies));
  expect(await storedKeys(page, s.storage)).toHaveLength(s.storage.length);
}

for (const id of Object.keys(VENDOR_CASES)) {
  test.describe(id, () => {
    test('nothing before consent, nor after Reject', async ({ page, context, site, net }) => {
      const s = setup(id, site, net);
      await page.goto(s.url);
      await settle(page, 250);
      expect(net.requests).toEqual([]);
      await page.click('#reject');
      await settle(page, 250);
      expect(net.requests).toEqual([]);
      // Not even the adapter chunk: a vendor's code is only fetched once it is granted.
      expect(site.hits.filter((h) => h.path.startsWith('/dist/vendors/'))).toEqual([]);
      expect(await presentGlobals(page, s.c.globals)).toEqual([]);
      expect(
        await page.evaluate(() => document.querySelectorAll('script[data-allparty-vendor]').length),
      ).toBe(0);
      expect((await cookieNames(context)).filter((n) => s.cookies.includes(n))).toEqual([]);
      if (s.c.embed) await expect(page.locator('#embed')).not.toHaveAttribute('src', /./);
      const ledger = await page.evaluate(() => window.allparty.ledger());
      expect(ledger.filter((e) => e.kind === 'request' || e.kind === 'violation')).toEqual([]);
    });

    test('after a grant it loads from its declared host with the snippet’s globals', async ({
      page,
      context,
      site,
      net,
      logs,
    }) => {
      const s = setup(id, site, net);
      await grantAndRun(page, context, net, s, id);
      const ledger = await page.evaluate(() => window.allparty.ledger());
      expect(ledger.filter((e) => e.kind === 'violation')).toEqual([]);
      // The guard attributes the load to this vendor and to the grant's record.
      expect(ledger).toContainEqual(
        expect.objectContaining({ kind: 'request', vendor: id, record: expect.any(String) }),
      );
      if (s.c.script) {
        const scripts = net.requests.filter((r) => s.c.script!.test(r.url));
        expect(scripts.map((r) => r.type)).toEqual(['script']);
        expect(declared(s.m.hosts, scripts[0]!.url)).toBe(true);
        expect(
          await page.evaluate((v) => (window as unknown as StandInState).__standin?.seen[v], id),
        ).toEqual(s.c.seen);
        await poll(() => calls(page)).toEqual(s.c.loadCalls ?? []);
        expect(await presentGlobals(page, s.c.globals)).toEqual(s.c.globals);
      } else {
        const embed = s.c.embed!;
        // Released in its private form only: never the URL the site wrote, when that differs.
        const frames = net.requests.filter((r) => r.type === 'document');
        expect(frames.map((r) => r.url)).toEqual([embed.released]);
        expect(declared(s.m.hosts, embed.released)).toBe(true);
        expect(page.frames().map((f) => f.url())).toContain(embed.released);
      }
      // R16: where the vendor exposes its live privacy settings, what the adapter read is in the ledger.
      if (s.c.live)
        expect(ledger).toContainEqual({
          kind: 'settings',
          vendor: id,
          host: '',
          via: 'adapter',
          t: expect.any(Number),
          record: expect.any(String),
          settings: s.c.live.settings,
          weaker: [],
        });
      else expect(ledger.filter((e) => e.kind === 'settings')).toEqual([]);
      // Beacons go to a host the manifest declares (so the guard would hold them without a grant).
      expect(declared(s.m.hosts, beacons(s, net)[0]!.url)).toBe(true);
      expect(pageErrors(logs)).toEqual([]);
      // Loaded exactly once.
      await settle(page, 150);
      if (s.c.script) {
        expect(await up(page, id)).toBe(1);
        expect(net.requests.filter((r) => s.c.script!.test(r.url))).toHaveLength(1);
      }
    });

    test('after a withdrawal its hosts hear nothing more; cookies, keys and UI are gone', async ({
      page,
      context,
      site,
      net,
    }) => {
      const s = setup(id, site, net);
      await grantAndRun(page, context, net, s, id);
      const loadCalls = await calls(page);
      // R29: a vendor that cannot be unloaded in place gets a reload into the blocked state.
      const reloads = s.m.unloadWithoutReload !== true;
      await page.evaluate(() => {
        (window as unknown as StandInState).__samePage = true;
      });
      // A reload is a second page load: on a loaded 2-core machine that can take a while.
      if (reloads) test.setTimeout(60_000);
      const reloaded = reloads ? page.waitForEvent('load', { timeout: 30_000 }) : null;
      await page.click('#withdraw');
      if (reloaded) await reloaded;
      // Blocked again in place: no vendor URL in the frame (the gating leaves it about:blank).
      else await expect(page.locator('#embed')).not.toHaveAttribute('src', /^https?:/);
      await settle(page, 300);
      const withdrawnAt = Number(await page.evaluate((k) => sessionStorage.getItem(k), WITHDRAWN_AT));
      expect(withdrawnAt).toBeGreaterThan(0);

      // No request to its hosts was sent after the withdrawal…
      expect(toVendor(s.m, net).filter((r) => sentAt(r) >= withdrawnAt)).toEqual([]);
      // …though the vendor's code tried: it flushed on the way out of the withdrawn page, and the guard held it.
      if (reloads && s.c.script)
        expect(
          Number(await page.evaluate((k) => sessionStorage.getItem(k), FLUSHED_KEY)),
        ).toBeGreaterThanOrEqual(withdrawnAt);
      expect(await page.evaluate(() => (window as unknown as StandInState).__samePage === true)).toBe(
        !reloads,
      );
      expect(await page.evaluate((v) => window.allparty.get().vendors[v], id)).toBe(false);

      // Its cookies and keys are gone; the site's own stay.
      const names = await cookieNames(context);
      expect(names.filter((n) => s.cookies.includes(n))).toEqual([]);
      expect(names).toContain(SITE_COOKIE);
      expect(await storedKeys(page, s.storage)).toEqual([]);
      expect(await page.evaluate((k) => localStorage.getItem(k), SITE_KEY)).toBe('keep');

      // Its UI and code are gone.
      expect(
        await page.evaluate(() => document.querySelectorAll('script[data-allparty-vendor]').length),
      ).toBe(0);
      if (s.c.widget) await expect(page.locator(s.c.widget.selector)).toHaveCount(0);
      if (s.c.embed) {
        expect(page.frames().map((f) => f.url())).not.toContain(s.c.embed.released);
        await expect(page.locator('#embed')).not.toHaveAttribute('data-allparty-released');
      }
      if (reloads) {
        expect(await presentGlobals(page, s.c.globals)).toEqual([]);
        expect(await up(page, id)).toBe(0);
        const ledger = await page.evaluate(() => window.allparty.ledger());
        expect(ledger.filter((e) => e.vendor === id && e.kind === 'request')).toEqual([]);
        // stop() ran before the reload: it took out the vendor's scripts (and its widget where it knows it).
        const atUnload = JSON.parse(
          (await page.evaluate((k) => sessionStorage.getItem(k), AT_UNLOAD)) ?? 'null',
        ) as { widget: number; scripts: number } | null;
        expect(atUnload).toEqual({ widget: s.c.widget && !s.c.widget.removedByStop ? 1 : 0, scripts: 0 });
      }
      // The vendor's own stop API was called, as the adapter declares.
      expect(await calls(page)).toEqual([...loadCalls, ...(s.c.stopCalls ?? [])]);
    });

    const live = VENDOR_CASES[id]!.live;
    if (live)
      test('weaker live privacy settings than the site’s minimum: refused, recorded, stopped, its hosts held (R16)', async ({
        page,
        context,
        site,
        net,
        logs,
      }) => {
        const s = setup(id, site, net, { weaker: true });
        await page.goto(s.url);
        await page.evaluate(() => {
          (window as unknown as StandInState).__samePage = true;
        });
        await page.click('#accept');
        await poll(() => up(page, id)).toBe(1);
        await poll(() =>
          page.evaluate(
            (v) => window.allparty.ledger().filter((e) => e.kind === 'settings' && e.vendor === v),
            id,
          ),
        ).toEqual([expect.objectContaining(live.weakened)]);
        // The vendor keeps trying (its beacon timer runs on): let it, then look.
        await poll(() =>
          page.evaluate(
            (v) => window.allparty.ledger().filter((e) => e.kind === 'held' && e.vendor === v).length,
            id,
          ),
        ).toBeGreaterThan(0);
        await settle(page, 300);
        const ledger = await page.evaluate(() => window.allparty.ledger());
        const refusal = ledger.find((e) => e.kind === 'settings' && e.vendor === id)!;
        expect(refusal.record).toEqual(expect.any(String));
        // Its hosts are held again from the refusal on (a `stop` entry), without a reload or a withdrawal.
        expect(ledger).toContainEqual(expect.objectContaining({ kind: 'stop', vendor: id }));
        expect(await page.evaluate(() => (window as unknown as StandInState).__samePage === true)).toBe(true);
        expect(await page.evaluate((v) => window.allparty.get().vendors[v], id)).toBe(true);
        // Nothing reached its hosts but the script itself: every beacon was held.
        expect(beacons(s, net)).toEqual([]);
        expect(toVendor(s.m, net).map((r) => r.url)).toEqual(
          net.requests.filter((r) => s.c.script!.test(r.url)).map((r) => r.url),
        );
        expect(ledger.filter((e) => e.vendor === id && e.kind === 'violation')).toEqual([]);
        // Stopped through its own API, its script removed, its cookies and keys purged.
        expect((await calls(page)).slice(-(s.c.stopCalls?.length ?? 0))).toEqual(s.c.stopCalls ?? []);
        expect(
          await page.evaluate(() => document.querySelectorAll('script[data-allparty-vendor]').length),
        ).toBe(0);
        expect((await cookieNames(context)).filter((n) => s.cookies.includes(n))).toEqual([]);
        expect(await storedKeys(page, s.storage)).toEqual([]);
        // The console names the vendor and the setting.
        expect(logs).toContainEqual(
          expect.stringMatching(
            new RegExp(
              `^error: allparty: ${s.m.name} was stopped.*${live.weakened.weaker[0]} is (off|unreadable)`,
            ),
          ),
        );
      });
  });
}

// What one vendor's grant releases (#18): exactly the hosts its own code needs, and no other vendor's.
test.describe('hosts a grant releases', () => {
  test('a Hotjar grant releases the host its tag loads from, not the Contentsquare tag’s own hosts', async ({
    page,
    context,
    site,
    net,
  }) => {
    const s = setup('hotjar', site, net);
    await grantAndRun(page, context, net, s, 'hotjar');
    // The page's own code: Hotjar's current tag, then a Contentsquare tag the site never configured.
    await page.evaluate(() => {
      for (const src of [
        'https://static.hj.contentsquare.net/c/csq-123456.js',
        'https://t.contentsquare.net/uxa/f6f72d509axzd.js',
      ]) {
        const script = document.createElement('script');
        script.src = src;
        document.head.appendChild(script);
      }
      void fetch('https://c.contentsquare.net/pageview?pid=1').catch(() => undefined);
      new Image().src = 'https://c.contentsquare.net/pageview?pid=2';
    });
    await poll(() => net.to('static.hj.contentsquare.net').length).toBe(1);
    await settle(page, 300);
    expect(net.to('contentsquare.net').map((r) => r.host)).toEqual(['static.hj.contentsquare.net']);
    const ledger = await page.evaluate(() => window.allparty.ledger());
    expect(
      ledger.filter((e) => e.kind === 'held' && e.vendor === 'contentsquare').map((e) => e.host),
    ).toEqual(expect.arrayContaining(['t.contentsquare.net', 'c.contentsquare.net']));
    expect(ledger.filter((e) => e.kind === 'violation')).toEqual([]);
  });

  test('Vimeo’s player library: its oEmbed call is held before consent and released with Vimeo', async ({
    page,
    site,
    net,
  }) => {
    // What @vimeo/player (2.30.4, getOEmbedData) does before it makes a player from a video id.
    const OEMBED = `https://vimeo.com/api/oembed.json?url=${encodeURIComponent('https://vimeo.com/76979871')}`;
    net.serve({
      match: /^https:\/\/vimeo\.com\/api\/oembed\.json\?/,
      contentType: 'application/json',
      body: JSON.stringify({ html: '<iframe src="https://player.vimeo.com/video/76979871?h=1"></iframe>' }),
    });
    const s = setup('vimeo', site, net);
    const oembed = () =>
      page.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const xhr = new XMLHttpRequest();
            xhr.open('GET', url, true);
            xhr.onload = () => resolve(`${xhr.status} ${xhr.responseText}`);
            xhr.onerror = () => resolve('error');
            xhr.send();
          }),
        OEMBED,
      );
    await page.goto(s.url);
    expect(await oembed()).toBe('error');
    expect(net.to('vimeo.com')).toEqual([]);
    await page.click('#accept');
    await expect(page.locator('#embed')).toHaveAttribute('src', s.c.embed!.released);
    expect(await oembed()).toMatch(/^200 \{"html":/);
    expect(net.to('vimeo.com').map((r) => r.url)).toContain(OEMBED);
    const ledger = await page.evaluate(() => window.allparty.ledger());
    expect(ledger).toContainEqual(
      expect.objectContaining({ kind: 'request', vendor: 'vimeo', host: 'vimeo.com', via: 'xhr' }),
    );
  });
});
