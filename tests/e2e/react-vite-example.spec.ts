// examples/react-vite: a Vite + React app built for production, with the script-tag embed first
// in <head>, so @allparty/react's provider uses window.allparty.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { buildExample, consentJourney, hermetic, serveStatic } from './examples';

test.describe.configure({ mode: 'serial' });

let site: { origin: string; stop: () => void };
test.beforeAll(async () => {
  test.setTimeout(120_000);
  site = await serveStatic(join(buildExample('react-vite', 'dist'), 'dist'));
});
test.afterAll(() => site?.stop());

test('the React example: banner, nothing before Accept, <Gate> and <ClickToLoad> follow consent and withdrawal', async ({
  context,
  page,
}) => {
  const outside = await hermetic(context, site.origin);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  await page.goto(`${site.origin}/`);
  // The embed ran first: the provider found window.allparty.
  expect(await page.evaluate(() => typeof (window as { allparty?: unknown }).allparty)).toBe('object');
  await consentJourney(page, outside);
  expect(problems).toEqual([]);
});
