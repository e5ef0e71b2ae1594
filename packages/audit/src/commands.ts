/**
 * The `allparty-audit` commands, callable in-process: `runAudit(argv, io)` returns the exit code
 * (0 intact / done, 1 verification failed, 2 wrong usage or an error).
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type Checkpoint,
  fetchWitnessCheckpoint,
  publicKeyFromPem,
  readTrustedCheckpoints,
  receiptFromStore,
  receiptHtml,
  receiptJson,
  verifyReceipt,
} from '@allparty/ledger';
import { exportBundle, verifyBundle } from './bundle';
import { exportRecords, type Sink } from './export';
import { progressBar } from './progress';
import { renderReport } from './report';
import { buildTimeline, formatTimeline, paint } from './show';
import { type AuditSource, openSource } from './source';
import { collectStats, formatStats } from './stats';
import { iso, parseTime, UsageError } from './util';
import { type AuditVerifyReport, verifyStore } from './verify';

/** Where the CLI writes, and what it knows about its terminal. */
export interface AuditIo {
  /** Standard output; resolves once the text is accepted (for large exports). */
  stdout(text: string): Promise<void> | void;
  stderr(text: string): void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Terminal width for the progress bar. */
  columns?: number;
  env: Record<string, string | undefined>;
}

export const USAGE = `allparty-audit — check a consent log, prove what a visitor agreed to, and report on it

usage: allparty-audit <command> [SOURCE] [arguments] [options]

SOURCE is a SQLite ledger file, a server data folder (holding ledger.sqlite), a
postgres:// URL, or a bundle folder written by \`export --bundle\`. Default:
$ALLPARTY_AUDIT_LOG, else ./allparty-data.

commands:
  verify [SOURCE]                    recompute the Merkle tree, check every signed checkpoint and the
                                     consistency between them; exit 0 only when intact
  show [SOURCE] SUBJECT|RECORD-ID    one visitor's timeline: decisions, notice texts, vendor loads
  export [SOURCE]                    records and notice texts as JSONL or CSV (--bundle DIR: a bundle
                                     for counsel that verifies on its own)
  stats [SOURCE]                     counts by day, decision, method, purpose, jurisdiction; GPC; violations
  report [SOURCE] --out FILE.html    one self-contained HTML report with charts
  receipt [SOURCE] RECORD-ID         a receipt for the visitor, with its inclusion proof (--html, --out)
  verify-receipt FILE                check a receipt (JSON or HTML) without trusting the site

options:
  --public-key FILE   the log's Ed25519 public key, pinned (SPKI PEM). Without it: derived from
                      checkpoint-key.pem beside a SQLite file, or the bundle's own key (with a warning)
  --key-file FILE     derive the public key from the server's private key file
  --origin NAME       the log's name, pinned with the key (verify)
  --trusted-checkpoint FILE   verify: a checkpoint kept from outside the log (a witness's file, or
                      GET /v1/checkpoints/latest saved at an earlier audit); the log must extend it
  --witness URL       verify: fetch the newest checkpoint a witness holds and use it as trusted
  --max-unsigned-seconds N    verify: fail when sealed records went unsigned longer (default 600)
  --schema NAME       PostgreSQL schema (default allparty)
  --from TIME --to TIME   decision time range, ISO 8601 or ms (export, stats, report)
  --format jsonl|csv  export format (default jsonl)
  --out FILE          write to FILE instead of standard output
  --bundle DIR        export: write a verifiable bundle into DIR
  --verify            report: verify the log first and show the result
  --html              receipt: an HTML page with the receipt JSON embedded
  --fingerprint FP    verify-receipt: the key fingerprint the site publishes
  --json              machine-readable output (verify, show, stats, verify-receipt)
  --progress / --no-progress   progress bar on stderr (default: when stderr is a terminal)
  --color / --no-color         ANSI colors (default: when stdout is a terminal and NO_COLOR is unset)
  -h, --help
`;

const OPTIONS = {
  'public-key': { type: 'string' },
  'key-file': { type: 'string' },
  origin: { type: 'string' },
  'trusted-checkpoint': { type: 'string', multiple: true },
  witness: { type: 'string', multiple: true },
  'max-unsigned-seconds': { type: 'string' },
  schema: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  bundle: { type: 'string' },
  verify: { type: 'boolean' },
  html: { type: 'boolean' },
  fingerprint: { type: 'string' },
  json: { type: 'boolean' },
  progress: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** The pinned public key, and how it was found. */
export interface ResolvedKey {
  key: KeyObject;
  how: string;
  /** False when the key came with the data it is meant to check (a bundle's own key). */
  pinned: boolean;
}

function resolveKey(values: Values, source: AuditSource | null): ResolvedKey {
  if (values['public-key'])
    return {
      key: publicKeyFromPem(readFileSync(values['public-key'], 'utf8')),
      how: `pinned with --public-key ${values['public-key']}`,
      pinned: true,
    };
  const fromPrivate = (path: string) => {
    const key = createPublicKey(createPrivateKey(readFileSync(path)));
    if (key.asymmetricKeyType !== 'ed25519') throw new UsageError(`${path} is not an Ed25519 key`);
    return key;
  };
  if (values['key-file'])
    return {
      key: fromPrivate(values['key-file']),
      how: `derived from the key file ${values['key-file']}`,
      pinned: true,
    };
  if (source?.keyHint?.kind === 'private')
    return {
      key: fromPrivate(source.keyHint.path),
      how: `derived from the server's key file ${source.keyHint.path} (pin the published key with --public-key)`,
      pinned: true,
    };
  if (source?.keyHint?.kind === 'public')
    return {
      key: publicKeyFromPem(readFileSync(source.keyHint.path, 'utf8')),
      how: `taken from the bundle itself (${source.keyHint.path}): compare its fingerprint with the one the site publishes, or pass --public-key`,
      pinned: false,
    };
  throw new UsageError(
    "pin the log's public key with --public-key FILE (or --key-file for the server's own key)",
  );
}

/** Checkpoints the auditor holds from outside the log: files, then witnesses. */
async function trustedCheckpoints(values: Values): Promise<Checkpoint[]> {
  const out: Checkpoint[] = [];
  for (const file of values['trusted-checkpoint'] ?? []) {
    if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
    try {
      out.push(...readTrustedCheckpoints(readFileSync(file, 'utf8')));
    } catch (error) {
      throw new UsageError(`${file}: ${(error as Error).message}`);
    }
  }
  for (const url of values.witness ?? []) {
    try {
      out.push(await fetchWitnessCheckpoint(url));
    } catch (error) {
      throw new UsageError(`witness ${url}: ${(error as Error).message}`);
    }
  }
  return out;
}

function maxUnsigned(values: Values): number | undefined {
  const v = values['max-unsigned-seconds'];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError('--max-unsigned-seconds is a number of seconds');
  return n * 1000;
}

function range(values: Values): { from?: number; to?: number } {
  return {
    ...(values.from ? { from: parseTime(values.from, '--from') } : {}),
    ...(values.to ? { to: parseTime(values.to, '--to') } : {}),
  };
}

/** A sink to a file (with back-pressure) or to the CLI's stdout. */
function sinkFor(out: string | undefined, io: AuditIo): { sink: Sink; close(): Promise<void> } {
  if (!out) return { sink: (s) => io.stdout(s), close: async () => {} };
  const stream = createWriteStream(out);
  return {
    sink: (s) =>
      new Promise<void>((resolve, reject) => {
        stream.write(s, (error) => (error ? reject(error) : resolve()));
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Text for a verification report. */
export function formatVerify(r: AuditVerifyReport, label: string, keyHow: string): string {
  const L = [
    `source       ${label}`,
    `key          ${r.keyId} (${r.fingerprint}), ${keyHow}`,
    `records      positions ${r.from}–${Math.max(r.from, r.size - 1)} recomputed (${(r.size - r.from).toLocaleString('en-US')} records), root ${r.root}`,
    `checkpoints  ${r.checkpointsValid} of ${r.checkpoints} signatures valid, ${r.checkpointsMatched} roots recomputed and matched, ${r.consistencyChecked} consistency proofs checked`,
    ...(r.latest
      ? [`latest       size ${r.latest.size}, signed ${r.latest.time} by "${r.latest.origin}"`]
      : []),
    ...r.notes.map((n) => `note         ${n}`),
  ];
  if (r.ok) L.push('', 'INTACT: every record matches what was sealed and signed.');
  else {
    L.push('', `NOT INTACT: first bad position ${r.firstBad?.position}: ${r.firstBad?.problem}`);
    if (r.problems.length > 1) {
      L.push(`${r.problems.length} problems:`);
      for (const p of r.problems) L.push(`  position ${p.position}: ${p.problem}`);
    }
  }
  return `${L.join('\n')}\n`;
}

/** Runs one command; returns the exit code. */
export async function runAudit(argv: readonly string[], io: AuditIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`allparty-audit: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || !command || command === 'help') {
    io.stderr(USAGE);
    return command || values.help ? 0 : 2;
  }
  const progressOn = values['no-progress'] ? false : values.progress === true || io.stderrIsTTY;
  const progress = (label: string) =>
    progressBar(
      label,
      { write: (s) => io.stderr(s), ...(io.columns ? { columns: io.columns } : {}) },
      progressOn,
    );
  const defaultSource = io.env.ALLPARTY_AUDIT_LOG ?? './allparty-data';
  /** SOURCE then one argument, or just the argument with the default source. */
  const sourceAnd = (name: string): [string, string] => {
    if (args.length === 2) return [args[0]!, args[1]!];
    if (args.length === 1) return [defaultSource, args[0]!];
    throw new UsageError(`${command} needs ${name}`);
  };
  const sourceOnly = (): string => {
    if (args.length > 1) throw new UsageError(`${command} takes one SOURCE, not ${args.length} arguments`);
    return args[0] ?? defaultSource;
  };
  const open = (target: string) => openSource(target, values.schema ? { schema: values.schema } : {});

  let source: AuditSource | null = null;
  try {
    switch (command) {
      case 'verify': {
        source = await open(sourceOnly());
        const key = resolveKey(values, source);
        if (!key.pinned) io.stderr(`allparty-audit: warning: the public key was ${key.how}\n`);
        const trusted = await trustedCheckpoints(values);
        if (trusted.length && source.bundle)
          throw new UsageError(
            'a bundle is anchored to its own checkpoint: compare its size and root with the trusted one',
          );
        const unsignedMs = maxUnsigned(values);
        const bar = progress('verify');
        const opts = {
          publicKey: key.key,
          ...(values.origin ? { origin: values.origin } : {}),
          onProgress: (d: number, t: number) => bar.update(d, t),
          ...(trusted.length ? { trusted } : {}),
          ...(unsignedMs !== undefined ? { maxUnsignedMs: unsignedMs } : {}),
        };
        const report = source.bundle
          ? await verifyBundle(source.bundle, opts)
          : await verifyStore(source.store, opts);
        bar.finish();
        await io.stdout(
          values.json
            ? `${JSON.stringify({ ...report, key: key.how }, null, 2)}\n`
            : formatVerify(report, source.label, key.how),
        );
        return report.ok ? 0 : 1;
      }
      case 'show': {
        const [target, who] = sourceAnd('a subject id or a record id');
        source = await open(target);
        const tl = await buildTimeline(source.store, who);
        if (values.json) await io.stdout(`${JSON.stringify(tl, null, 2)}\n`);
        else {
          const color = values['no-color']
            ? false
            : values.color === true || (io.stdoutIsTTY && io.env.NO_COLOR === undefined);
          await io.stdout(formatTimeline(tl, paint(color)));
        }
        return 0;
      }
      case 'export': {
        source = await open(sourceOnly());
        const r = range(values);
        if (values.bundle) {
          const key = resolveKey(values, source);
          const bar = progress('export');
          const result = await exportBundle(source.store, values.bundle, {
            publicKey: key.key,
            ...r,
            onProgress: (d, t) => bar.update(d, t),
          });
          bar.finish();
          const m = result.manifest;
          await io.stdout(
            `bundle written to ${values.bundle}: positions ${m.span.from}–${m.span.to - 1} (${m.inRange} records in range), ${result.notices} notice texts, anchored to the checkpoint of size ${m.treeSize}\nverify it with: allparty-audit verify ${values.bundle} --public-key <the published key>\n`,
          );
          return 0;
        }
        const format = values.format ?? 'jsonl';
        if (format !== 'jsonl' && format !== 'csv') throw new UsageError('--format is jsonl or csv');
        const out = sinkFor(values.out, io);
        const result = await exportRecords(source.store, out.sink, { format, ...r });
        await out.close();
        io.stderr(`exported ${result.records} records and ${result.notices} notice texts\n`);
        return 0;
      }
      case 'stats': {
        source = await open(sourceOnly());
        const bar = progress('stats');
        const stats = await collectStats(source.store, {
          ...range(values),
          onProgress: (d, t) => bar.update(d, t),
        });
        bar.finish();
        await io.stdout(values.json ? `${JSON.stringify(stats, null, 2)}\n` : formatStats(stats));
        return 0;
      }
      case 'report': {
        if (!values.out) throw new UsageError('report needs --out FILE.html');
        source = await open(sourceOnly());
        let verified: AuditVerifyReport | null = null;
        if (values.verify) {
          const key = resolveKey(values, source);
          const bar = progress('verify');
          const opts = { publicKey: key.key, onProgress: (d: number, t: number) => bar.update(d, t) };
          verified = source.bundle
            ? await verifyBundle(source.bundle, opts)
            : await verifyStore(source.store, opts);
          bar.finish();
        }
        const r = range(values);
        const bar = progress('report');
        const stats = await collectStats(source.store, { ...r, onProgress: (d, t) => bar.update(d, t) });
        bar.finish();
        writeFileSync(
          values.out,
          renderReport(stats, {
            source: source.label,
            verify: verified,
            range: {
              from: r.from !== undefined ? iso(r.from) : null,
              to: r.to !== undefined ? iso(r.to) : null,
            },
          }),
        );
        await io.stdout(
          `report written to ${values.out} (${stats.records.toLocaleString('en-US')} records)\n`,
        );
        return verified && !verified.ok ? 1 : 0;
      }
      case 'receipt': {
        const [target, id] = sourceAnd('a record id');
        source = await open(target);
        if (source.bundle)
          throw new UsageError('receipts are made from the log itself (SQLite or PostgreSQL), not a bundle');
        const key = resolveKey(values, source);
        const receipt = await receiptFromStore(source.store, id, { publicKey: key.key });
        const html = values.html === true || /\.html?$/i.test(values.out ?? '');
        const text = html ? receiptHtml(receipt) : receiptJson(receipt);
        if (values.out) {
          writeFileSync(values.out, text);
          await io.stdout(`receipt for record ${receipt.record.id} written to ${values.out}\n`);
        } else await io.stdout(text);
        return 0;
      }
      case 'verify-receipt': {
        if (args.length !== 1) throw new UsageError('verify-receipt needs one receipt file');
        const file = args[0]!;
        if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
        const pinned = values['public-key']
          ? publicKeyFromPem(readFileSync(values['public-key'], 'utf8'))
          : undefined;
        const check = verifyReceipt(readFileSync(file), {
          ...(pinned ? { publicKey: pinned } : {}),
          ...(values.fingerprint ? { fingerprint: values.fingerprint } : {}),
        });
        if (values.json) await io.stdout(`${JSON.stringify({ ...check, receipt: undefined }, null, 2)}\n`);
        else if (check.ok) {
          const r = check.receipt!;
          await io.stdout(
            `VALID: record ${r.record.id} is at position ${r.proof.leafIndex} of the log "${r.checkpoint.origin}" (${r.proof.treeSize} entries, signed ${r.checkpoint.time}).\nkey ${check.keyId} (${check.fingerprint})${check.pinned ? ', matches the pinned key' : ' — compare this fingerprint with the one the site publishes, or pass --public-key / --fingerprint'}\n\n${r.summary.join('\n')}\n`,
          );
        } else await io.stdout(`INVALID: ${check.problems.join('\n         ')}\n`);
        return check.ok ? 0 : 1;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`allparty-audit: ${error.message}\n`);
      return 2;
    }
    io.stderr(`allparty-audit: ${(error as Error).message}\n`);
    return 2;
  } finally {
    await source?.close();
  }
}
