/**
 * `allparty-server`: the consent log server. With no options it keeps a SQLite file and a
 * checkpoint key in ./allparty-data and listens on 127.0.0.1:8787.
 *
 *   allparty-server [--port N] [--host H] [--data-dir DIR] [--postgres URL] [--schema NAME]
 *                   [--cors ORIGIN]... [--auditor-token T]... [--origin NAME] [--key-file FILE]
 *                   [--jurisdiction-header H]... [--cookie-name N] [--cookie-domain D] [--cookie-days N]
 *                   [--retention-days N] [--checkpoint-seconds N] [--trust-proxy HOPS|CIDR] [--prefix /consent]
 *   allparty-server verify [--data-dir DIR | --postgres URL [--schema NAME]] [--public-key FILE]
 *                          [--trusted-checkpoint FILE]... [--witness URL]... [--max-unsigned-seconds N]
 *   allparty-server witness --dir DIR --public-key FILE [--origin NAME] [--port N] [--host H]
 *
 * Secrets may come from the environment instead: ALLPARTY_DATABASE_URL, ALLPARTY_AUDITOR_TOKEN,
 * ALLPARTY_IP_HMAC_KEY.
 */

import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type Checkpoint,
  fetchWitnessCheckpoint,
  loadKeyFile,
  openPostgresStore,
  openSqliteStore,
  publicKeyFromPem,
  readTrustedCheckpoints,
  verifyLog,
} from '@allparty/ledger';
import { type ServerOptions, startServer } from './server';
import { createWitness } from './witness';

const USAGE = `allparty-server: the consent log server.

  allparty-server [options]           serve (SQLite in ./allparty-data unless --postgres)
  allparty-server verify [options]    recompute the log and check every signed checkpoint (read-only:
                                      creates nothing; SELECT rights or a read replica are enough)
  allparty-server witness [options]   keep this log's checkpoints where its operator cannot rewrite them

  --port N                  listen port (default 8787, or $PORT)
  --host H                  listen address (default 127.0.0.1)
  --data-dir DIR            SQLite file and checkpoint key (default ./allparty-data)
  --postgres URL            use PostgreSQL (or $ALLPARTY_DATABASE_URL)
  --schema NAME             PostgreSQL schema (default allparty)
  --prefix /consent         mount the API under a path
  --cors ORIGIN             a site origin allowed to post records and get receipts (repeatable)
  --auditor-token T         bearer token for auditor reads (repeatable, or $ALLPARTY_AUDITOR_TOKEN)
  --origin NAME             the log's name in signed checkpoints
  --key-file FILE           Ed25519 private key (PKCS#8 PEM), created on first run
  --public-key FILE         verify: the pinned public key (default: derived from the key file)
  --jurisdiction-header H   edge header with the visitor's country; give two for country + region
  --cookie-name N           echo the consent cookie with Set-Cookie under this name
  --cookie-domain D         ... for this domain (default: the endpoint's host)
  --cookie-days N           ... for N days (default 365)
  --retention-days N        prune records decided more than N days ago (default: keep)
  --checkpoint-seconds N    sign a checkpoint every N seconds when the log grew (default 10)
  --trust-proxy HOPS|CIDR   behind a load balancer: trust X-Forwarded-* from this many proxy hops
                            (1: the balancer's own entry) or from these addresses (repeatable)
  --witness URL             serve: send every new checkpoint to this witness (repeatable);
                            verify: the log must extend the newest checkpoint the witness holds
  --trusted-checkpoint FILE verify: a checkpoint kept from outside the log (repeatable)
  --max-unsigned-seconds N  verify: fail when sealed records went unsigned longer (default 600)
  --dir DIR                 witness: folder of its checkpoint file (create it on storage the log's
                            operator cannot write)

  $ALLPARTY_IP_HMAC_KEY     keep a keyed HMAC of each sender's IP (never the IP itself)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    postgres: { type: 'string' },
    schema: { type: 'string' },
    cors: { type: 'string', multiple: true },
    'auditor-token': { type: 'string', multiple: true },
    origin: { type: 'string' },
    'key-file': { type: 'string' },
    'public-key': { type: 'string' },
    'jurisdiction-header': { type: 'string', multiple: true },
    'cookie-name': { type: 'string' },
    'cookie-domain': { type: 'string' },
    'cookie-days': { type: 'string' },
    'retention-days': { type: 'string' },
    'checkpoint-seconds': { type: 'string' },
    'trust-proxy': { type: 'string', multiple: true },
    witness: { type: 'string', multiple: true },
    'trusted-checkpoint': { type: 'string', multiple: true },
    'max-unsigned-seconds': { type: 'string' },
    dir: { type: 'string' },
    prefix: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

function num(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`allparty-server: --${name} must be a non-negative number, got "${value}"`);
    process.exit(2);
  }
  return n;
}

/** `--trust-proxy 1` (hops) or `--trust-proxy 10.0.0.0/8 …` (addresses). */
function proxyOption(given: readonly string[]): number | string[] {
  if (given.length === 1 && /^\d+$/.test(given[0]!)) return Number(given[0]);
  if (given.some((g) => !/^[0-9a-fA-F.:/]+$/.test(g)))
    fail(`--trust-proxy takes a number of hops or proxy addresses/CIDR ranges, got "${given.join(' ')}"`);
  return [...given];
}

const dataDir = resolve(values['data-dir'] ?? 'allparty-data');
const postgres = values.postgres ?? process.env.ALLPARTY_DATABASE_URL;

/** Ends the process with a message, exit code 2 (wrong usage or nothing to verify). */
function fail(message: string): never {
  console.error(`allparty-server: ${message}`);
  process.exit(2);
}

async function verify(): Promise<void> {
  // Read-only: a missing folder, file or schema is an error, never a new empty log and key.
  const store = await (postgres
    ? openPostgresStore({
        connectionString: postgres,
        ...(values.schema ? { schema: values.schema } : {}),
        readOnly: true,
      })
    : Promise.resolve().then(() => openSqliteStore({ path: join(dataDir, 'ledger.sqlite'), readOnly: true }))
  ).catch((error: unknown) => fail((error as Error).message));
  let publicKey: KeyObject;
  try {
    publicKey = values['public-key']
      ? publicKeyFromPem(readFileSync(values['public-key'], 'utf8'))
      : loadKeyFile(values['key-file'] ?? join(dataDir, 'checkpoint-key.pem')).publicKey;
  } catch (error) {
    await store.close();
    fail(`${(error as Error).message} (pin the log's key with --public-key FILE)`);
  }
  const trusted: Checkpoint[] = [];
  try {
    for (const file of values['trusted-checkpoint'] ?? [])
      trusted.push(...readTrustedCheckpoints(readFileSync(file, 'utf8')));
    for (const url of values.witness ?? []) trusted.push(await fetchWitnessCheckpoint(url));
  } catch (error) {
    await store.close();
    fail((error as Error).message);
  }
  const maxUnsigned = num('max-unsigned-seconds', values['max-unsigned-seconds']);
  const started = performance.now();
  const report = await verifyLog(store, {
    publicKey,
    trusted,
    ...(maxUnsigned !== undefined ? { maxUnsignedMs: maxUnsigned * 1000 } : {}),
  });
  await store.close();
  const ms = Math.round(performance.now() - started);
  console.log(
    `${report.ok ? 'OK' : 'FAILED'}: ${report.size} records (pruned below ${report.prunedBelow}), ${report.checkpointsMatched} checkpoints matched, ${report.trustedMatched} of ${trusted.length} trusted checkpoints matched, root ${report.root}, ${ms} ms`,
  );
  if (trusted.length === 0)
    console.log(
      "  note: no trusted checkpoint given: checked against the log's own signatures only (pass --witness URL or --trusted-checkpoint FILE)",
    );
  if (report.unsigned)
    console.log(
      `  note: positions ${report.unsigned.from}–${report.unsigned.to - 1} are not yet covered by a signed checkpoint (first received ${report.unsigned.since ?? 'unknown'})`,
    );
  for (const p of report.checkpointProblems) console.log(`  checkpoint: ${p}`);
  if (report.firstBad)
    console.log(`  first bad position ${report.firstBad.position}: ${report.firstBad.problem}`);
  for (const p of report.problems.slice(1, 10)) console.log(`  position ${p.position}: ${p.problem}`);
  process.exit(report.ok ? 0 : 1);
}

async function witness(): Promise<void> {
  if (!values.dir || !values['public-key'])
    fail("witness needs --dir DIR (its checkpoint file) and --public-key FILE (the log's key)");
  const port = num('port', values.port ?? process.env.PORT) ?? 8788;
  const w = createWitness({
    dir: resolve(values.dir),
    publicKey: publicKeyFromPem(readFileSync(values['public-key'], 'utf8')),
    origin: values.origin ?? null,
  });
  const url = await w.app.listen({ host: values.host ?? '127.0.0.1', port });
  console.log(
    `allparty-server witness: listening on ${url}, holding size ${w.latest()?.size ?? 0} in ${values.dir}`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => void w.app.close().then(() => process.exit(0)));
}

async function serve(): Promise<void> {
  const header = values['jurisdiction-header'];
  const cookieDays = num('cookie-days', values['cookie-days']);
  const retention = num('retention-days', values['retention-days']);
  const checkpointSeconds = num('checkpoint-seconds', values['checkpoint-seconds']);
  const port = num('port', values.port ?? process.env.PORT);
  const tokens = [
    ...(values['auditor-token'] ?? []),
    ...(process.env.ALLPARTY_AUDITOR_TOKEN ? [process.env.ALLPARTY_AUDITOR_TOKEN] : []),
  ];
  const options: ServerOptions = {
    dataDir,
    ...(postgres ? { store: { postgres, ...(values.schema ? { schema: values.schema } : {}) } } : {}),
    ...(values.host ? { host: values.host } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(values.prefix ? { prefix: values.prefix } : {}),
    ...(values.origin ? { origin: values.origin } : {}),
    ...(values['key-file'] ? { keyFile: values['key-file'] } : {}),
    corsOrigins: values.cors ?? [],
    auditorTokens: tokens,
    ...(header?.length ? { jurisdictionHeader: header } : {}),
    ...(process.env.ALLPARTY_IP_HMAC_KEY ? { ipHmacKey: process.env.ALLPARTY_IP_HMAC_KEY } : {}),
    ...(values['cookie-name'] || values['cookie-domain'] || cookieDays !== undefined
      ? {
          cookie: {
            ...(values['cookie-name'] ? { name: values['cookie-name'] } : {}),
            ...(values['cookie-domain'] ? { domain: values['cookie-domain'] } : {}),
            ...(cookieDays !== undefined ? { maxAgeDays: cookieDays } : {}),
          },
        }
      : {}),
    ...(retention !== undefined ? { retentionDays: retention } : {}),
    ...(checkpointSeconds !== undefined ? { checkpointIntervalMs: checkpointSeconds * 1000 } : {}),
    ...(values['trust-proxy']?.length ? { trustProxy: proxyOption(values['trust-proxy']) } : {}),
    ...(values.witness?.length ? { witnesses: values.witness } : {}),
  };
  const { url, close, server } = await startServer(options);
  console.log(
    `allparty-server: listening on ${url} (${server.store.kind}${postgres ? '' : ` in ${dataDir}`}), checkpoint key ${server.keys.keyId}`,
  );
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void close().then(() => process.exit(0));
    });
}

if (values.help) {
  console.log(USAGE);
} else if (positionals[0] === 'verify') {
  await verify();
} else if (positionals[0] === 'witness') {
  await witness();
} else if (positionals.length) {
  console.error(`allparty-server: unknown command "${positionals[0]}" (try --help)`);
  process.exit(2);
} else {
  await serve();
}
