// The output of bench/page-cost.mjs: medians per scenario and variant, a table with ratios
// against cookieconsent and the bare page (the raw snippet for vendor requests) of the same
// run, which element each LCP was, and the JSON for machines.
import { VARIANTS } from './pages.mjs';

const SCENARIOS = { first: 'first visit', return: 'return, cold cache', warm: 'return, warm cache' };
const METRICS = ['fcp', 'lcp', 'banner', 'cls', 'vendor', 'bytes', 'toolBytes'];

export const median = (values) => {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

/** Medians of every metric: `medians[scenario][variant][metric]`. */
export function mediansOf(samples) {
  const medians = {};
  for (const scenario of Object.keys(SCENARIOS))
    for (const v of Object.keys(VARIANTS)) {
      const mine = samples.filter((s) => s.scenario === scenario && s.variant === v);
      if (!mine.length) continue;
      medians[scenario] ??= {};
      medians[scenario][v] = Object.fromEntries(METRICS.map((m) => [m, median(mine.map((s) => s[m]))]));
    }
  return medians;
}

const ms = (x) => (x === null ? '–' : `${Math.round(x).toLocaleString('en-US')} ms`);
const kb = (x) => (x === null ? '–' : `${(x / 1000).toFixed(1)} kB`);
const cls = (x) => (x === null ? '–' : x.toFixed(3));
const ratio = (a, b) => (a === null || b === null || b === 0 ? '' : `${(a / b).toFixed(2)}×`);
/** [label, scenario, metric, format, baseline of the second ratio] */
const ROWS = [
  ['first visit: FCP', 'first', 'fcp', ms, 'bare'],
  ['first visit: LCP (page content)', 'first', 'lcp', ms, 'bare'],
  ['first visit: banner visible', 'first', 'banner', ms, null],
  ['first visit: CLS', 'first', 'cls', cls, null],
  ['first visit: bytes, tool', 'first', 'toolBytes', kb, null],
  ['first visit: bytes, all', 'first', 'bytes', kb, 'bare'],
  ['return, cold cache: FCP', 'return', 'fcp', ms, 'bare'],
  ['return, cold cache: LCP (page content)', 'return', 'lcp', ms, 'bare'],
  ['return, cold cache: CLS', 'return', 'cls', cls, null],
  ['return, cold cache: first vendor request', 'return', 'vendor', ms, 'raw'],
  ['return, cold cache: bytes, tool', 'return', 'toolBytes', kb, null],
  ['return, cold cache: bytes, all', 'return', 'bytes', kb, 'raw'],
  ['return, warm cache: FCP', 'warm', 'fcp', ms, 'bare'],
  ['return, warm cache: LCP (page content)', 'warm', 'lcp', ms, 'bare'],
  ['return, warm cache: CLS', 'warm', 'cls', cls, null],
  ['return, warm cache: first vendor request', 'warm', 'vendor', ms, 'raw'],
  ['return, warm cache: bytes from the network, all', 'warm', 'bytes', kb, 'raw'],
];
const COLUMNS = ['bare', 'raw', 'cookieconsent', 'allparty', 'allparty-site'];

/** The table and the notes under it, as lines. */
export function tableOf({ runs, throttling, siteBuild, siteBuildDir, samples }) {
  const medians = mediansOf(samples);
  const cell = ([, scenario, metric, format, base], v) => {
    if (v === 'allparty-site' && !siteBuild) return 'n/a (no per-site build)';
    const mine = medians[scenario]?.[v];
    if (!mine) return '';
    const value = mine[metric];
    let text = format(value);
    if (v.startsWith('allparty') && value !== null) {
      const cc = medians[scenario].cookieconsent?.[metric] ?? null;
      const baseline = base ? (medians[scenario][base]?.[metric] ?? null) : null;
      const ratios = [
        ratio(value, cc) && `${ratio(value, cc)} cc`,
        ratio(value, baseline) && `${ratio(value, baseline)} ${VARIANTS[base].label}`,
      ].filter(Boolean);
      if (ratios.length) text += ` (${ratios.join(', ')})`;
    }
    return text;
  };
  const table = [
    ['', ...COLUMNS.map((v) => VARIANTS[v].label)],
    ...ROWS.map((row) => [row[0], ...COLUMNS.map((v) => cell(row, v))]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  const lines = [
    `page cost: medians of ${runs} runs, rotating order, one Chromium; CDP throttling ${throttling.latency} ms RTT, ` +
      `1.6 Mbit/s down, 750 kbit/s up, CPU ${throttling.cpuSlowdown}x; ratios against cookieconsent and the bare page ` +
      '(the raw snippet for vendor requests and return-visit bytes) of the same run. Times from navigation start.',
    'A shared machine: read the ratios, not the milliseconds.',
  ];
  for (const [i, r] of table.entries()) {
    lines.push(r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  '));
    if (i === 0) lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  }

  // Which element the page's LCP was, and whether the browser's own LCP was the banner.
  for (const scenario of Object.keys(SCENARIOS))
    for (const v of COLUMNS) {
      const mine = samples.filter((s) => s.scenario === scenario && s.variant === v);
      if (!mine.length) continue;
      const counts = new Map();
      for (const s of mine) counts.set(s.lcpElement, (counts.get(s.lcpElement) ?? 0) + 1);
      const elements = [...counts].map(([el, n]) => `${el} ${n}/${mine.length}`).join('; ');
      const banner = mine.filter((s) => s.browserLcpIsBanner).length;
      const vendor = mine.find((s) => s.firstVendor)?.firstVendor;
      lines.push(
        `${SCENARIOS[scenario]}, ${VARIANTS[v].label}: LCP element ${elements}` +
          (VARIANTS[v].banner ? `; the browser's own LCP was the banner in ${banner}/${mine.length}` : '') +
          (scenario !== 'first' && vendor ? `; first vendor request ${vendor}` : ''),
      );
    }
  const leaks = samples.filter(
    (s) => s.scenario === 'first' && VARIANTS[s.variant].banner && s.vendorRequests,
  );
  if (leaks.length)
    lines.push(
      `warning: ${leaks.length} first visits with a consent tool sent vendor requests before any consent`,
    );
  if (!siteBuild)
    lines.push(
      `per-site: n/a (no per-site build in ${siteBuildDir}/; build one from the demo's config with ` +
        `\`allparty build --config .cache/page-cost/site.json --out ${siteBuildDir}/\`)`,
    );
  return lines;
}
