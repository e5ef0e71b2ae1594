/** Terminal output: progress while the scan runs, and the summary at the end. */
import { formatChain } from './initiator';
import type { ProgressEvent } from './scan';
import type { ScanReport, StateResult } from './types';

export interface Style {
  ok(s: string): string;
  bad(s: string): string;
  dim(s: string): string;
}

export function style(color: boolean): Style {
  const wrap = (code: number) => (s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { ok: wrap(32), bad: wrap(31), dim: wrap(2) };
}

export function progressPrinter(write: (s: string) => void, st: Style): (e: ProgressEvent) => void {
  return (e) => {
    if (e.type === 'start')
      write(
        `allparty-scan: ${e.pages} page${e.pages === 1 ? '' : 's'} × ${e.states.length} state${e.states.length === 1 ? '' : 's'} (${e.states.join(', ')}) · ${e.browser}\n`,
      );
    else if (e.type === 'page') write(`\n[${e.index + 1}/${e.total}] ${e.url}\n`);
    else write(`${stateLine(e.result, st)}\n`);
  };
}

function stateLine(s: StateResult, st: Style): string {
  const tag = s.error
    ? st.bad('ERROR')
    : s.findings.length
      ? st.bad('FAIL ')
      : st.ok(s.id === 'accept' ? 'OK   ' : 'PASS ');
  const trackers = s.requests.filter((r) => r.classification.tracker).length;
  let line = `  ${tag} ${s.label.padEnd(32)} ${String(s.requests.length).padStart(3)} third-party requests, ${trackers} to trackers, ${s.findings.length} finding${s.findings.length === 1 ? '' : 's'} ${st.dim(`(${(s.durationMs / 1000).toFixed(1)} s)`)}`;
  if (s.error) line += `\n        ${st.bad(s.error)}`;
  const hosts = new Map<string, StateResult['findings'][number]>();
  for (const f of s.findings) if (!hosts.has(f.host)) hosts.set(f.host, f);
  for (const f of hosts.values())
    line += `\n        ${st.bad('✗')} ${f.host} (${f.vendor ?? f.name ?? 'vendor'}: ${f.purposes.join(', ')}) at ${f.t} ms ${f.phase}\n          ${st.dim(formatChain(f.initiator))}`;
  for (const n of s.notes) if (!n.endsWith('(not listed)')) line += `\n        ${st.dim(`· ${n}`)}`;
  return line;
}

export function summaryText(report: ScanReport, outDir: string, st: Style): string {
  const t = report.totals;
  const lines: string[] = ['', 'Summary'];
  const ids = report.options.states;
  const width = Math.min(60, Math.max(4, ...report.pages.map((p) => p.url.length)));
  lines.push(`  ${'page'.padEnd(width)}  ${ids.map((id) => id.padEnd(11)).join(' ')}`);
  for (const p of report.pages) {
    const cells = ids.map((id) => {
      const s = p.states.find((x) => x.id === id);
      const v = !s
        ? '-'
        : s.error
          ? 'error'
          : s.findings.length
            ? `FAIL(${s.findings.length})`
            : id === 'accept'
              ? 'ok'
              : 'pass';
      const padded = v.padEnd(11);
      return v.startsWith('FAIL') || v === 'error' ? st.bad(padded) : st.ok(padded);
    });
    const url = p.url.length > width ? `…${p.url.slice(-(width - 1))}` : p.url.padEnd(width);
    lines.push(`  ${url}  ${cells.join(' ')}`);
  }
  lines.push('');
  if (report.suggestions.allow.length)
    lines.push(
      `Suggested "allow" (third-party hosts that are not trackers; review unknown ones): ${JSON.stringify(
        report.suggestions.allow.map((a) => a.host),
      )}`,
    );
  for (const a of report.suggestions.adapters)
    lines.push(
      a.action === 'configure'
        ? `Adapter to configure: "${a.vendor}" (${a.name}; ${a.purposes.join(', ')}) for ${a.hosts.join(', ')}`
        : `No allparty adapter for ${a.name} (${a.purposes.join(', ')}) on ${a.hosts.join(', ')}: remove the tag or ask for an adapter`,
    );
  lines.push(`Reports: ${outDir}/report.json, ${outDir}/report.html, HARs in ${outDir}/har/`);
  const verdict = report.pass
    ? st.ok(
        `PASS: no replay, chat, analytics or advertising request before consent (${t.pages} pages, ${t.states} states)`,
      )
    : st.bad(
        `FAIL: ${t.findings} finding${t.findings === 1 ? '' : 's'}${t.errors ? `, ${t.errors} state${t.errors === 1 ? '' : 's'} with errors` : ''} (${t.pages} pages, ${t.states} states)`,
      );
  lines.push(verdict, '');
  return lines.join('\n');
}
