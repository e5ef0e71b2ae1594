// Finds a Chromium for the browser tests: Playwright's own build when installed (a
// developer's machine), else a system Chromium (Debian's `chromium` here and in CI).
// Set ALLPARTY_CHROMIUM to force a path.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const SYSTEM = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** Returns `{ executablePath }` for a system browser, `{}` for Playwright's own, or null. */
export async function findChromium() {
  if (process.env.ALLPARTY_CHROMIUM) return { executablePath: process.env.ALLPARTY_CHROMIUM };
  try {
    const { chromium } = await import('@playwright/test');
    const own = chromium.executablePath();
    if (own && existsSync(own)) return {};
  } catch {
    // no Playwright browser registry entry
  }
  for (const path of SYSTEM) if (existsSync(path)) return { executablePath: path };
  return null;
}

/** Like findChromium, but installs one when none is found, or exits with what to do. */
export async function ensureChromium() {
  const found = await findChromium();
  if (found) return found;
  console.log('No Chromium found; trying `playwright install chromium`…');
  try {
    execFileSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' });
    const again = await findChromium();
    if (again) return again;
  } catch {
    // no download possible here
  }
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('Installing Debian chromium with apt-get…');
    execFileSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq chromium'], { stdio: 'inherit' });
    const again = await findChromium();
    if (again) return again;
  }
  console.error(
    'No Chromium for the browser tests. Install one: `npx playwright install chromium`, or `apt-get install chromium`, or set ALLPARTY_CHROMIUM=/path/to/chrome.',
  );
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = await ensureChromium();
  console.log(found.executablePath ?? 'playwright-chromium');
}
