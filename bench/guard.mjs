// The guard's cost in Chromium, as ratios against the same page without the guard, measured
// in the same run (pages alternate, medians of many rounds):
//  - install: time to run the embed (config, consent, guard install) vs. the page's parse time
//  - fetch: per-call overhead of the fetch wrapper (first-party calls, the common case)
//  - insert: inserting 10,000 elements (divs, first-party images, links) with vs. without
// and then the same insertions (plus subtrees: cards of 10 elements built detached, then
// connected) measured as the renderer main thread's CPU time (Chrome DevTools Protocol,
// Performance metrics in thread ticks): the work the guard adds, without the time the thread
// spent waiting for a core, which on a shared machine swings wall times by tens of percent.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { chromium } from '@playwright/test';
import { findChromium } from '../scripts/browser.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const embed = readFileSync('packages/embed/dist/allparty.js', 'utf8');
const config = JSON.stringify({
  vendors: { hotjar: { snippet: true }, 'google-analytics-4': { snippet: true } },
  banner: false,
});

/** Inserts 10,000 elements into \`root\` (divs, first-party images under \`img\`, links). */
const insertLoop = (img) => `for (var j = 0; j < 10000; j++) {
      var el;
      if (j % 10 === 0) { el = document.createElement('img'); el.src = '${img}' + j + '.png'; el.alt = ''; }
      else if (j % 25 === 1) { el = document.createElement('a'); el.href = '/p/' + j; el.textContent = 'link'; }
      else { el = document.createElement('div'); el.className = 'row'; el.textContent = 'row ' + j; }
      root.appendChild(el);
    }`;

const work = (phase) => `
<script>
  (function run() {
    if (${phase === 'loaded' ? "document.readyState === 'loading'" : 'false'}) return document.addEventListener('DOMContentLoaded', run);
    // fetch: 20,000 first-party calls that fail synchronously in the engine (GET with a body),
    // so only the wrapper and the call itself are measured, not the network.
    var t0 = performance.now();
    for (var i = 0; i < 20000; i++) fetch('/api/item/' + i, { method: 'GET', body: 'x' }).catch(function () {});
    window.__fetch = performance.now() - t0;
    // insert: 10,000 elements (divs, first-party images, links), as a busy page would.
    var root = document.createElement('div'); document.body.appendChild(root);
    t0 = performance.now();
    ${insertLoop('/img/')}
    window.__insert = performance.now() - t0;
    var m = performance.getEntriesByName('allparty:guard-install')[0];
    var n = performance.getEntriesByName('allparty:init')[0];
    window.__guard = m ? m.duration : 0;
    window.__init = n ? n.duration : 0;
  })();
</script>`;

const page = (guarded, phase) => `<!doctype html><html><head><meta charset="utf-8">
<script>window.__before = performance.now();</script>
${guarded ? `<script type="application/json" id="allparty-config">${config}</script><script src="/allparty.js"></script>` : '<script src="/empty.js"></script>'}
<script>window.__installed = performance.now();</script>
</head><body>${work(phase)}</body></html>`;

const server = createServer((req, res) => {
  // Cross-origin isolated, so performance.now() has 5 µs resolution instead of 100 µs.
  const send = (type, body) => {
    res.writeHead(200, {
      'content-type': type,
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
    });
    res.end(body);
  };
  const m = /^\/(guarded|plain|control)-(parsing|loaded)$/.exec(req.url);
  if (req.url === '/allparty.js') send('text/javascript', embed);
  else if (req.url === '/empty.js') send('text/javascript', '');
  else if (m) send('text/html', page(m[1] === 'guarded', m[2]));
  else {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const found = await findChromium();
const browser = await chromium.launch({
  ...(found?.executablePath ? { executablePath: found.executablePath } : {}),
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
});
const ctx = await browser.newContext();
// Images go nowhere: answered locally so the network does not dominate.
const corp = { 'cross-origin-resource-policy': 'same-origin' };
await ctx.route('**/img/**', (r) => r.fulfill({ status: 204, headers: corp }));
await ctx.route('**/api/**', (r) => r.fulfill({ status: 204, headers: corp }));
const tab = await ctx.newPage();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `Chromium, ${ROUNDS} rounds per page, medians; the same page with and without the guard, alternating.`,
);
for (const phase of ['parsing', 'loaded']) {
  // `control` is the plain page again: the ratio between the two plain pages is the noise floor.
  const samples = { plain: [], guarded: [], control: [] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const kind of i % 2 ? ['guarded', 'control', 'plain'] : ['plain', 'control', 'guarded']) {
      await tab.goto(`${origin}/${kind}-${phase}`);
      await tab.waitForFunction(() => window.__insert !== undefined);
      samples[kind].push(
        await tab.evaluate(() => ({
          install: window.__installed - window.__before,
          fetch: window.__fetch,
          insert: window.__insert,
          guard: window.__guard,
          init: window.__init,
        })),
      );
    }
  }
  const m = (kind, key) => median(samples[kind].map((s) => s[key]));
  const row = (label, key, unit, per = 1) => {
    const p = m('plain', key) / per;
    const g = m('guarded', key) / per;
    console.log(
      `${label.padEnd(46)} without ${p.toFixed(3).padStart(8)} ${unit}  with ${g.toFixed(3).padStart(8)} ${unit}  ratio ${(g / p).toFixed(3)}`,
    );
    return { p, g };
  };
  console.log(
    `\n— work done ${phase === 'parsing' ? 'while the page is still parsing' : 'after DOMContentLoaded'}`,
  );
  if (phase === 'parsing') {
    const inst = row('head scripts (embed download+parse+run)', 'install', 'ms');
    const isolated = await tab.evaluate(() => crossOriginIsolated);
    console.log(
      `  (cross-origin isolated: ${isolated}; performance.now() resolves to ${isolated ? '5 µs' : '100 µs'})`,
    );
    console.log(
      `  guard.install(window): ${m('guarded', 'guard').toFixed(3)} ms (goal < 1 ms); whole embed init: ${m('guarded', 'init').toFixed(3)} ms; ratio of init to the plain page's head: ${(m('guarded', 'init') / inst.p).toFixed(3)}`,
    );
  }
  const f = row('fetch wrapper, per first-party call', 'fetch', 'µs', 20000 / 1000);
  console.log(`  overhead per call: ${(f.g - f.p).toFixed(3)} µs`);
  const ins = row('insert 10,000 elements', 'insert', 'ms');
  const noise = m('control', 'insert') / ins.p - 1;
  console.log(
    `  insertion overhead: ${(((ins.g - ins.p) / ins.p) * 100).toFixed(1)}% (goal < 5%); the plain page against itself: ${(noise * 100).toFixed(1)}% (noise)`,
  );
}
// — The same insertions, as main-thread CPU time. Each page keeps parsing (a script in its
// body is answered only at the end) or has loaded; the work runs there REPEAT times, and the
// renderer's own count of its main thread's task time (thread ticks) is read around each run.
const CPU_ROUNDS = Number(process.env.CPU_ROUNDS ?? 8);
const REPEAT = 3;
const cpuWork = `
  window.__work = {
    insert: function () {
      var root = document.createElement('div'); document.body.appendChild(root);
      var t0 = performance.now();
      ${insertLoop('/img/c')}
      var t = performance.now() - t0; root.remove(); return t;
    },
    cards: function () {
      var root = document.createElement('div'); document.body.appendChild(root);
      var t0 = performance.now();
      for (var j = 0; j < 1000; j++) {
        var card = document.createElement('article'); card.className = 'card';
        var h = document.createElement('h3'); h.textContent = 'Item ' + j; card.appendChild(h);
        var img = document.createElement('img'); img.src = '/img/k' + j + '.png'; img.alt = ''; card.appendChild(img);
        var ul = document.createElement('ul');
        for (var k = 0; k < 5; k++) { var li = document.createElement('li'); li.textContent = 'spec ' + k; ul.appendChild(li); }
        card.appendChild(ul);
        var a = document.createElement('a'); a.href = '/p/' + j; a.textContent = 'more'; card.appendChild(a);
        root.appendChild(card);
      }
      var t = performance.now() - t0; root.remove(); return t;
    },
  };`;
const cpuPage = (guarded, phase, id) => `<!doctype html><html><head><meta charset="utf-8">
${guarded ? `<script type="application/json" id="allparty-config">${config}</script><script src="/allparty.js"></script>` : '<script src="/empty.js"></script>'}
<script>${cpuWork}</script>
</head><body><p>page</p>${phase === 'parsing' ? `<script src="/hold.js?${id}"></script>` : ''}<p>end</p></body></html>`;
const holds = new Map();
server.removeAllListeners('request');
server.on('request', (req, res) => {
  const h = {
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
    'cross-origin-resource-policy': 'same-origin',
  };
  const m = /^\/cpu-(guarded|plain)-(parsing|loaded)\?(\d+)$/.exec(req.url);
  if (req.url === '/allparty.js') res.writeHead(200, { ...h, 'content-type': 'text/javascript' }).end(embed);
  else if (req.url === '/empty.js') res.writeHead(200, { ...h, 'content-type': 'text/javascript' }).end('');
  else if (req.url.startsWith('/hold.js?'))
    holds.set(req.url.slice(9), () =>
      res.writeHead(200, { ...h, 'content-type': 'text/javascript' }).end(''),
    );
  // Images answer after the measured run (and its CPU reading) is over, so their completion,
  // and the guard's Resource Timing look at it, fall between runs, not into one.
  else if (req.url.startsWith('/img/')) setTimeout(() => res.writeHead(204, h).end(), 300);
  else if (m)
    res.writeHead(200, { ...h, 'content-type': 'text/html' }).end(cpuPage(m[1] === 'guarded', m[2], m[3]));
  else res.writeHead(404).end();
});
await ctx.unrouteAll();
const cdp = await ctx.newCDPSession(tab);
await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
const taskTime = async () =>
  (await cdp.send('Performance.getMetrics')).metrics.find((x) => x.name === 'TaskDuration').value * 1000;
let pageId = 0;
console.log(
  `\n— the same insertions as renderer main-thread CPU time (thread ticks), ${CPU_ROUNDS} page loads per kind, ${REPEAT} runs each, medians`,
);
for (const phase of ['parsing', 'loaded']) {
  const cpu = {};
  for (const work of ['insert', 'cards'])
    cpu[work] = { plain: { cpu: [], wall: [] }, guarded: { cpu: [], wall: [] } };
  for (let i = 0; i < CPU_ROUNDS; i++) {
    for (const kind of i % 2 ? ['guarded', 'plain'] : ['plain', 'guarded']) {
      const id = String(++pageId);
      await tab.goto(`${origin}/cpu-${kind}-${phase}?${id}`, {
        waitUntil: phase === 'parsing' ? 'commit' : 'load',
      });
      await tab.waitForFunction(() => window.__work !== undefined);
      if (phase === 'parsing' && (await tab.evaluate(() => document.readyState)) !== 'loading')
        throw new Error('bench: the page finished parsing before the work ran');
      for (const work of ['insert', 'cards']) {
        for (let r = 0; r < REPEAT; r++) {
          await new Promise((resolve) => setTimeout(resolve, 450));
          const before = await taskTime();
          const wall = await tab.evaluate((w) => window.__work[w](), work);
          const spent = (await taskTime()) - before;
          cpu[work][kind].cpu.push(spent);
          cpu[work][kind].wall.push(wall);
        }
      }
      holds.get(id)?.();
      holds.delete(id);
    }
  }
  console.log(phase === 'parsing' ? '  while the page is still parsing' : '  after the page has loaded');
  for (const [work, label] of [
    ['insert', 'insert 10,000 elements'],
    ['cards', '1,000 cards of 10 elements, built detached'],
  ]) {
    const p = median(cpu[work].plain.cpu);
    const g = median(cpu[work].guarded.cpu);
    const pw = median(cpu[work].plain.wall);
    const gw = median(cpu[work].guarded.wall);
    console.log(
      `  ${label.padEnd(44)} CPU without ${p.toFixed(2).padStart(7)} ms  with ${g.toFixed(2).padStart(7)} ms  ratio ${(g / p).toFixed(3)}  overhead ${(((g - p) / p) * 100).toFixed(1)}%${work === 'insert' ? ' (goal < 5%)' : ''}   (wall in-page: ${pw.toFixed(2)} vs ${gw.toFixed(2)} ms, ratio ${(gw / pw).toFixed(3)})`,
    );
  }
}
await browser.close();
server.close();
