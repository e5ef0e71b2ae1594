// First visit: how long after DOMContentLoaded the first layer is on screen, on the demo
// page (`scripts/demo.mjs`), in fresh Chromium contexts. Prints the median against one frame
// (16.7 ms), the goal in issue 4.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { chromium } from '@playwright/test';
import { findChromium } from '../scripts/browser.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 11);
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const demo = spawn(process.execPath, ['scripts/demo.mjs'], {
  env: { ...process.env, PORT: String(port) },
  stdio: 'pipe',
});
await new Promise((resolve, reject) => {
  demo.stdout.on('data', (d) => d.toString().includes('demo running') && resolve());
  demo.on('exit', (code) => reject(new Error(`demo exited with ${code}`)));
});

const found = await findChromium();
const browser = await chromium.launch({
  ...(found?.executablePath ? { executablePath: found.executablePath } : {}),
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
});
const samples = [];
for (let i = 0; i < ROUNDS; i++) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      window.__dcl = performance.now();
    });
    const tick = () => {
      const host = document.getElementById('allparty-ui');
      const el = host?.shadowRoot?.querySelector('[data-allparty-banner]');
      if (el && el.getBoundingClientRect().height > 0) window.__shown = performance.now();
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.goto(`http://localhost:${port}/site/`);
  await page.waitForFunction(() => window.__shown, null, { timeout: 10_000 });
  samples.push(await page.evaluate(() => window.__shown - window.__dcl));
  await ctx.close();
}
await browser.close();
demo.kill();
const sorted = [...samples].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log(
  `first layer visible after DOMContentLoaded (demo page, ${ROUNDS} fresh visits, polled each animation frame): median ${median.toFixed(1)} ms, min ${sorted[0].toFixed(1)}, max ${sorted.at(-1).toFixed(1)}; ratio to one frame (16.7 ms): ${(median / 16.7).toFixed(2)}`,
);
