/** The HTML report: one self-contained file (screenshots inlined), no scripts, no outside requests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml } from '@allparty/core';
import { formatChain } from './initiator';
import type { Finding, PageResult, ScanReport, ScanRequest, StateResult } from './types';

export function renderHtml(report: ScanReport, outDir: string): string {
  const images = new Map<string, string>();
  const img = (rel: string | null, alt: string): string => {
    if (!rel) return '';
    let src = images.get(rel);
    if (src === undefined) {
      try {
        src = `data:image/jpeg;base64,${readFileSync(join(outDir, rel)).toString('base64')}`;
      } catch {
        src = '';
      }
      images.set(rel, src);
    }
    return src ? `<img src="${src}" alt="${escapeHtml(alt)}" width="640" height="400">` : '';
  };

  const stateIds = report.options.states;
  const matrix = `<table class="matrix"><thead><tr><th>page</th>${stateIds
    .map((s) => `<th>${escapeHtml(s)}</th>`)
    .join('')}</tr></thead><tbody>${report.pages
    .map(
      (p, i) =>
        `<tr><td><a href="#page-${i + 1}">${escapeHtml(p.url)}</a></td>${stateIds
          .map((id) => {
            const s = p.states.find((x) => x.id === id);
            return s ? `<td class="${verdictClass(s)}">${escapeHtml(verdict(s))}</td>` : '<td>–</td>';
          })
          .join('')}</tr>`,
    )
    .join('')}</tbody></table>`;

  const allowList = report.suggestions.allow.map((a) => a.host);
  const suggestions = `<section><h2>Suggestions</h2>
<h3>Hosts to add to <code>allow</code></h3>
${
  allowList.length
    ? `<p>Third-party hosts seen that are not trackers (review the unknown ones before adding them):</p>
<table><thead><tr><th>host</th><th>who</th><th>category</th><th>why</th></tr></thead><tbody>${report.suggestions.allow
        .map(
          (a) =>
            `<tr><td><code>${escapeHtml(a.host)}</code></td><td>${escapeHtml(a.name ?? '')}</td><td>${escapeHtml(a.category ?? '')}</td><td>${
              a.reason === 'known' ? 'third-party-web: not a tracker' : 'in no dataset: review'
            }</td></tr>`,
        )
        .join('')}</tbody></table>
<pre>"allow": ${escapeHtml(JSON.stringify(allowList))}</pre>`
    : '<p>None.</p>'
}
<h3>Adapters to add</h3>
${
  report.suggestions.adapters.length
    ? `<table><thead><tr><th>vendor</th><th>purposes</th><th>hosts</th><th>what to do</th></tr></thead><tbody>${report.suggestions.adapters
        .map(
          (a) =>
            `<tr><td>${escapeHtml(a.name)}${a.vendor ? ` (<code>${escapeHtml(a.vendor)}</code>)` : ''}</td><td>${escapeHtml(a.purposes.join(', '))}</td><td>${escapeHtml(
              a.hosts.join(', '),
            )}</td><td>${
              a.action === 'configure'
                ? `add <code>"${escapeHtml(a.vendor ?? '')}"</code> to <code>vendors</code>`
                : 'no allparty adapter yet: remove the tag, or ask for an adapter'
            }</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p>None.</p>'
}
</section>`;

  const pages = report.pages.map((p, i) => renderPage(p, i, img)).join('\n');
  const t = report.totals;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>allparty-scan report — ${report.pass ? 'pass' : 'FAIL'}</title>
<style>${CSS}</style>
</head>
<body>
<header class="${report.pass ? 'pass' : 'fail'}">
<h1>allparty-scan: ${report.pass ? 'no vendor fired too early' : `${t.findings} finding${t.findings === 1 ? '' : 's'}${t.errors ? `, ${t.errors} error${t.errors === 1 ? '' : 's'}` : ''}`}</h1>
<p>${t.pages} page${t.pages === 1 ? '' : 's'} × ${stateIds.length} state${stateIds.length === 1 ? '' : 's'} · ${t.requests} third-party requests · ${escapeHtml(report.startedAt)} → ${escapeHtml(report.finishedAt)} · ${escapeHtml(report.browser.executable)} ${escapeHtml(report.browser.version)}${report.options.standIns ? ' · vendors played by local stand-ins' : ''}</p>
</header>
<main>
<section><h2>Pages and states</h2>
<p>A finding is a request to a replay, chat, analytics or advertising host in states 1–3 (new visitor, after “Reject all”, with Global Privacy Control).</p>
${matrix}</section>
${suggestions}
${pages}
</main>
</body>
</html>
`;
}

function renderPage(p: PageResult, i: number, img: (rel: string | null, alt: string) => string): string {
  return `<section id="page-${i + 1}" class="page"><h2>${escapeHtml(p.url)}</h2>
<p>${p.allparty ? `allparty config found; vendors configured: ${escapeHtml(p.configuredVendors.join(', ') || 'none')}` : 'No allparty config on this page.'}</p>
${p.states.map((s) => renderState(s, i, img)).join('\n')}
</section>`;
}

function renderState(
  s: StateResult,
  pageIndex: number,
  img: (rel: string | null, alt: string) => string,
): string {
  const control = s.control
    ? `<p>Control <code>${escapeHtml(s.control.selector)}</code>: ${
        s.control.clicked
          ? `clicked at ${s.control.t} ms`
          : s.control.found
            ? 'found, not clicked'
            : 'not found'
      }</p>`
    : '';
  const findings = s.findings.length
    ? `<h4>Findings</h4><ol class="findings">${s.findings.map((f) => renderFinding(f, img)).join('')}</ol>`
    : '';
  const shots = s.screenshots.length
    ? `<h4>Page</h4><div class="shots">${s.screenshots
        .map(
          (x) =>
            `<figure>${img(x.path, `page ${pageIndex + 1}, ${s.id}, ${x.phase}`)}<figcaption>${escapeHtml(x.phase)}</figcaption></figure>`,
        )
        .join('')}</div>`
    : '';
  const requests = s.requests.length
    ? `<details><summary>${s.requests.length} third-party request${s.requests.length === 1 ? '' : 's'}</summary><table><thead><tr><th>t (ms)</th><th>phase</th><th>type</th><th>host</th><th>vendor / who</th><th>purposes</th><th>initiator</th></tr></thead><tbody>${s.requests
        .map(renderRequest)
        .join('')}</tbody></table></details>`
    : '<p>No third-party requests.</p>';
  const held = s.held.length
    ? `<details><summary>${s.held.length} request${s.held.length === 1 ? '' : 's'} held by the page's guard</summary><ul>${s.held
        .map(
          (h) =>
            `<li>${escapeHtml(h.host)} (${escapeHtml(h.vendor ?? 'unregistered')}, via ${escapeHtml(h.via)}, ${h.t} ms, ${escapeHtml(h.phase)})</li>`,
        )
        .join('')}</ul></details>`
    : '';
  const stored =
    s.cookies.length || s.storage.length
      ? `<details><summary>${s.cookies.length} cookie${s.cookies.length === 1 ? '' : 's'}, ${s.storage.length} storage key${s.storage.length === 1 ? '' : 's'} written</summary><ul>${s.cookies
          .map(
            (c) =>
              `<li>cookie <code>${escapeHtml(c.name)}</code> on ${escapeHtml(c.domain)} (${escapeHtml(c.phase)})${c.vendor ? ` — ${escapeHtml(c.vendor)}` : ''}</li>`,
          )
          .join('')}${s.storage
          .map(
            (k) =>
              `<li>${k.storage}Storage <code>${escapeHtml(k.key)}</code> on ${escapeHtml(k.origin)} (${escapeHtml(k.phase)})${k.vendor ? ` — ${escapeHtml(k.vendor)}` : ''}</li>`,
          )
          .join('')}</ul></details>`
      : '';
  return `<article class="state ${verdictClass(s)}"><h3>${escapeHtml(s.label)} — ${escapeHtml(verdict(s))}</h3>
${s.error ? `<p class="error">Error: ${escapeHtml(s.error)}</p>` : ''}${control}${findings}${shots}${requests}${held}${stored}
${s.notes.length ? `<ul class="notes">${s.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}
<p class="har">HAR: ${s.har ? `<a href="${escapeHtml(s.har)}">${escapeHtml(s.har)}</a>` : 'not written'} · ${(s.durationMs / 1000).toFixed(1)} s</p>
</article>`;
}

function renderFinding(f: Finding, img: (rel: string | null, alt: string) => string): string {
  return `<li><p><b>${escapeHtml(f.name ?? f.host)}</b>${f.vendor ? ` (<code>${escapeHtml(f.vendor)}</code>)` : ''} — ${escapeHtml(
    f.purposes.join(', ') || 'vendor',
  )} — ${escapeHtml(f.phase)} at ${f.t} ms${f.sinceClick !== null ? ` (${f.sinceClick} ms after the click)` : ''}</p>
<p class="url"><code>${escapeHtml(f.url)}</code></p>
<p>Initiator chain: <code>${escapeHtml(formatChain(f.initiator))}</code></p>
${img(f.screenshot, `screenshot when ${f.host} was requested`)}</li>`;
}

function renderRequest(r: ScanRequest): string {
  const c = r.classification;
  return `<tr class="${c.tracker ? 'tracker' : ''}"><td>${r.t}</td><td>${escapeHtml(r.phase)}</td><td>${escapeHtml(r.type)}</td><td title="${escapeHtml(
    r.url,
  )}">${escapeHtml(r.host)}</td><td>${escapeHtml(c.vendor ?? c.name ?? '?')}${c.category ? ` <small>${escapeHtml(c.category)}</small>` : ''}</td><td>${escapeHtml(
    c.purposes.join(', '),
  )}</td><td><small>${escapeHtml(formatChain(r.initiator))}</small></td></tr>`;
}

function verdict(s: StateResult): string {
  if (s.error) return 'error';
  if (s.findings.length) return `FAIL (${s.findings.length})`;
  return s.id === 'accept' ? 'ok' : 'pass';
}

function verdictClass(s: StateResult): string {
  return s.error ? 'error' : s.findings.length ? 'fail' : 'pass';
}

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{padding:16px 24px;color:#fff}header.pass{background:#1d6b3a}header.fail{background:#a4262c}
header h1{margin:0 0 4px;font-size:20px}header p{margin:0;opacity:.9}
main{padding:8px 24px 48px;max-width:1200px}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.pass{background:#e6f4ea}td.fail{background:#fde7e9;font-weight:600}td.error{background:#fff4ce}
.state{border:1px solid #ddd;border-left:6px solid #1d6b3a;background:#fff;padding:8px 16px;margin:12px 0}
.state.fail{border-left-color:#a4262c}.state.error{border-left-color:#c19c00}
.state h3{margin:4px 0 8px;font-size:16px}
.findings li{margin-bottom:12px}.url code{word-break:break-all}
img{max-width:100%;height:auto;border:1px solid #ccc;display:block;margin:4px 0}
.shots{display:flex;gap:12px;flex-wrap:wrap}.shots figure{margin:0;flex:1 1 300px}
tr.tracker td{background:#fff6f6}pre{background:#f4f4f4;padding:8px;overflow:auto}
.error{color:#8a6d00}.notes{color:#555}.har{color:#555;font-size:12px}
`;
