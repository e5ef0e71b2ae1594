import type { Page, Route } from '@playwright/test';
import { expect, type Site, test } from './fixtures';

// The durable record queue in a real browser, through the built embed: a record survives a
// 503 and an offline spell in localStorage and reaches the log afterwards, exactly once acked.

const config = {
  vendors: {},
  purposes: { personalisation: { title: { en: 'Personalisation' } } },
  log: { endpoint: '/consent' },
  scriptGrants: 'allow',
};

interface Sent {
  ids: string[];
  status: number;
}

/** A stand-in log at /consent on the page's origin: answers 503 while `down`, else acks per id. */
async function fakeLog(page: Page, site: Site) {
  const state = { down: false, offline: false, sent: [] as Sent[] };
  await page.route(`${site.origin}/consent/v1/**`, async (route: Route) => {
    const req = route.request();
    // Routed requests bypass the browser's offline switch, so the stand-in drops them itself.
    if (state.offline) return route.abort('internetdisconnected');
    if (req.url().endsWith('/v1/notices')) return route.fulfill({ json: { status: 'stored' } });
    const body = JSON.parse(req.postData() ?? '{}') as { records: Array<{ id: string }> };
    const ids = body.records.map((r) => r.id);
    if (state.down) {
      state.sent.push({ ids, status: 503 });
      return route.fulfill({ status: 503, body: 'busy' });
    }
    state.sent.push({ ids, status: 200 });
    return route.fulfill({ json: { results: ids.map((id) => ({ id, status: 'stored' })), notices: [] } });
  });
  return state;
}

const queued = (page: Page) =>
  page.evaluate(() => {
    const raw = localStorage.getItem('allparty.queue');
    return raw ? (JSON.parse(raw).records as Array<{ id: string; event: string }>) : [];
  });

test('a record refused with 503 stays queued and is sent again on the next page view', async ({
  page,
  site,
}) => {
  const log = await fakeLog(page, site);
  log.down = true;
  const url = site.allparty({ config });
  await page.goto(url);
  await page.evaluate(() =>
    (window as unknown as { allparty: { rejectAll(): boolean } }).allparty.rejectAll(),
  );
  await expect.poll(() => log.sent.length).toBe(1);
  const kept = await queued(page);
  expect(kept.map((r) => r.event)).toEqual(['refused']);
  expect(log.sent[0]).toEqual({ ids: [kept[0]!.id], status: 503 });

  log.down = false;
  await page.goto(url);
  await expect.poll(async () => (await queued(page)).length).toBe(0);
  expect(log.sent.at(-1)).toEqual({ ids: [kept[0]!.id], status: 200 });
});

test('a record made offline is kept and sent when the browser is back online', async ({
  page,
  context,
  site,
}) => {
  const log = await fakeLog(page, site);
  await page.goto(site.allparty({ config }));
  log.offline = true;
  await context.setOffline(true);
  await page.evaluate(() =>
    (window as unknown as { allparty: { acceptAll(): boolean } }).allparty.acceptAll(),
  );
  await page.waitForTimeout(300);
  const kept = await queued(page);
  expect(kept.map((r) => r.event)).toEqual(['given']);
  expect(log.sent.filter((s) => s.status === 200)).toEqual([]);

  log.offline = false;
  await context.setOffline(false);
  await expect.poll(async () => (await queued(page)).length).toBe(0);
  expect(log.sent.filter((s) => s.status === 200)).toEqual([{ ids: [kept[0]!.id], status: 200 }]);
});

test('the debug build stores a record and sends it through the readable sender chunk', async ({
  page,
  site,
}) => {
  const log = await fakeLog(page, site);
  const chunks: string[] = [];
  page.on('request', (r) => {
    if (/allparty-queue/.test(r.url())) chunks.push(r.url().split('/').pop()!);
  });
  await page.goto(site.allparty({ config, debug: true }));
  expect(chunks).toEqual([]); // nothing queued, nothing decided: the sender is not fetched
  await page.evaluate(() =>
    (window as unknown as { allparty: { rejectAll(): boolean } }).allparty.rejectAll(),
  );
  await expect.poll(() => log.sent.filter((s) => s.status === 200).length).toBe(1);
  await expect.poll(async () => (await queued(page)).length).toBe(0);
  expect(chunks).toEqual(['allparty-queue.debug.js']);
});

test('a returning visitor with nothing queued fetches only the embed', async ({ page, site }) => {
  const log = await fakeLog(page, site);
  const url = site.allparty({ config });
  await page.goto(url);
  await page.evaluate(() =>
    (window as unknown as { allparty: { rejectAll(): boolean } }).allparty.rejectAll(),
  );
  await expect.poll(async () => (await queued(page)).length).toBe(0);
  expect(log.sent.filter((s) => s.status === 200)).toHaveLength(1);

  const fetched: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/dist/')) fetched.push(r.url().split('/dist/').pop()!);
  });
  await page.goto(url);
  await page.waitForLoadState('load');
  await page.waitForTimeout(300);
  expect(fetched).toEqual(['allparty.js']);
});
