// Two builds of the embed against each other, in one browser, alternating page loads: the
// guard's install time, the whole embed's init, the fetch wrapper per call, and inserting
// 10,000 elements after DOMContentLoaded. A shared machine's load changes from run to run
// (bench/guard.mjs prints the noise of its own run); comparing two builds in the same run is
// how a change's own cost is read.
//
//   node bench/ab.mjs BASELINE.js [CANDIDATE.js]       (ROUNDS=n, 40 by default)
//
// CANDIDATE defaults to this checkout's packages/embed/dist/allparty.js. A baseline from
// another commit: `git worktree add /tmp/base <commit>`, then install and build there.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { chromium } from '@playwright/test';
import { findChromium } from '../scripts/browser.mjs';

const [baseline, candidate = 'packages/embed/dist/allparty.js'] = process.argv.slice(2);
if (!baseline) {
  console.error('usage: node bench/ab.mjs BASELINE.js [CANDIDATE.js]');
  process.exit(2);
}
const ROUNDS = Number(process.env.ROUNDS ?? 40);
const embeds = { a: readFileSync(baseline, 'utf8'), b: readFileSync(candidate, 'utf8') };
const config = JSON.stringify({
  vendors: {
    hotjar: { snippet: true },
    'google-analytics-4': { snippet: true },
    intercom: { snippet: true },
  },
  banner: false,
});
const page = (build) => `<!doctype html><html><head><meta charset="utf-8">
<script type="application/json" id="allparty-config">${config}</script><script src="/${build}.js"></script>
</head><body><script>
document.addEventListener('DOMContentLoaded', function () {
  var t0 = performance.now();
  for (var i = 0; i < 20000; i++) fetch('/api/item/' + i, { method: 'GET', body: 'x' }).catch(function () {});
  window.__fetch = ((performance.now() - t0) / 20000) * 1000;
  var root = document.createElement('div'); document.body.appendChild(root);
  t0 = performance.now();
  for (var j = 0; j < 10000; j++) {
    var el;
    if (j % 10 === 0) { el = document.createElement('img'); el.src = '/img/' + j + '.png'; el.alt = ''; }
    else if (j % 25 === 1) { el = document.createElement('a'); el.href = '/p/' + j; el.textContent = 'link'; }
    else { el = document.createElement('div'); el.className = 'row'; el.textContent = 'row ' + j; }
    root.appendChild(el);
  }
  window.__insert = performance.now() - t0;
  var m = performance.getEntriesByName('allparty:guard-install')[0];
  var n = performance.getEntriesByName('allparty:init')[0];
  window.__guard = m ? m.duration : NaN;
  window.__init = n ? n.duration : NaN;
});
</script></body></html>`;

// Cross-origin isolated, so performance.now() has 5 µs resolution.
const headers = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
};
const server = createServer((req, res) => {
  const m = /^\/([ab])(\.js)?$/.exec(req.url ?? '');
  if (!m) {
    res.writeHead(204, headers);
    return res.end();
  }
  res.writeHead(200, { 'content-type': m[2] ? 'text/javascript' : 'text/html', ...headers });
  res.end(m[2] ? embeds[m[1]] : page(m[1]));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const found = await findChromium();
const browser = await chromium.launch({
  ...(found?.executablePath ? { executablePath: found.executablePath } : {}),
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
});
const tab = await browser.newPage();
const samples = { a: [], b: [] };
for (let i = 0; i < ROUNDS; i++)
  for (const build of i % 2 ? ['b', 'a'] : ['a', 'b']) {
    await tab.goto(`${origin}/${build}`);
    await tab.waitForFunction(() => window.__insert !== undefined);
    samples[build].push(
      await tab.evaluate(() => ({
        guard: window.__guard,
        init: window.__init,
        fetch: window.__fetch,
        insert: window.__insert,
      })),
    );
  }
await browser.close();
server.close();

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(`Chromium, ${ROUNDS} rounds, medians; A = ${baseline}, B = ${candidate}`);
for (const [key, label, unit] of [
  ['guard', 'guard.install(window)', 'ms'],
  ['init', 'whole embed init', 'ms'],
  ['fetch', 'fetch, per first-party call', 'µs'],
  ['insert', 'insert 10,000 elements after DCL', 'ms'],
]) {
  const a = median(samples.a.map((s) => s[key]));
  const b = median(samples.b.map((s) => s[key]));
  console.log(
    `${label.padEnd(34)} A ${a.toFixed(3).padStart(8)} ${unit}  B ${b.toFixed(3).padStart(8)} ${unit}  B/A ${(b / a).toFixed(3)}`,
  );
}
