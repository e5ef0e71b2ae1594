import { defineConfig } from '@playwright/test';
// @ts-expect-error: plain ESM helper without types
import { findChromium } from '../../scripts/browser.mjs';

const browser: { executablePath?: string } | null = await findChromium();
if (!browser)
  throw new Error('No Chromium found: run `node scripts/browser.mjs` (it installs one or says how).');

// Flags that keep a headless Chromium quiet on a machine with no outside network.
const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  workers: process.env.CI ? 2 : 2,
  retries: 0,
  timeout: 30_000,
  forbidOnly: true,
  reporter: process.env.ALLPARTY_E2E_JSON
    ? [['list'], ['json', { outputFile: process.env.ALLPARTY_E2E_JSON }]]
    : 'list',
  globalSetup: './global-setup.ts',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { ...(browser.executablePath ? { executablePath: browser.executablePath } : {}), args },
    serviceWorkers: 'block',
  },
});
