/** The CLI as a function (the bin calls it; tests call it in-process). Returns the exit code. */
import { parseArgs } from 'node:util';
import { scan, VERSION } from './scan';
import { expandTargets } from './targets';
import { progressPrinter, style, summaryText } from './terminal';
import { STATE_IDS, type StateId } from './types';

export const USAGE = `allparty-scan ${VERSION}: visits pages the way a plaintiff's crawler does — as a new visitor,
after "Reject all", with Global Privacy Control, after "Accept all" — and reports every replay,
chat, analytics or advertising request made before consent.

Usage: allparty-scan <url | list-file | sitemap.xml>... [options]

Options:
  --out DIR               where report.json, report.html, HARs and screenshots go
                          (default: allparty-scan-report)
  --stand-ins             answer every request that leaves the page's origin with a local
                          stand-in instead of the network (still recorded); for tests and
                          machines without network
  --browser PATH          the Chromium to use (default: Playwright's own, else a system Chromium;
                          or set ALLPARTY_CHROMIUM)
  --reject-selector CSS   the page's own "Reject all" control (default: allparty's
                          [data-allparty-action="reject-all"])
  --accept-selector CSS   the page's own "Accept all" control
  --states LIST           comma-separated subset of ${STATE_IDS.join(',')}
  --settle MS             wait after load, after the click and after the revisit (default 2500)
  --control-timeout MS    how long to wait for the banner's control (default 8000)
  --timeout MS            navigation timeout (default 30000)
  --no-revisit            do not load the page again after the click
  --max-pages N           at most N pages from lists and sitemaps (default 50)
  --json                  print the JSON report on stdout instead of the summary
  --quiet                 no progress lines
  -h, --help              this text

Exit code: 0 no findings, 1 findings, 2 errors (a page that could not be scanned, bad usage).`;

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
  color?: boolean;
}

const defaultIo: CliIo = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
};

export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) {
    io.err(`Give at least one URL, list file or sitemap.\n\n${USAGE}\n`);
    return 2;
  }
  const states = values.states?.split(',').map((s) => s.trim()) ?? [...STATE_IDS];
  const bad = states.filter((s) => !(STATE_IDS as readonly string[]).includes(s));
  if (bad.length || states.length === 0) {
    io.err(`--states: unknown state ${bad.join(', ')} (use ${STATE_IDS.join(', ')})\n`);
    return 2;
  }
  const nums: Record<string, number | undefined> = {};
  for (const key of ['settle', 'control-timeout', 'timeout', 'max-pages'] as const) {
    const raw = values[key];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) {
      io.err(`--${key}: expected a number, got ${raw}\n`);
      return 2;
    }
    nums[key] = n;
  }
  const outDir = values.out ?? 'allparty-scan-report';
  const st = style(io.color ?? false);
  const progressOut = values.json ? io.err : io.out;
  try {
    const urls = await expandTargets(
      positionals,
      nums['max-pages'] !== undefined ? { maxPages: nums['max-pages'] } : {},
    );
    if (urls.length === 0) {
      io.err('No pages to scan (empty list or sitemap).\n');
      return 2;
    }
    const report = await scan(urls, {
      outDir,
      standIns: values['stand-ins'] ?? false,
      states: states as StateId[],
      revisit: !values['no-revisit'],
      ...(values.browser ? { browserPath: values.browser } : {}),
      ...(values['reject-selector'] ? { rejectSelector: values['reject-selector'] } : {}),
      ...(values['accept-selector'] ? { acceptSelector: values['accept-selector'] } : {}),
      ...(nums.settle !== undefined ? { settleMs: nums.settle } : {}),
      ...(nums['control-timeout'] !== undefined ? { controlTimeoutMs: nums['control-timeout'] } : {}),
      ...(nums.timeout !== undefined ? { navigationTimeoutMs: nums.timeout } : {}),
      ...(values.quiet ? {} : { onProgress: progressPrinter(progressOut, st) }),
    });
    if (values.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
    else io.out(summaryText(report, outDir, st));
    if (report.totals.findings > 0) return 1;
    return report.totals.errors > 0 ? 2 : 0;
  } catch (e) {
    io.err(`allparty-scan: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      'stand-ins': { type: 'boolean' },
      browser: { type: 'string' },
      'reject-selector': { type: 'string' },
      'accept-selector': { type: 'string' },
      states: { type: 'string' },
      settle: { type: 'string' },
      'control-timeout': { type: 'string' },
      timeout: { type: 'string' },
      'no-revisit': { type: 'boolean' },
      'max-pages': { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
