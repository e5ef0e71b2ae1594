// examples/nextjs: a Next.js App Router app (`next build`, `next start`), the embed loaded with
// next/script's beforeInteractive, the hooks in client components.
import { expect, test } from '@playwright/test';
import { buildExample, consentJourney, hermetic, startNext } from './examples';

test.describe.configure({ mode: 'serial' });

let next: { origin: string; stop: () => void };
test.beforeAll(async () => {
  // next build takes a minute or two on a busy 2-core machine; later runs reuse it.
  test.setTimeout(420_000);
  next = await startNext(buildExample('nextjs', '.next'));
});
test.afterAll(() => next?.stop());

test('the server renders the fallbacks, not the gated content', async ({ request }) => {
  const html = await (await request.get(`${next.origin}/`)).text();
  expect(html).toContain('data-example="chat-fallback"');
  expect(html).toContain('data-allparty-embed="youtube"');
  expect(html).not.toContain('data-example="chat"');
  expect(html).not.toContain('<iframe');
  expect(html).toContain('id="allparty-config"');
});

test('the Next example hydrates without a warning and follows consent as the script tag does', async ({
  context,
  page,
}) => {
  const outside = await hermetic(context, next.origin);
  const messages: string[] = [];
  page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') messages.push(`${m.type()}: ${m.text()}`);
  });
  // The <main> the parser builds from the server's HTML: hydration keeps it; a mismatch makes React
  // render the tree again on the client and replace it (which a production build does not log).
  await page.addInitScript(() => {
    new MutationObserver((records, observer) => {
      for (const record of records)
        for (const node of record.addedNodes)
          if (node.nodeName === 'MAIN') {
            (window as { serverMain?: Node }).serverMain = node;
            observer.disconnect();
          }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`${next.origin}/`);
  expect(await page.evaluate(() => typeof (window as { allparty?: unknown }).allparty)).toBe('object');
  await expect(page.locator('[data-example="state"]')).toHaveText('undecided');
  expect(
    await page.evaluate(
      () => document.querySelector('main') === (window as { serverMain?: Node }).serverMain,
    ),
  ).toBe(true);
  await consentJourney(page, outside);
  expect(messages.filter((m) => /hydrat|did not match|mismatch/i.test(m))).toEqual([]);
  expect(messages).toEqual([]);
});
