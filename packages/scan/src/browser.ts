/**
 * Finds and launches a Chromium: `--browser PATH` (or ALLPARTY_CHROMIUM), else Playwright's own
 * build when it is installed, else a system Chromium (Debian's `chromium`). The same search as
 * the repository's scripts/browser.mjs.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const SYSTEM = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Flags that keep a headless Chromium quiet on a machine with no outside network. */
export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium to use: an executable path, or null for Playwright's own; throws when there is none. */
export function findChromium(explicit?: string | null): string | null {
  const forced = explicit || process.env.ALLPARTY_CHROMIUM;
  if (forced) {
    if (!existsSync(forced)) throw new Error(`No browser at ${forced}`);
    return forced;
  }
  try {
    const own = chromium.executablePath();
    if (own && existsSync(own)) return null;
  } catch {
    // no Playwright browser registry entry
  }
  for (const path of SYSTEM) if (existsSync(path)) return path;
  throw new Error(
    'No Chromium found. Install one (`npx playwright install chromium`, or `apt-get install chromium`), or pass --browser /path/to/chrome.',
  );
}

export async function launchChromium(explicit?: string | null): Promise<Browser> {
  const executablePath = findChromium(explicit);
  return chromium.launch({
    headless: true,
    args: LAUNCH_ARGS,
    ...(executablePath ? { executablePath } : {}),
  });
}
