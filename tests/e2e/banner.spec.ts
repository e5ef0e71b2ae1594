import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { type Net, type Site, settle, test } from './fixtures';
import { browserScript } from './fixtures/browser-script';

// The banner, preference center, chat-start gate, privacy-choices control and recording
// indicator, through the built minified embed and its lazy banner chunk.

const SHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

/** Manifests as `@allparty/vendors` writes them; served as stand-in adapter and notice chunks. */
const MANIFESTS = {
  hotjar: {
    id: 'hotjar',
    name: 'Hotjar',
    legalName: 'Hotjar Ltd',
    purposes: ['replay'],
    captures: {
      contents: [
        'a recording of your visit: your clicks, mouse movements, scrolling and taps',
        'what you type into forms',
      ],
      addressing: ['your IP address'],
    },
    ownUse: false,
    cookies: [
      { name: '_hjSessionUser_{id}', lifetime: '1 year' },
      { name: '_hjSession_{id}', lifetime: '30 minutes' },
    ],
    script: 'https://static.hotjar.com/c/hotjar-123.js',
  },
  intercom: {
    id: 'intercom',
    name: 'Intercom',
    legalName: 'Intercom R&D Unlimited Company',
    purposes: ['chat'],
    captures: { contents: ['the text of your chat messages'], addressing: ['your IP address'] },
    ownUse: 'to improve its AI answer bot',
    cookies: [{ name: 'intercom-session-{id}', lifetime: '7 days' }],
    script: 'https://widget.intercom.io/widget/abc',
  },
  'google-analytics-4': {
    id: 'google-analytics-4',
    name: 'Google Analytics',
    legalName: 'Google LLC',
    purposes: ['analytics'],
    captures: { contents: [], addressing: ['your IP address', 'which pages you visit and when'] },
    ownUse: false,
    cookies: [{ name: '_ga', lifetime: '2 years' }],
    script: 'https://www.googletagmanager.com/gtag/js?id=G-ABC123',
  },
  'meta-pixel': {
    id: 'meta-pixel',
    name: 'Meta Pixel',
    legalName: 'Meta Platforms, Inc.',
    purposes: ['advertising'],
    captures: { contents: [], addressing: ['your IP address', 'which ad you clicked to get here'] },
    ownUse: 'to target ads to you on Facebook and Instagram',
    cookies: [{ name: '_fbp', lifetime: '3 months' }],
    script: 'https://connect.facebook.net/en_US/fbevents.js',
  },
};
type VendorId = keyof typeof MANIFESTS;

const CONFIG = {
  vendors: {
    hotjar: { siteId: '123' },
    intercom: { siteId: 'abc12345' },
    'google-analytics-4': { siteId: 'G-ABC123' },
    'meta-pixel': { siteId: '123456789012345' },
  },
  policy: { url: '/privacy', version: '2026-01' },
  contact: { url: 'mailto:help@shop.example', label: 'Email our team' },
};

/** A stand-in adapter chunk: the manifest, and a load that injects the vendor's script. */
function adapterChunk(id: VendorId): string {
  const m = MANIFESTS[id];
  return browserScript(new URL('./fixtures/stand-ins/adapter-chunk.ts', import.meta.url), {
    ADAPTER: { id, manifest: { ...m, hosts: [] }, script: m.script },
  });
}

const SHOP = `
<style>
  body { margin: 0; font: 16px/1.5 Georgia, serif; color: #222; background: #faf7f2; }
  header { display: flex; justify-content: space-between; padding: 16px 24px; background: #2d3a2e; color: #fff; }
  main { max-width: 960px; margin: 0 auto; padding: 24px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 16px; }
  .card { background: #fff; border-radius: 8px; padding: 16px; box-shadow: 0 1px 3px rgba(0,0,0,.1); }
  .card div { height: 120px; border-radius: 6px; background: linear-gradient(135deg, #c9b79c, #8a9a5b); margin-bottom: 8px; }
  footer { padding: 24px; text-align: center; }
  /* Hostile site CSS: must not reach the banner. */
  button { all: unset; color: red !important; }
  div { font-family: "Comic Sans MS" !important; }
</style>
<header><strong>Fernwood Supply</strong><nav>Shop · Journal · Help</nav></header>
<main>
  <h1>Handmade goods for slow mornings</h1>
  <p>Stoneware, linen and small-batch coffee from makers we visit ourselves.</p>
  <div class="grid">
    <div class="card"><div></div>Stoneware mug — $32</div>
    <div class="card"><div></div>Linen apron — $58</div>
    <div class="card"><div></div>Pour-over set — $74</div>
    <div class="card"><div></div>Single-origin beans — $19</div>
  </div>
</main>
<footer><a href="#privacy-choices" id="footer-choices">Your privacy choices</a> · <a href="/privacy">Privacy policy</a></footer>`;

/** A stand-in notice chunk (`notices/<id>.js`): what the banner says about the vendor. */
function noticeChunk(id: VendorId): string {
  const { script: _, ...notice } = MANIFESTS[id];
  return browserScript(new URL('./fixtures/stand-ins/notice-chunk.ts', import.meta.url), { NOTICE: notice });
}

function shop(site: Site, options: { config?: object; lang?: string; body?: string } = {}) {
  for (const id of Object.keys(MANIFESTS) as VendorId[]) {
    site.asset(`/dist/vendors/${id}.js`, { body: adapterChunk(id) });
    site.asset(`/dist/notices/${id}.js`, { body: noticeChunk(id) });
  }
  return site.allparty({
    config: options.config ?? CONFIG,
    body: SHOP + (options.body ?? ''),
    lang: options.lang ?? 'en',
  });
}

const banner = (page: Page, layer?: string) =>
  page.locator(layer ? `[data-allparty-banner="${layer}"]` : '[data-allparty-banner]');
const action = (page: Page, name: string) => page.locator(`[data-allparty-action="${name}"]`);

/** Records made on this page, collected from `window.allparty.on('record')`. */
async function watchRecords(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as {
      records: unknown[];
      allparty: { on(e: string, fn: (r: unknown) => void): void };
    };
    w.records = [];
    w.allparty.on('record', (r) => w.records.push(r));
  });
  return () =>
    page.evaluate(
      () =>
        (
          window as unknown as {
            records: Array<{
              event: string;
              method: { control?: string };
              purposes: Record<string, boolean>;
              vendors: Record<string, boolean>;
              notice: { hash: string; language: string };
            }>;
          }
        ).records,
    );
}

async function axe(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
  ).toEqual([]);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}${name}.png` });
}

const vendorRequests = (net: Net, id: VendorId) => net.to(new URL(MANIFESTS[id].script).hostname);

test.describe('first layer', () => {
  test('shows on a first visit with equal Accept/Reject, names every vendor, no vendor request, no axe violation', async ({
    page,
    site,
    net,
  }) => {
    await page.goto(shop(site));
    const first = banner(page, 'first');
    await expect(first).toBeVisible();
    await expect(first).toHaveAttribute('role', 'dialog');
    await expect(first).toContainText('Session recording: Hotjar');
    await expect(first).toContainText('Chat: Intercom');
    await expect(first).toContainText('Analytics: Google Analytics');
    await expect(first).toContainText('Advertising: Meta Pixel');
    await expect(first.locator('input')).toHaveCount(0);

    // R4: same box, same weight, same colours.
    const accept = action(page, 'accept-all');
    const reject = action(page, 'reject-all');
    const [a, r] = [await accept.boundingBox(), await reject.boundingBox()];
    expect(a && r).toBeTruthy();
    expect(Math.abs(a!.width - r!.width)).toBeLessThan(0.5);
    expect(Math.abs(a!.height - r!.height)).toBeLessThan(0.5);
    const style = (l: Locator) =>
      l.evaluate((el) => {
        const s = getComputedStyle(el);
        return [s.fontWeight, s.fontSize, s.backgroundColor, s.color, s.borderColor, s.borderRadius].join(
          '|',
        );
      });
    expect(await style(accept)).toBe(await style(reject));
    // Hostile site CSS does not reach inside the shadow root.
    expect(await accept.evaluate((el) => getComputedStyle(el).color)).not.toBe('rgb(255, 0, 0)');

    await axe(page);
    await shot(page, 'first-layer-light');
    await settle(page);
    expect(net.requests).toEqual([]);
  });

  test('renders as soon as its scripts arrive, and shifts no layout (CLS 0)', async ({ page, site }) => {
    await page.addInitScript(() => {
      const w = window as unknown as { cls: number; dcl: number; shown: number };
      w.cls = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.cls += (e as unknown as { value: number }).value;
      }).observe({ type: 'layout-shift', buffered: true });
      document.addEventListener('DOMContentLoaded', () => {
        w.dcl = performance.now();
        // The banner renders synchronously when its host is appended: note when that happens.
        new MutationObserver(() => {
          if (!w.shown && document.getElementById('allparty-ui')) w.shown = performance.now();
        }).observe(document.body, { childList: true });
        // The first task after DOMContentLoaded: the banner must already be there.
        setTimeout(() => {
          (w as unknown as { mountedInDcl: boolean }).mountedInDcl = !!document.getElementById('allparty-ui');
        });
      });
    });
    await page.goto(shop(site));
    await expect(banner(page, 'first')).toBeVisible();
    const t = await page.evaluate(() => {
      const w = window as unknown as { dcl: number; shown: number };
      const scripts = performance
        .getEntriesByType('resource')
        .filter((e) => /allparty-banner|\/(vendors|notices)\//.test(e.name)) as PerformanceResourceTiming[];
      const elements = [...document.querySelectorAll('script[src]')].map((e) => (e as HTMLScriptElement).src);
      return {
        dcl: w.dcl,
        shown: w.shown,
        scripts: scripts.map((e) => e.responseEnd),
        elements: elements.filter((src) => /allparty-banner|\/(vendors|notices)\//.test(src)),
        mountedInDcl: (window as unknown as { mountedInDcl: boolean }).mountedInDcl,
      };
    });
    test.info().annotations.push({
      type: 'timing',
      description: `DOMContentLoaded→banner ${Math.round(t.shown - t.dcl)} ms (timings are benchmarks' business; this test checks order)`,
    });
    // On a first visit the UI code is part of the parse: every UI script has arrived before
    // DOMContentLoaded, so nothing stands between DOMContentLoaded and the first render.
    expect(t.scripts.length).toBeGreaterThan(0);
    for (const end of t.scripts) expect(end).toBeLessThanOrEqual(t.dcl);
    expect(t.shown).toBeGreaterThanOrEqual(t.dcl);
    // It mounts from those scripts during DOMContentLoaded itself (so it is in the first frame
    // after it), and none of them is fetched or run a second time.
    expect(t.mountedInDcl).toBe(true);
    expect(t.elements.length).toBeGreaterThan(0);
    expect(new Set(t.elements).size).toBe(t.elements.length);
    await action(page, 'reject-all').click();
    await expect(banner(page)).toHaveCount(0);
    await settle(page);
    expect(await page.evaluate(() => (window as unknown as { cls: number }).cls)).toBe(0);
  });

  test('Accept all: one click, a record with the hash of the rendered text, vendors load', async ({
    page,
    site,
    net,
  }) => {
    await page.goto(shop(site));
    await expect(banner(page, 'first')).toBeVisible();
    const records = await watchRecords(page);
    const text = await banner(page, 'first').evaluate((el) => el.textContent ?? '');
    await action(page, 'accept-all').click();
    await expect(banner(page)).toHaveCount(0);
    const [record] = await records();
    expect(record?.event).toBe('given');
    expect(record?.method.control).toBe('accept-all');
    expect(record?.notice.language).toBe('en');
    const stored = await page.evaluate(
      (hash) =>
        (
          window as unknown as { allparty: { consent: { noticeText(h: string): string } } }
        ).allparty.consent.noticeText(hash),
      record!.notice.hash,
    );
    expect(stored).toContain('Your privacy choices');
    expect(stored).toContain('Session recording: Hotjar');
    expect(stored?.replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    await expect.poll(() => vendorRequests(net, 'hotjar').length).toBeGreaterThan(0);
    await expect(page.locator('[data-allparty-recording]')).toBeVisible();
  });

  test('Reject all: one click, nothing loads, the chat stand-in and the privacy control remain', async ({
    page,
    site,
    net,
  }) => {
    await page.goto(shop(site));
    const records = await watchRecords(page);
    await action(page, 'reject-all').click();
    await expect(banner(page)).toHaveCount(0);
    expect((await records())[0]?.event).toBe('refused');
    await expect(action(page, 'open-preferences')).toBeVisible();
    await expect(page.locator('[data-allparty-chat="intercom"]')).toBeVisible();
    await settle(page);
    expect(net.requests).toEqual([]);
    await shot(page, 'privacy-control-light');
  });

  test('keyboard only: focus moves into the banner; Tab reaches Reject all; Enter decides', async ({
    page,
    site,
  }) => {
    await page.goto(shop(site));
    await expect(banner(page, 'first')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(action(page, 'vendor-list')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(action(page, 'reject-all')).toBeFocused();
    // Visible focus.
    expect(await action(page, 'reject-all').evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe(
      'none',
    );
    await page.keyboard.press('Enter');
    await expect(banner(page)).toHaveCount(0);
    expect(
      await page.evaluate(
        () =>
          (window as unknown as { allparty: { get(): { needsDecision: boolean } } }).allparty.get()
            .needsDecision,
      ),
    ).toBe(false);
  });

  test('dark theme follows the system and passes axe', async ({ page, site }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(shop(site));
    await expect(banner(page, 'first')).toBeVisible();
    const bg = await banner(page, 'first').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).toBe('rgb(23, 25, 30)');
    await axe(page);
    await shot(page, 'first-layer-dark');
  });

  test('320px wide: nothing cut off, Accept and Reject still equal, axe clean', async ({ page, site }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(shop(site));
    const first = banner(page, 'first');
    await expect(first).toBeVisible();
    const fits = await first.evaluate(
      (el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= 320,
    );
    expect(fits).toBe(true);
    const [a, r] = [
      await action(page, 'accept-all').boundingBox(),
      await action(page, 'reject-all').boundingBox(),
    ];
    expect(Math.abs(a!.width - r!.width)).toBeLessThan(0.5);
    expect(Math.abs(a!.height - r!.height)).toBeLessThan(0.5);
    await axe(page);
    await shot(page, 'first-layer-mobile');
  });

  test('Spanish from <html lang>: every visible string translated; the record names the language', async ({
    page,
    site,
  }) => {
    await page.goto(shop(site, { lang: 'es-US' }));
    const first = banner(page, 'first');
    await expect(first).toBeVisible();
    await expect(first).toContainText('Tus opciones de privacidad');
    await expect(action(page, 'accept-all')).toHaveText('Aceptar todo');
    await expect(action(page, 'reject-all')).toHaveText('Rechazar todo');
    await expect(action(page, 'preferences')).toHaveText('Elegir');
    await expect(first).toContainText('Grabación de la sesión: Hotjar');
    const records = await watchRecords(page);
    await action(page, 'preferences').click();
    await expect(banner(page, 'preferences')).toContainText('Preferencias de privacidad');
    await expect(action(page, 'save')).toHaveText('Guardar opciones');
    await axe(page);
    await action(page, 'reject-all').click();
    expect((await records())[0]?.notice.language).toBe('es');
  });
});

test.describe('vendor settings', () => {
  test('a vendor with invalid settings is not offered or granted, its hosts stay held, its tagged script inert, and the console says why', async ({
    page,
    site,
    net,
    logs,
  }) => {
    const config = {
      ...CONFIG,
      vendors: { ...CONFIG.vendors, 'google-analytics-4': { siteId: 'UA-123' }, hotjar: { siteId: 1234567 } },
    };
    const tagged =
      '<script type="text/plain" data-allparty="analytics" data-vendor="google-analytics-4">window.gaTagRan = true;</script>';
    await page.goto(shop(site, { config, body: tagged }));
    await expect(banner(page, 'first')).toBeVisible();
    const text = (await banner(page, 'first').textContent()) ?? '';
    expect(text).not.toContain('Google Analytics');
    expect(text).not.toContain('Hotjar');
    expect(text).toContain('Intercom');
    const records = await watchRecords(page);
    await action(page, 'accept-all').click();
    await expect(banner(page)).toHaveCount(0);
    const [record] = await records();
    expect(Object.keys(record?.vendors ?? {}).sort()).toEqual(['intercom', 'meta-pixel']);
    const state = await page.evaluate(() => {
      const w = window as unknown as {
        allparty: { get(): { vendors: Record<string, boolean> }; has(p: string, v?: string): boolean };
        gaTagRan?: boolean;
      };
      return {
        vendors: w.allparty.get().vendors,
        granted: w.allparty.has('analytics', 'google-analytics-4'),
        ran: w.gaTagRan === true,
      };
    });
    expect(state).toEqual({ vendors: { intercom: true, 'meta-pixel': true }, granted: false, ran: false });
    // The site's own code calling the vendor after Accept all: held by the guard.
    const sent = await page.evaluate(() =>
      fetch('https://www.google-analytics.com/g/collect?v=2', {
        method: 'POST',
        body: 'x',
        mode: 'no-cors',
      }).then(
        () => 'sent',
        () => 'held',
      ),
    );
    expect(sent).toBe('held');
    await expect.poll(() => vendorRequests(net, 'meta-pixel').length).toBeGreaterThan(0);
    expect(net.to('google-analytics.com')).toEqual([]);
    expect(net.to('hotjar.com')).toEqual([]);
    expect(logs.join('\n')).toContain(
      'allparty: the "google-analytics-4" settings are invalid, so it is not offered and will not load (siteId "UA-123")',
    );
    expect(logs.join('\n')).toContain(
      'allparty: the "hotjar" settings are invalid, so it is not offered and will not load (siteId 1234567)',
    );
  });
});

test.describe('preferences', () => {
  test('each purpose and vendor with generated text; per-vendor switches; Save records exactly them', async ({
    page,
    site,
    net,
  }) => {
    await page.goto(shop(site));
    await action(page, 'preferences').click();
    const prefs = banner(page, 'preferences');
    await expect(prefs).toBeVisible();
    await expect(prefs).toHaveAttribute('aria-modal', 'true');
    await expect(prefs).toBeFocused();
    const hotjar = prefs.locator('[data-allparty-vendor-info="hotjar"]');
    await expect(hotjar).toContainText('Hotjar (Hotjar Ltd)');
    await expect(hotjar).toContainText('what you type into forms');
    await expect(hotjar).toContainText('Uses the data only to provide its service to us.');
    await expect(hotjar).toContainText('the longest is kept 1 year');
    await expect(prefs.locator('[data-allparty-vendor-info="intercom"]')).toContainText(
      'Its own use of the data: to improve its AI answer bot.',
    );
    await expect(prefs.locator('[data-allparty-vendor-info="google-analytics-4"]')).toContainText(
      'the longest is kept 2 years',
    );
    for (const s of await prefs.locator('input[role="switch"]').all()) await expect(s).not.toBeChecked();
    await axe(page);
    await shot(page, 'preferences-light');

    const records = await watchRecords(page);
    await prefs.locator('[data-allparty-vendor="hotjar"]').check();
    await expect(prefs.locator('[data-allparty-purpose="replay"]')).toBeChecked();
    await action(page, 'save').click();
    await expect(banner(page)).toHaveCount(0);
    const [record] = await records();
    expect(record?.method.control).toBe('save');
    expect(record?.vendors).toMatchObject({
      hotjar: true,
      intercom: false,
      'google-analytics-4': false,
      'meta-pixel': false,
    });
    await expect.poll(() => vendorRequests(net, 'hotjar').length).toBeGreaterThan(0);
    await settle(page);
    expect(vendorRequests(net, 'google-analytics-4')).toEqual([]);
    expect(vendorRequests(net, 'meta-pixel')).toEqual([]);
  });

  test('the built notices of Hotjar and Intercom: the vendor’s own policy linked, no research notes (#19)', async ({
    page,
    site,
  }) => {
    // The real notices/<id>.js chunks of the build, not this file's stand-ins.
    await page.goto(
      site.allparty({
        config: { vendors: { hotjar: { siteId: '123' }, intercom: { siteId: 'abc12345' } } },
        body: SHOP,
      }),
    );
    await action(page, 'preferences').click();
    const prefs = banner(page, 'preferences');
    await expect(prefs).toBeVisible();
    for (const [id, policy] of [
      ['hotjar', 'https://www.hotjar.com/legal/policies/privacy/'],
      ['intercom', 'https://www.intercom.com/legal/privacy'],
    ] as const) {
      const info = prefs.locator(`[data-allparty-vendor-info="${id}"]`);
      await expect(info).toContainText('Its own use of the data: as its privacy policy says.');
      await expect(info).not.toContainText(/confirm|research/i);
      const link = info.locator('a');
      await expect(link).toHaveAttribute('href', policy);
      await expect(link).toHaveAttribute('target', '_blank');
    }
    await axe(page);
  });

  test('keyboard only: focus is trapped, Space toggles, Escape goes back without deciding, focus returns', async ({
    page,
    site,
  }) => {
    await page.goto(shop(site));
    await action(page, 'reject-all').click();
    await page.locator('#footer-choices').focus();
    await page.keyboard.press('Enter');
    const prefs = banner(page, 'preferences');
    await expect(prefs).toBeFocused();
    const count = await prefs.locator('button, input, a[href]').count();
    for (let i = 0; i < count + 3; i++) {
      await page.keyboard.press('Tab');
      expect(await prefs.evaluate((el) => el.contains((el.getRootNode() as ShadowRoot).activeElement))).toBe(
        true,
      );
    }
    await prefs.locator('[data-allparty-purpose="analytics"]').focus();
    await page.keyboard.press('Space');
    await expect(prefs.locator('[data-allparty-purpose="analytics"]')).toBeChecked();
    await page.keyboard.press('Escape');
    await expect(banner(page)).toHaveCount(0);
    await expect(page.locator('#footer-choices')).toBeFocused();
    expect(
      await page.evaluate(() =>
        (window as unknown as { allparty: { has(p: string): boolean } }).allparty.has('analytics'),
      ),
    ).toBe(false);
  });

  test('dark and mobile screenshots; 200% zoom keeps Save reachable', async ({ page, site }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(shop(site));
    await action(page, 'preferences').click();
    await expect(banner(page, 'preferences')).toBeVisible();
    await axe(page);
    await shot(page, 'preferences-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 320, height: 640 });
    await shot(page, 'preferences-mobile');
    // 200% zoom of a 1280×720 window is a 640×360 CSS viewport.
    await page.setViewportSize({ width: 640, height: 360 });
    await expect(action(page, 'save')).toBeInViewport();
    await action(page, 'save').click();
    await expect(banner(page)).toHaveCount(0);
  });

  test('prefers-reduced-motion turns transitions off', async ({ page, site }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(shop(site));
    await action(page, 'preferences').click();
    const duration = await banner(page, 'preferences')
      .locator('input[role="switch"]')
      .first()
      .evaluate((el) => getComputedStyle(el).transitionDuration);
    expect(duration).toBe('0s');
  });
});

test.describe('after a material change', () => {
  // The visitor accepted everything; the site then added an advertising vendor (issue #2: a new
  // vendor or purpose "asks again for what changed — and only that").
  const { 'meta-pixel': _, ...before } = CONFIG.vendors;

  async function returning(page: Page, site: Site) {
    await page.goto(shop(site, { config: { ...CONFIG, vendors: before } }));
    await action(page, 'accept-all').click();
    await expect(banner(page)).toHaveCount(0);
    await page.goto(shop(site));
    const first = banner(page, 'first');
    await expect(first).toBeVisible();
    // A marker that a reload would lose.
    await page.evaluate(() => {
      (window as unknown as { samePageView: boolean }).samePageView = true;
    });
    return first;
  }
  const samePageView = (page: Page) =>
    page.evaluate(() => (window as unknown as { samePageView?: boolean }).samePageView === true);
  const grants = (page: Page) =>
    page.evaluate(
      () => (window as unknown as { allparty: { get(): { vendors: object } } }).allparty.get().vendors,
    );

  test('the re-ask names only the new vendor; Reject all refuses only it, keeps the earlier grants, and reloads nothing', async ({
    page,
    site,
    net,
  }) => {
    const first = await returning(page, site);
    await expect(first).toContainText('We need to ask you again');
    await expect(first).toContainText('Advertising: Meta Pixel');
    for (const name of ['Hotjar', 'Intercom', 'Google Analytics'])
      await expect(first).not.toContainText(name);
    await axe(page);
    await shot(page, 'material-change-light');
    const records = await watchRecords(page);
    await action(page, 'reject-all').click();
    await expect(banner(page)).toHaveCount(0);
    const [record] = await records();
    expect(record?.event).toBe('refused');
    expect(record?.method.control).toBe('reject-all');
    expect(record?.purposes).toEqual({ advertising: false });
    expect(record?.vendors).toEqual({ 'meta-pixel': false });
    await settle(page);
    expect(await samePageView(page)).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { stopped?: string[] }).stopped)).toBeUndefined();
    expect(await grants(page)).toEqual({
      hotjar: true,
      intercom: true,
      'google-analytics-4': true,
      'meta-pixel': false,
    });
    await expect(page.locator('[data-allparty-recording]')).toBeVisible();
    expect(vendorRequests(net, 'meta-pixel')).toEqual([]);
  });

  test('Accept all in the re-ask grants only the new vendor, which loads; nothing else is recorded or stopped', async ({
    page,
    site,
    net,
  }) => {
    await returning(page, site);
    const records = await watchRecords(page);
    await action(page, 'accept-all').click();
    await expect(banner(page)).toHaveCount(0);
    const [record] = await records();
    expect(record?.event).toBe('given');
    expect(record?.purposes).toEqual({ advertising: true });
    expect(record?.vendors).toEqual({ 'meta-pixel': true });
    await expect.poll(() => vendorRequests(net, 'meta-pixel').length).toBeGreaterThan(0);
    expect(await samePageView(page)).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { stopped?: string[] }).stopped)).toBeUndefined();
    expect(Object.values(await grants(page)).every(Boolean)).toBe(true);
  });
});

test.describe('focus returns to the launcher control that opened a dialog', () => {
  // The privacy-choices control and the "Chat with us" stand-in live in the launcher's shadow
  // roots; a dialog opened from either gives focus back to that same control on every close.
  const privacy = (page: Page) =>
    page.locator('#allparty-launcher [data-allparty-action="open-preferences"]');
  const standIn = (page: Page) => page.locator('#allparty-chat [data-allparty-chat="intercom"]');

  const closes: Array<[string, (page: Page) => Promise<void>]> = [
    ['Escape', (page) => page.keyboard.press('Escape')],
    ['the × button', (page) => banner(page).locator('[data-allparty-action="close"]').click()],
    [
      'Save (turning session recording on, so the launcher adds the recording indicator)',
      async (page) => {
        await banner(page, 'preferences').locator('[data-allparty-purpose="replay"]').check();
        await action(page, 'save').click();
      },
    ],
  ];
  for (const [how, close] of closes)
    test(`privacy-choices control, closed with ${how}`, async ({ page, site }) => {
      await page.goto(shop(site));
      await action(page, 'reject-all').click();
      await expect(banner(page)).toHaveCount(0);
      await privacy(page).focus();
      await page.keyboard.press('Enter');
      await expect(banner(page, 'preferences')).toBeFocused();
      await close(page);
      await expect(banner(page)).toHaveCount(0);
      await expect(privacy(page)).toBeFocused();
    });

  const gateCloses: Array<[string, (page: Page) => Promise<void>]> = [
    ['Escape', (page) => page.keyboard.press('Escape')],
    ['the × button', (page) => banner(page).locator('[data-allparty-action="close"]').click()],
    [
      '"No thanks" then Close',
      async (page) => {
        await action(page, 'chat-decline').click();
        await action(page, 'chat-close').click();
      },
    ],
  ];
  for (const [how, close] of gateCloses)
    test(`"Chat with us" stand-in, gate closed with ${how}`, async ({ page, site }) => {
      await page.goto(shop(site));
      await action(page, 'reject-all').click();
      await expect(banner(page)).toHaveCount(0);
      await standIn(page).focus();
      await page.keyboard.press('Enter');
      await expect(banner(page, 'chat')).toBeFocused();
      await close(page);
      await expect(banner(page)).toHaveCount(0);
      await expect(standIn(page)).toBeFocused();
    });
});

test.describe('chat-start gate', () => {
  test('no chat vendor code until "Agree and start chat"; then a chat-start record and the vendor loads', async ({
    page,
    site,
    net,
  }) => {
    await page.goto(shop(site));
    await action(page, 'reject-all').click();
    const standIn = page.locator('[data-allparty-chat="intercom"]');
    await expect(standIn).toHaveText('Chat with us');
    await standIn.click();
    const gate = banner(page, 'chat');
    await expect(gate).toBeVisible();
    await expect(gate).toContainText('Start a chat with Intercom?');
    await expect(gate).toContainText(
      'Your messages are sent to, recorded and stored by Intercom R&D Unlimited Company.',
    );
    await expect(gate).toContainText('to improve its AI answer bot');
    await axe(page);
    await shot(page, 'chat-gate-light');
    await settle(page);
    expect(vendorRequests(net, 'intercom')).toEqual([]);

    const records = await watchRecords(page);
    await action(page, 'chat-accept').click();
    await expect(gate).toHaveCount(0);
    const [record] = await records();
    expect(record?.event).toBe('chat-start');
    expect(record?.method.control).toBe('chat-accept');
    expect(record?.vendors).toMatchObject({ intercom: true });
    await expect.poll(() => vendorRequests(net, 'intercom').length).toBeGreaterThan(0);
    await expect(standIn).toHaveCount(0);
    expect(vendorRequests(net, 'hotjar')).toEqual([]);
  });

  test('"No thanks" loads nothing and offers the non-recorded contact; keyboard only', async ({
    page,
    site,
    net,
  }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(shop(site));
    await action(page, 'reject-all').click();
    await page.locator('[data-allparty-chat="intercom"]').focus();
    await page.keyboard.press('Enter');
    await expect(banner(page, 'chat')).toBeFocused();
    await shot(page, 'chat-gate-dark');
    await action(page, 'chat-decline').focus();
    await page.keyboard.press('Enter');
    const contact = banner(page, 'chat').locator('a[href="mailto:help@shop.example"]');
    await expect(contact).toHaveText('Email our team');
    await expect(contact).toBeFocused();
    await axe(page);
    await page.keyboard.press('Escape');
    await expect(banner(page)).toHaveCount(0);
    await settle(page);
    expect(vendorRequests(net, 'intercom')).toEqual([]);
  });

  test('mobile screenshot of the gate', async ({ page, site }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(shop(site));
    await action(page, 'reject-all').click();
    await page.locator('[data-allparty-chat="intercom"]').click();
    await expect(banner(page, 'chat')).toBeVisible();
    await axe(page);
    await shot(page, 'chat-gate-mobile');
  });
});

test.describe('withdrawal and signals', () => {
  test('recording indicator: one click stops replay (a withdrawal) and the vendor is stopped', async ({
    page,
    site,
    net,
  }) => {
    await page.goto(shop(site));
    await action(page, 'accept-all').click();
    const indicator = page.locator('[data-allparty-recording]');
    await expect(indicator).toContainText('This visit is recorded by Hotjar');
    await axe(page);
    await shot(page, 'recording-indicator-light');
    const records = await watchRecords(page);
    await action(page, 'stop-recording').click();
    await expect(indicator).toHaveCount(0);
    const [record] = await records();
    expect(record?.event).toBe('withdrawn');
    expect(record?.method.control).toBe('stop-recording');
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { stopped?: string[] }).stopped))
      .toEqual(['hotjar']);
    const before = vendorRequests(net, 'hotjar').length;
    await settle(page);
    expect(vendorRequests(net, 'hotjar').length).toBe(before);
  });

  test('R28: withdrawing takes no more clicks than consenting: one each, from the always-present control', async ({
    page,
    site,
  }) => {
    let clicks = 0;
    const click = async (control: Locator) => {
      clicks++;
      await control.click();
    };
    await page.goto(shop(site));
    // Consenting: the first layer opens by itself; Accept all.
    await expect(banner(page, 'first')).toBeVisible();
    await click(action(page, 'accept-all'));
    await expect(banner(page)).toHaveCount(0);
    const consenting = clicks;
    clicks = 0;
    // Withdrawing: "Withdraw consent" beside the privacy-choices control.
    const records = await watchRecords(page);
    const withdraw = page.locator('#allparty-launcher [data-allparty-action="withdraw"]');
    await expect(withdraw).toHaveText('Withdraw consent');
    await click(withdraw);
    expect(consenting).toBe(1);
    expect(clicks).toBe(consenting);
    const [record] = await records();
    expect(record?.event).toBe('withdrawn');
    expect(record?.method).toEqual({ type: 'control', control: 'withdraw' });
    expect(record?.purposes).toEqual({ replay: false, chat: false, analytics: false, advertising: false });
    expect(record?.vendors).toEqual({
      hotjar: false,
      intercom: false,
      'google-analytics-4': false,
      'meta-pixel': false,
    });
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { stopped?: string[] }).stopped?.sort()))
      .toEqual(['google-analytics-4', 'hotjar', 'intercom', 'meta-pixel']);
    await expect(page.locator('[data-allparty-recording]')).toHaveCount(0);
    // Nothing left to withdraw: the button goes, focus stays beside it on the privacy-choices control.
    await expect(withdraw).toBeHidden();
    await expect(action(page, 'open-preferences')).toBeFocused();
  });

  test("the preferences' Reject all after a grant records the same withdrawal as the one-click control", async ({
    page,
    site,
  }) => {
    await page.goto(shop(site));
    await action(page, 'accept-all').click();
    await expect(banner(page)).toHaveCount(0);
    const records = await watchRecords(page);
    await action(page, 'open-preferences').click();
    await expect(banner(page, 'preferences')).toBeVisible();
    await action(page, 'reject-all').click();
    await expect(banner(page)).toHaveCount(0);
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { stopped?: string[] }).stopped?.sort()))
      .toEqual(['google-analytics-4', 'hotjar', 'intercom', 'meta-pixel']);
    await action(page, 'open-preferences').click();
    await action(page, 'accept-all').click();
    await expect(banner(page)).toHaveCount(0);
    await page.locator('#allparty-launcher [data-allparty-action="withdraw"]').click();
    const [preferences, , control] = await records();
    expect(preferences?.method.control).toBe('reject-all');
    expect(control?.method.control).toBe('withdraw');
    const shape = (r: typeof preferences) => ({
      keys: Object.keys(r ?? {}).sort(),
      event: r?.event,
      purposes: r?.purposes,
      vendors: r?.vendors,
    });
    expect(shape(control)).toEqual(shape(preferences));
    expect(shape(control).event).toBe('withdrawn');
  });

  test('R28: the withdraw control is keyboard operable, translated, axe-clean, and at 320 px clear of the chat stand-in', async ({
    page,
    site,
  }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(shop(site));
    // Analytics only: the chat stand-in stays, so both corners are in use.
    await action(page, 'preferences').click();
    await banner(page, 'preferences').locator('[data-allparty-purpose="analytics"]').check();
    await action(page, 'save').click();
    await expect(banner(page)).toHaveCount(0);
    const withdraw = page.locator('#allparty-launcher [data-allparty-action="withdraw"]');
    const standIn = page.locator('#allparty-chat [data-allparty-chat="intercom"]');
    await expect(withdraw).toBeVisible();
    await expect(standIn).toBeVisible();
    type Box = { x: number; y: number; width: number; height: number };
    const box = async (l: Locator): Promise<Box> => {
      const b = await l.boundingBox();
      if (!b) throw new Error('not rendered');
      return b;
    };
    const [w, c, chat] = [
      await box(withdraw),
      await box(action(page, 'open-preferences')),
      await box(standIn),
    ];
    for (const b of [w, c, chat]) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(320);
      expect(b.height).toBeGreaterThanOrEqual(44);
    }
    const overlap = (a: Box, b: Box) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    expect(overlap(w, chat)).toBe(false);
    expect(overlap(c, chat)).toBe(false);
    expect(overlap(w, c)).toBe(false);
    await axe(page);
    await shot(page, 'privacy-control-withdraw-mobile');

    // Spanish page: the same control, translated; reached by Tab from the privacy-choices control.
    await page.goto(shop(site, { lang: 'es' }));
    await expect(withdraw).toHaveText('Retirar el consentimiento');
    await action(page, 'open-preferences').focus();
    await page.keyboard.press('Tab');
    await expect(withdraw).toBeFocused();
    const records = await watchRecords(page);
    await page.keyboard.press('Enter');
    const [record] = await records();
    expect(record?.event).toBe('withdrawn');
    expect(record?.method.control).toBe('withdraw');
    expect(record?.notice.language).toBe('es');
    await expect(withdraw).toBeHidden();
  });

  test('GPC: advertising is off without asking, and the UI says "Opt-out request honored"', async ({
    page,
    site,
    net,
  }) => {
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {
        get: () => true,
        configurable: true,
      });
    });
    await page.goto(shop(site));
    const first = banner(page, 'first');
    await expect(first).toContainText('Opt-out request honored');
    await axe(page);
    await shot(page, 'gpc-light');
    await action(page, 'preferences').click();
    await expect(
      banner(page, 'preferences').locator('[data-allparty-purpose="advertising"]'),
    ).not.toBeChecked();
    await expect(banner(page, 'preferences')).toContainText('Opt-out request honored');
    await action(page, 'save').click();
    await settle(page);
    expect(vendorRequests(net, 'meta-pixel')).toEqual([]);
  });

  test('GPC: Accept all grants everything but advertising, its switches stay off and disabled, and the next page view changes nothing', async ({
    page,
    site,
    net,
  }) => {
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {
        get: () => true,
        configurable: true,
      });
    });
    const url = shop(site);
    await page.goto(url);
    await expect(banner(page, 'first')).toContainText('Opt-out request honored');
    const records = await watchRecords(page);
    await action(page, 'accept-all').click();
    await expect(banner(page)).toHaveCount(0);
    const [record] = await records();
    expect(record?.vendors).toEqual({
      hotjar: true,
      intercom: true,
      'google-analytics-4': true,
      'meta-pixel': false,
    });
    await expect.poll(() => vendorRequests(net, 'hotjar').length).toBeGreaterThan(0);
    const granted = await page.evaluate(() => {
      const w = window as unknown as { allparty: { set(c: object): boolean; has(p: string): boolean } };
      return { set: w.allparty.set({ purposes: { advertising: true } }), has: w.allparty.has('advertising') };
    });
    expect(granted).toEqual({ set: false, has: false });
    await page.locator('#footer-choices').click();
    const prefs = banner(page, 'preferences');
    for (const sw of [
      prefs.locator('[data-allparty-purpose="advertising"]'),
      prefs.locator('[data-allparty-action="toggle-vendor"][data-allparty-vendor="meta-pixel"]'),
    ]) {
      await expect(sw).not.toBeChecked();
      await expect(sw).toBeDisabled();
    }
    await expect(prefs).toContainText('Opt-out request honored');
    await page.reload();
    const later = await watchRecords(page);
    await settle(page);
    await expect(banner(page)).toHaveCount(0);
    expect(await later()).toEqual([]);
    expect(
      await page.evaluate(
        () => (window as unknown as { allparty: { get(): { vendors: object } } }).allparty.get().vendors,
      ),
    ).toEqual({ hotjar: true, intercom: true, 'google-analytics-4': true, 'meta-pixel': false });
    expect(vendorRequests(net, 'meta-pixel')).toEqual([]);
  });
});
