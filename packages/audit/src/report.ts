/**
 * `report`: one self-contained HTML file — no script, no fetch, no font or image from anywhere —
 * with charts drawn by Observable Plot against a server-side DOM (linkedom) into static SVG.
 */
import { escapeHtml as esc } from '@allparty/core';
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { AuditStats } from './stats';
import { delayBinLabels } from './stats';
import type { AuditVerifyReport } from './verify';

/** Options for {@link renderReport}. */
export interface ReportOptions {
  /** What the report is over (a file name, a database). */
  source: string;
  /** @default Date.now */
  now?: () => number;
  /** A verification result to show, when the report was made with one. */
  verify?: AuditVerifyReport | null;
  /** The time range asked for (ISO), if any. */
  range?: { from: string | null; to: string | null };
}

const EVENTS = ['given', 'partial', 'refused', 'withdrawn', 'expired', 'chat-start', 'gpc-applied'];
const EVENT_COLORS = ['#2f9e44', '#94d82d', '#e8590c', '#c92a2a', '#868e96', '#1971c2', '#7048e8'];

const num = (n: number) => n.toLocaleString('en-US');
const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)}%` : '–');
const date = (day: string) => new Date(`${day}T00:00:00Z`);

type Doc = ReturnType<typeof parseHTML>['document'];

function chart(doc: Doc, options: Plot.PlotOptions): string {
  const el = Plot.plot({ ...options, document: doc as unknown as Document });
  return (el as unknown as { outerHTML: string }).outerHTML;
}

/** The charts, each as static SVG (with its legend) markup. */
export function reportCharts(s: AuditStats): Record<string, string | null> {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const present = new Set(s.byEvent.map(([e]) => e));
  const events = [
    ...EVENTS.filter((e) => present.has(e)),
    ...[...present].filter((e) => !EVENTS.includes(e)),
  ];
  const eventColor = {
    domain: events,
    range: events.map((e, i) => EVENT_COLORS[EVENTS.indexOf(e)] ?? EVENT_COLORS[i % EVENT_COLORS.length]!),
    legend: true,
  };
  const rates = s.purposeDays.map((d) => ({
    date: date(d.day),
    purpose: d.purpose,
    rate: d.decided ? d.granted / d.decided : 0,
    decided: d.decided,
  }));
  const smooth = s.byDay.length > 14;
  const volume = s.byDay.map(([day, count]) => ({ date: date(day), count }));
  const methods = s.methodEvents;
  const regions = s.jurisdictionEvents;
  const bins = delayBinLabels();
  const violationsByDay = s.violations.byDay.map((v) => ({ ...v, date: date(v.day) }));
  return {
    volume: volume.length
      ? chart(document, {
          width: 960,
          height: 220,
          marginLeft: 60,
          x: { type: 'utc', label: null },
          y: { grid: true, label: 'records per day' },
          marks: [
            Plot.rectY(volume, { x: 'date', y: 'count', interval: 'day', fill: '#4263eb' }),
            Plot.ruleY([0]),
          ],
        })
      : null,
    rates: rates.length
      ? chart(document, {
          width: 960,
          height: 320,
          marginLeft: 60,
          x: { type: 'utc', label: null },
          y: {
            domain: [0, 100],
            grid: true,
            percent: true,
            label: 'granted (% of decisions on the purpose)',
          },
          color: { legend: true, scheme: 'tableau10' },
          marks: [
            Plot.ruleY([0]),
            // Daily points, and over longer spans a centered 7-day mean so the trend reads.
            Plot.dot(rates, { x: 'date', y: 'rate', fill: 'purpose', r: 2, fillOpacity: smooth ? 0.35 : 1 }),
            smooth
              ? Plot.lineY(
                  rates,
                  Plot.windowY(
                    { k: 7 },
                    { x: 'date', y: 'rate', z: 'purpose', stroke: 'purpose', strokeWidth: 2 },
                  ),
                )
              : Plot.lineY(rates, { x: 'date', y: 'rate', z: 'purpose', stroke: 'purpose', strokeWidth: 2 }),
          ],
        })
      : null,
    methods: methods.length
      ? chart(document, {
          width: 960,
          height: Math.max(140, 34 * new Set(methods.map((m) => m.method)).size + 60),
          marginLeft: 190,
          x: { grid: true, label: 'decisions' },
          y: { label: null },
          color: eventColor,
          marks: [
            Plot.barX(methods, { y: 'method', x: 'count', fill: 'event', sort: { y: '-x' } }),
            Plot.ruleX([0]),
          ],
        })
      : null,
    jurisdictions: regions.length
      ? chart(document, {
          width: 960,
          height: Math.max(140, 28 * new Set(regions.map((r) => r.region)).size + 60),
          marginLeft: 120,
          x: { grid: true, label: 'decisions' },
          y: { label: null },
          color: eventColor,
          marks: [
            Plot.barX(regions, { y: 'region', x: 'count', fill: 'event', sort: { y: '-x' } }),
            Plot.ruleX([0]),
          ],
        })
      : null,
    delays: s.delays.count
      ? chart(document, {
          width: 960,
          height: 260,
          marginLeft: 60,
          x: { domain: bins, label: 'from release under a consent to the vendor’s first request' },
          y: { grid: true, label: 'vendor loads' },
          marks: [Plot.barY(s.delays.bins, { x: 'bin', y: 'count', fill: '#1971c2' }), Plot.ruleY([0])],
        })
      : null,
    vendorDelays: s.vendorDelays.length
      ? chart(document, {
          width: 960,
          height: Math.max(120, 26 * s.vendorDelays.length + 50),
          marginLeft: 160,
          x: { grid: true, label: 'median ms from release to first request' },
          y: { label: null },
          marks: [
            Plot.barX(s.vendorDelays, { y: 'vendor', x: 'median', fill: '#1971c2', sort: { y: '-x' } }),
            Plot.ruleX([0]),
          ],
        })
      : null,
    violations: violationsByDay.length
      ? chart(document, {
          width: 960,
          height: 240,
          marginLeft: 60,
          x: { type: 'utc', label: null },
          y: { grid: true, label: 'violations per day' },
          color: { legend: true, scheme: 'reds' },
          marks: [
            Plot.rectY(violationsByDay, { x: 'date', y: 'count', fill: 'vendor', interval: 'day' }),
            Plot.ruleY([0]),
          ],
        })
      : null,
  };
}

function verifySection(v: AuditVerifyReport | null | undefined): string {
  if (!v)
    return '<p class="muted">Not verified in this run: make the report with <code>--verify</code>, or run <code>allparty-audit verify</code>.</p>';
  const status = v.ok
    ? `<p class="ok">✓ Intact: positions ${num(v.from)}–${num(Math.max(v.from, v.size - 1))} recomputed; ${num(v.checkpointsValid)} of ${num(v.checkpoints)} signed checkpoints verified, ${num(v.consistencyChecked)} consistency proofs checked.</p>`
    : `<p class="bad">✗ NOT intact — first bad position ${v.firstBad ? num(v.firstBad.position) : '?'}: ${esc(v.firstBad?.problem ?? '')}</p>`;
  return `${status}<p class="muted">Key ${esc(v.keyId)} · ${esc(v.fingerprint)}</p>${v.notes.map((n) => `<p class="muted">${esc(n)}</p>`).join('')}`;
}

/** Renders the report. */
export function renderReport(s: AuditStats, options: ReportOptions): string {
  const c = reportCharts(s);
  const generated = new Date((options.now ?? Date.now)()).toISOString();
  const span =
    s.first !== null && s.last !== null
      ? `${new Date(s.first).toISOString().slice(0, 10)} – ${new Date(s.last).toISOString().slice(0, 10)}`
      : 'no records';
  const fig = (html: string | null, empty: string) =>
    html ? `<div class="chart">${html}</div>` : `<p class="muted">${esc(empty)}</p>`;
  const table = (head: string[], rows: string[][]) =>
    `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
      .map((r) => `<tr>${r.map((x) => `<td>${x}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;
  const violationRows = s.violations.latest
    .slice(0, 50)
    .map((v) => [
      esc(v.day),
      `<code>${esc(v.record)}</code>`,
      `<code>${esc(v.subject)}</code>`,
      esc(v.vendor),
      esc(v.host),
      esc(v.via),
      `+${esc(String(v.t))} ms`,
    ]);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>allparty consent log report</title>
<style>
:root{color-scheme:light}
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
header,main{max-width:1000px;margin:0 auto;padding:1rem 1.5rem}
header{padding-top:2rem}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem}
.muted{color:#5c636a}.ok{color:#2b8a3e;font-weight:600}.bad{color:#c92a2a;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:.75rem;margin:1rem 0}
.card{background:#fff;border-radius:10px;padding:.75rem 1rem;box-shadow:0 1px 2px rgba(0,0,0,.1)}
.card b{display:block;font-size:1.4rem}.card.alert b{color:#c92a2a}
section{background:#fff;border-radius:10px;padding:1rem 1.25rem;margin:1rem 0;box-shadow:0 1px 2px rgba(0,0,0,.1)}
.chart{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e9ecef}
code{font-size:.8rem}
</style>
</head>
<body>
<header>
<h1>Consent log report</h1>
<p class="muted">${esc(options.source)} · generated ${esc(generated)}${options.range && (options.range.from || options.range.to) ? ` · decisions from ${esc(options.range.from ?? 'the start')} to ${esc(options.range.to ?? 'the end')}` : ''}</p>
<div class="cards">
<div class="card">records<b>${num(s.records)}</b>${esc(span)}</div>
<div class="card">Global Privacy Control<b>${pct(s.gpc, s.records)}</b>${num(s.gpc)} records with GPC on</div>
${s.byPurpose
  .slice(0, 3)
  .map(
    (p) =>
      `<div class="card">${esc(p.purpose)} granted<b>${pct(p.granted, p.decided)}</b>of ${num(p.decided)} decisions</div>`,
  )
  .join('\n')}
<div class="card${s.violations.entries ? ' alert' : ''}">violations<b>${num(s.violations.entries)}</b>in ${num(s.violations.records)} records</div>
</div>
</header>
<main>
<section><h2>Integrity</h2>${verifySection(options.verify)}</section>
<section><h2>Records per day</h2>${fig(c.volume ?? null, 'No records.')}</section>
<section><h2>Consent rate per purpose over time</h2><p class="muted">Share of the day’s decisions on each purpose that granted it (UTC days; dots are days, lines a 7-day mean when the log spans more than two weeks).</p>${fig(c.rates ?? null, 'No purpose decisions.')}</section>
<section><h2>Decisions by method</h2>${fig(c.methods ?? null, 'No decisions.')}</section>
<section><h2>Decisions by jurisdiction</h2>${fig(c.jurisdictions ?? null, 'No decisions.')}</section>
<section><h2>Time from consent to first vendor load</h2><p class="muted">From a vendor’s release under a consent record to its first request, in the same page view (from the load ledger${s.delays.median !== null ? `; median ${num(s.delays.median)} ms over ${num(s.delays.count)} loads` : ''}).</p>${fig(c.delays ?? null, 'No vendor loads in the ledger.')}${c.vendorDelays ? `<div class="chart">${c.vendorDelays}</div>` : ''}</section>
<section><h2>Violations</h2><p class="muted">Requests to a vendor host that the guard saw with no earlier grant (load ledger kind <code>violation</code>).</p>${fig(c.violations ?? null, 'No violations in the load ledger.')}${violationRows.length ? table(['day', 'reported with record', 'subject', 'vendor', 'host', 'via', 'page time'], violationRows) : ''}</section>
<section><h2>Counts</h2>${table(
    ['decision', 'records', 'share'],
    s.byEvent.map(([k, n]) => [esc(k), num(n), pct(n, s.records)]),
  )}<br>${table(
    ['purpose', 'granted', 'decided', 'rate'],
    s.byPurpose.map((p) => [esc(p.purpose), num(p.granted), num(p.decided), pct(p.granted, p.decided)]),
  )}</section>
<p class="muted">Made by allparty-audit. Product reasoning, not legal advice.</p>
</main>
</body>
</html>
`;
}
