// First visit: how long after DOMContentLoaded the first layer is on screen, on the demo
// page (`scripts/demo.mjs`), in fresh Chromium contexts. Prints in which animation frame after
// DOMContentLoaded it first has a box (the goal in issue 4: the first), and the time beside the
// time to that first frame in the same visits (the baseline; this machine is shared and noisy).
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
    // Counts the animation frames that start after DOMContentLoaded until the first layer has
    // a box: 1 means it is in the first frame the browser renders after DOMContentLoaded.
    let frames = 0;
    document.addEventListener('DOMContentLoaded', () => {
      window.__dcl = performance.now();
    });
    const tick = () => {
      if (window.__dcl !== undefined && ++frames === 1) window.__frame1 = performance.now();
      const host = document.getElementById('allparty-ui');
      const el = host?.shadowRoot?.querySelector('[data-allparty-banner]');
      if (el && el.getBoundingClientRect().height > 0) {
        window.__shown = performance.now();
        window.__frames = frames;
      } else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.goto(`http://localhost:${port}/site/`);
  await page.waitForFunction(() => window.__shown, null, { timeout: 10_000 });
  samples.push(
    await page.evaluate(() => ({
      ms: window.__shown - window.__dcl,
      frames: window.__frames,
      frame1: window.__frame1 - window.__dcl,
    })),
  );
  await ctx.close();
}
await browser.close();
demo.kill();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = samples.map((s) => s.ms);
console.log(
  `first layer visible after DOMContentLoaded (demo page, ${ROUNDS} fresh visits, checked each animation frame): ` +
    `in frame ${median(samples.map((s) => s.frames))} after DOMContentLoaded (median; goal: the first), ` +
    `frames per visit ${samples.map((s) => s.frames).join(' ')}; ` +
    `median ${median(ms).toFixed(1)} ms (min ${Math.min(...ms).toFixed(1)}, max ${Math.max(...ms).toFixed(1)}) ` +
    `against ${median(samples.map((s) => s.frame1)).toFixed(1)} ms to the first frame after DOMContentLoaded in the same visits ` +
    `(ratio ${(median(ms) / median(samples.map((s) => s.frame1))).toFixed(2)}); one frame at 60 Hz is 16.7 ms`,
);
