import { expect, type Page } from '@playwright/test';
import { type Net, type Site, settle, test } from './fixtures';

// Declarative gating through the built embed: tagged scripts and frames stay inert until
// their purpose (and vendor) is granted; released in document order, exactly once.

const CONFIG = {
  vendors: { hotjar: { snippet: true }, 'google-analytics-4': { snippet: true } },
  banner: false,
};

const BUTTONS = `
  <button id="accept" onclick="allparty.acceptAll()">Accept all</button>
  <button id="reject" onclick="allparty.rejectAll()">Reject all</button>
  <button id="analytics-only" onclick="allparty.set({ purposes: { analytics: true, replay: false } })">Analytics only</button>`;

function gatedPage(site: Site, net: Net, extra: { config?: object; head?: string } = {}) {
  // External tagged scripts answer from stand-in vendor hosts; the first is slow, so order
  // is only kept if the next waits for it, as the parser would.
  net.serve({ match: /hotjar-1\.js/, body: 'window.order.push("hotjar-external")' });
  net.serve({ match: /gtag\/js/, body: 'window.order.push("gtag-external")' });
  const slow = site.asset('/slow.js', { body: 'window.order.push("first-party-external")' });
  return site.allparty({
    config: extra.config ?? CONFIG,
    head: `<script>window.order = [];</script>${extra.head ?? ''}`,
    body: `${BUTTONS}
      <script type="text/plain" data-allparty="replay" data-vendor="hotjar">window.order.push("replay-inline-1")</script>
      <script type="text/plain" data-allparty="replay" src="${slow}"></script>
      <script type="text/plain" data-allparty="replay" data-vendor="hotjar" src="https://static.hotjar.com/c/hotjar-1.js?sv=6"></script>
      <script type="text/plain" data-allparty="replay" data-vendor="hotjar">window.order.push("replay-inline-2")</script>
      <script type="text/plain" data-allparty="analytics" data-vendor="google-analytics-4" src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script>
      <script type="text/plain" data-allparty="analytics">window.order.push("analytics-inline")</script>
      <iframe id="video" data-allparty="replay" data-vendor="hotjar" data-src="https://vars.hotjar.com/box.html"></iframe>
      <img id="pixel" data-allparty="analytics" data-src="/pixel.gif" alt="">`,
  });
}

const order = (page: Page) => page.evaluate(() => (window as unknown as { order: string[] }).order);

test('tagged scripts and frames do nothing before consent', async ({ page, site, net }) => {
  await page.goto(gatedPage(site, net));
  await settle(page, 500);
  expect(await order(page)).toEqual([]);
  expect(net.requests).toEqual([]);
  await expect(page.locator('#video')).not.toHaveAttribute('src', /./);
  expect(site.hits.filter((h) => h.path.endsWith('/slow.js'))).toEqual([]);
});

test('accept releases them in document order, external scripts run in turn, exactly once', async ({
  page,
  site,
  net,
}) => {
  await page.goto(gatedPage(site, net));
  await page.click('#accept');
  await expect.poll(() => order(page)).toHaveLength(6);
  expect(await order(page)).toEqual([
    'replay-inline-1',
    'first-party-external',
    'hotjar-external',
    'replay-inline-2',
    'gtag-external',
    'analytics-inline',
  ]);
  await expect(page.locator('#video')).toHaveAttribute('src', 'https://vars.hotjar.com/box.html');
  // Accepting again, or another release, runs nothing twice.
  await page.click('#accept');
  await page.evaluate(() => window.allparty.set({ purposes: { analytics: true } }));
  await settle(page, 300);
  expect(await order(page)).toHaveLength(6);
  expect(net.to('static.hotjar.com')).toHaveLength(1);
});

test('reject keeps every tagged element inert', async ({ page, site, net }) => {
  await page.goto(gatedPage(site, net));
  await page.click('#reject');
  await settle(page, 500);
  expect(await order(page)).toEqual([]);
  expect(net.requests).toEqual([]);
});

test('a partial choice releases only the granted purpose', async ({ page, site, net }) => {
  await page.goto(gatedPage(site, net));
  await page.click('#analytics-only');
  await expect.poll(() => order(page)).toEqual(['gtag-external', 'analytics-inline']);
  await settle(page, 300);
  expect(net.to('hotjar.com')).toEqual([]);
});

test('a returning visitor with stored consent gets them at once, without any UI', async ({
  page,
  site,
  net,
}) => {
  const url = gatedPage(site, net);
  await page.goto(url);
  await page.click('#accept');
  await expect.poll(() => order(page)).toHaveLength(6);
  await page.goto(url);
  // No click this time: stored consent applies before the tagged elements are parsed.
  await expect.poll(() => order(page)).toHaveLength(6);
  expect(await order(page)).toEqual([
    'replay-inline-1',
    'first-party-external',
    'hotjar-external',
    'replay-inline-2',
    'gtag-external',
    'analytics-inline',
  ]);
  expect(await page.evaluate(() => window.allparty.get().needsDecision)).toBe(false);
});

test('tagged elements that arrive later inside a subtree, by any route, are released once granted', async ({
  page,
  site,
  net,
}) => {
  // After the grant and after DOMContentLoaded: a card built detached, a <template>'s own
  // content moved in, and markup set with innerHTML — each holding a tagged script and frame.
  net.serve({
    match: /late-\w+\.js/,
    body: 'window.order.push(document.currentScript.src.split("/").pop())',
  });
  await page.goto(
    site.allparty({
      config: CONFIG,
      head: '<script>window.order = [];</script>',
      body: `${BUTTONS}<template id="t"><div><p><script type="text/plain" data-allparty="replay" data-vendor="hotjar" src="https://static.hotjar.com/c/late-template.js"></script></p></div></template>`,
    }),
  );
  await page.click('#accept');
  await settle(page, 200);
  // One route at a time, so that no route is released by another's notification.
  const routes: Array<[string, string]> = [
    ['template', `document.body.appendChild(document.getElementById('t').content.firstElementChild);`],
    [
      'markup',
      `var box = document.createElement('div'); document.body.appendChild(box); box.innerHTML = '<div>' + tagged('markup') + '</div>';`,
    ],
    [
      'detached',
      `var card = document.createElement('div'); var inner = document.createElement('section');
      inner.append(document.createRange().createContextualFragment(tagged('detached'))); card.appendChild(inner); document.body.appendChild(card);`,
    ],
  ];
  const done: string[] = [];
  for (const [name, code] of routes) {
    await page.evaluate(
      (js) =>
        new Function('tagged', js)(
          (name: string) =>
            `<script type="text/plain" data-allparty="replay" data-vendor="hotjar" src="https://static.hotjar.com/c/late-${name}.js"></script><iframe data-allparty="replay" data-vendor="hotjar" data-src="https://vars.hotjar.com/late-${name}.html"></iframe>`,
        ),
      code,
    );
    done.push(`late-${name}.js`);
    await expect.poll(() => order(page).then((o) => [...o].sort())).toEqual([...done].sort());
  }
  await expect
    .poll(() =>
      net
        .to('vars.hotjar.com')
        .map((r) => new URL(r.url).pathname)
        .sort(),
    )
    .toEqual(['/late-detached.html', '/late-markup.html']);
  await settle(page, 300);
  expect(await order(page)).toHaveLength(3);
});

test('tagged elements a framework builds with setAttribute are released once granted, even when kept aside first', async ({
  page,
  site,
  net,
}) => {
  await page.goto(site.allparty({ config: CONFIG, body: BUTTONS }));
  await page.click('#accept');
  await settle(page, 200);
  // As a framework renders: create, set attributes, insert, in one task; and a second frame
  // built the same way but inserted later, in another task.
  await page.evaluate(() => {
    const build = (name: string) => {
      const f = document.createElement('iframe');
      f.setAttribute('data-allparty', 'replay');
      f.setAttribute('data-vendor', 'hotjar');
      f.setAttribute('data-src', `https://vars.hotjar.com/${name}.html`);
      return f;
    };
    document.body.appendChild(build('rendered'));
    const later = build('later');
    setTimeout(() => document.body.appendChild(later), 700);
  });
  const frames = () =>
    net
      .to('vars.hotjar.com')
      .map((r) => new URL(r.url).pathname)
      .sort();
  await expect.poll(frames).toEqual(['/later.html', '/rendered.html']);
});

test('a tampered consent cookie yields the first-visit state', async ({ page, context, site, net }) => {
  const url = gatedPage(site, net);
  await page.goto(url);
  await page.click('#reject');
  const [cookie] = (await context.cookies()).filter((c) => c.name === 'allparty');
  expect(cookie).toBeDefined();
  // Flip a refusal into a grant by hand, without the checksum.
  const [v, payload, sum] = cookie!.value.split('.');
  const json = Buffer.from(payload!, 'base64url')
    .toString()
    .replace(/"hotjar":0/, '"hotjar":1')
    .replace(/\[0,/g, '[1,');
  await context.addCookies([{ ...cookie!, value: `${v}.${Buffer.from(json).toString('base64url')}.${sum}` }]);
  const before = net.requests.length;
  await page.goto(url);
  await settle(page, 500);
  expect(await order(page)).toEqual([]);
  expect(net.requests.length).toBe(before);
  expect(await page.evaluate(() => window.allparty.get().needsDecision)).toBe(true);
});

test('a grant from script without a user gesture is refused and said so', async ({ page, site, logs }) => {
  // The page's own script grants at load, before any interaction: no transient activation.
  await page.goto(
    site.allparty({
      config: CONFIG,
      head: '<script>window.order = [];</script>',
      body: `<script>window.__granted = allparty.acceptAll();</script>
        <script type="text/plain" data-allparty="replay">window.order.push("ran")</script>`,
    }),
  );
  expect(await page.evaluate(() => (window as unknown as { __granted: boolean }).__granted)).toBe(false);
  await settle(page, 300);
  expect(await order(page)).toEqual([]);
  expect(logs.some((l) => l.includes('without a user gesture was refused'))).toBe(true);
});

test('the CSP nonce is carried over to released scripts', async ({ page, site, net }) => {
  net.serve({ match: /hotjar-1\.js/, body: 'window.order.push("hotjar-external")' });
  const url = site.asset('/csp.html', {
    type: 'text/html',
    headers: {
      'content-security-policy': "script-src 'nonce-r4nd0m' https://static.hotjar.com; object-src 'none'",
    },
    body: `<!doctype html><html><head>
<script type="application/json" id="allparty-config">${JSON.stringify(CONFIG)}</script>
<script src="/dist/allparty.js" nonce="r4nd0m"></script>
<script nonce="r4nd0m">window.order = [];</script>
</head><body>
<button id="accept">Accept all</button>
<script nonce="r4nd0m">document.getElementById('accept').addEventListener('click', () => allparty.acceptAll());</script>
<script type="text/plain" data-allparty="replay" data-vendor="hotjar" nonce="r4nd0m">window.order.push("inline-with-nonce")</script>
<script type="text/plain" data-allparty="replay" data-vendor="hotjar" nonce="r4nd0m" src="https://static.hotjar.com/c/hotjar-1.js"></script>
</body></html>`,
  });
  await page.goto(url);
  await page.click('#accept');
  await expect.poll(() => order(page)).toEqual(['inline-with-nonce', 'hotjar-external']);
});

test('a broken config fails closed and says which field is wrong', async ({ page, site, net, logs }) => {
  await page.goto(
    gatedPage(site, net, {
      config: { vendors: { hotjar: { snippet: 'yes' } }, banner: false, expiryDays: 0 },
    }),
  );
  await page.click('#accept');
  await settle(page, 500);
  expect(await order(page)).toEqual([]);
  expect(net.requests).toEqual([]);
  // At once, with the guard: the fields; then the explanations from the lazy chunk.
  const fields = logs.find((l) => l.startsWith('error: allparty: the config has invalid fields'));
  expect(fields).toContain('vendors.hotjar.snippet, expiryDays');
  const error = logs.find((l) => l.startsWith('error: allparty: the config is invalid'));
  expect(error).toContain('vendors.hotjar.snippet: must be true or false');
  expect(error).toContain('expiryDays: must be a whole number of days');
});

test('config that is not JSON fails closed too', async ({ page, site, net, logs }) => {
  await page.goto(gatedPage(site, net, { config: '{ "vendors": { ' as unknown as object }));
  await page.click('#accept');
  await settle(page, 300);
  expect(await order(page)).toEqual([]);
  expect(logs.some((l) => l.includes('is not valid JSON'))).toBe(true);
});
