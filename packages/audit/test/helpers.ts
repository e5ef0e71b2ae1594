import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConsentRecord, type LoadEvent, RECORD_SCHEMA, uuidv7 } from '@allparty/core';
import {
  type CheckpointKeys,
  generateCheckpointKeys,
  type LedgerStore,
  openPostgresStore,
  openSqliteStore,
  toIngestEntry,
} from '@allparty/ledger';
import Database from 'better-sqlite3';
import pg from 'pg';
import { type AuditIo, runAudit } from '../src/index';
import { sha256Hex } from '../src/util';

/** The test PostgreSQL (trust auth). Unreachable means the PG tests fail, never skip. */
export const PG_URL = process.env.ALLPARTY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One key pair for the whole run (the log's), and one that is not the log's. */
export const keys: CheckpointKeys = generateCheckpointKeys();
export const otherKeys: CheckpointKeys = generateCheckpointKeys();
export const ORIGIN = 'audit test log';
export const signer = { origin: ORIGIN, keys };

/** A log under test: its store, how to reach it from the CLI, raw SQL around the triggers. */
export interface TestLog {
  kind: 'sqlite' | 'postgres';
  store: LedgerStore;
  /** CLI arguments naming the source (`file` or `URL --schema S`). */
  source: string[];
  /** Runs SQL as someone with the database files (or superuser) would, around the append-only triggers. */
  tamper(sql: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** A scratch folder with the pinned public key and another key, removed by `cleanup`. */
export function scratch(): { dir: string; pem: string; otherPem: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'allparty-audit-'));
  const pem = join(dir, 'pinned.pem');
  const otherPem = join(dir, 'other.pem');
  writeFileSync(pem, keys.publicKeyPem);
  writeFileSync(otherPem, otherKeys.publicKeyPem);
  return { dir, pem, otherPem, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function sqliteLog(): Promise<TestLog> {
  const dir = mkdtempSync(join(tmpdir(), 'allparty-audit-log-'));
  const path = join(dir, 'ledger.sqlite');
  const store = openSqliteStore({ path });
  return {
    kind: 'sqlite',
    store,
    source: [path],
    async tamper(sql) {
      const db = new Database(path);
      try {
        db.exec(
          `UPDATE prune_guard SET active = 1; DROP TRIGGER IF EXISTS records_no_update; DROP TRIGGER IF EXISTS nodes_no_update; DROP TRIGGER IF EXISTS checkpoints_no_update; DROP TRIGGER IF EXISTS seals_no_update; ${sql}`,
        );
      } finally {
        db.close();
      }
    },
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A PostgreSQL log in its own schema `<prefix>_<random>`, dropped by `cleanup`. */
export async function postgresLog(prefix: string): Promise<TestLog> {
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  const store = await openPostgresStore({ connectionString: PG_URL, schema, max: 4 });
  const raw = async (sql: string) => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      await c.query(`SET search_path TO ${schema}`);
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  return {
    kind: 'postgres',
    store,
    source: [PG_URL, '--schema', schema],
    tamper: (sql) => raw(`SET session_replication_role = replica; ${sql}`),
    async cleanup() {
      await store.close();
      await raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}

/** Runs the CLI in-process; returns its exit code and what it wrote. */
export async function cli(
  args: string[],
  tty: { stdout?: boolean; stderr?: boolean } = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: AuditIo = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    stdoutIsTTY: tty.stdout ?? false,
    stderrIsTTY: tty.stderr ?? false,
    env: {},
  };
  const code = await runAudit(args, io);
  return { code, out, err };
}

/** A valid record; `over` replaces fields. */
export function record(over: Partial<ConsentRecord> = {}, at = Date.UTC(2026, 2, 1, 10)): ConsentRecord {
  return {
    schema: RECORD_SCHEMA,
    id: uuidv7(at),
    subject: `s${randomBytes(9).toString('base64url')}`,
    previous: null,
    clientTime: new Date(at).toISOString(),
    event: 'given',
    method: { type: 'control', control: 'accept-all' },
    purposes: { analytics: true, replay: true },
    vendors: { hotjar: true },
    notice: { id: 'main', version: '2026-01', language: 'en', hash: NOTICE_HASH },
    policy: { url: '/privacy', version: '3' },
    controller: { name: 'Example Inc.', email: 'privacy@example.com' },
    jurisdiction: { region: 'US-CA', source: 'config' },
    gpc: false,
    sdk: { version: '0.1.0', adapters: { hotjar: '0.1.0' } },
    page: { origin: 'https://shop.example.com', path: '/checkout' },
    serverTime: new Date(at + 250).toISOString(),
    ...over,
  };
}

export const NOTICE_TEXT =
  'We use cookies and similar tools. Hotjar records how you use this page (session replay), including what you type. Intercom runs our chat. Google Analytics measures visits. Choose Accept all, Reject all, or pick per purpose.';
export const NOTICE_HASH = sha256Hex(NOTICE_TEXT);

/** Appends records, seals them and signs a checkpoint after each group of `every`. */
export async function append(store: LedgerStore, records: readonly ConsentRecord[], every = records.length) {
  for (let i = 0; i < records.length; i += every) {
    await store.ingest(records.slice(i, i + every).map(toIngestEntry));
    do await store.seal();
    while ((await store.pendingCount()) > 0);
    await store.checkpoint(signer);
  }
}

/** `n` plain records a minute apart, checkpoints after 5 and after all (sizes 5 and n). */
export async function plainLog(store: LedgerStore, n = 12): Promise<ConsentRecord[]> {
  const start = Date.UTC(2026, 2, 1, 8);
  const records = Array.from({ length: n }, (_, i) => record({}, start + i * 60_000));
  await append(store, records.slice(0, 5));
  await append(store, records.slice(5));
  return records;
}

const load = (
  kind: LoadEvent['kind'],
  vendor: string | null,
  host: string,
  t: number,
  rec: string | null,
  via = 'script',
): LoadEvent => ({
  kind,
  vendor,
  host,
  via,
  t,
  record: rec,
});

/** Day 1 and day 2 of the story, UTC. */
export const DAY1 = Date.UTC(2026, 2, 1, 10);
export const DAY2 = Date.UTC(2026, 2, 2, 9);

/**
 * A log with known contents:
 * - alice accepts all (day 1, 10:00, US-CA by edge header); her page view then releases Hotjar
 *   (+900 ms) which first requests at +1030 ms; she withdraws replay five minutes later (that
 *   record carries those loads and Hotjar's stop at +5000 ms). On day 2 she makes a partial choice
 *   by script with a click; that record carries a Hotjar request still naming her first record
 *   (after the withdrawal: R25) and a Google Analytics pixel the guard saw with no grant.
 * - bob rejects all with GPC on (day 1, DE, config hint).
 * - carol has GPC applied (day 2, jurisdiction unknown).
 * Checkpoints after alice's first record and at the end.
 */
export async function storyLog(store: LedgerStore) {
  const aliceSubject = 'alice-subject-0001';
  const a0 = record(
    {
      subject: aliceSubject,
      purposes: { analytics: true, chat: true, replay: true },
      vendors: { 'google-analytics-4': true, hotjar: true, intercom: true },
      jurisdiction: { region: 'US-CA', source: 'edge-header', header: 'x-vercel-ip-country-region' },
      loads: [load('held', 'hotjar', 'static.hotjar.com', 812.4, null)],
    },
    DAY1,
  );
  const a1 = record(
    {
      subject: aliceSubject,
      previous: a0.id,
      event: 'withdrawn',
      method: { type: 'control', control: 'save' },
      purposes: { replay: false },
      vendors: { hotjar: false },
      jurisdiction: { region: 'US-CA', source: 'edge-header', header: 'x-vercel-ip-country-region' },
      loads: [
        load('release', 'hotjar', 'static.hotjar.com', 900, a0.id),
        load('request', 'hotjar', 'static.hotjar.com', 1030, a0.id),
        load('request', 'intercom', 'widget.intercom.io', 1500, a0.id),
        load('stop', 'hotjar', '', 5000, null, 'resource'),
      ],
    },
    DAY1 + 5 * 60_000,
  );
  const b0 = record(
    {
      subject: 'bob-subject-00002',
      event: 'refused',
      method: { type: 'control', control: 'reject-all' },
      purposes: { analytics: false, replay: false },
      vendors: { hotjar: false },
      gpc: true,
      jurisdiction: { region: 'DE', source: 'config' },
    },
    DAY1 + 10 * 60_000,
  );
  const a2 = record(
    {
      subject: aliceSubject,
      previous: a1.id,
      event: 'partial',
      method: { type: 'api', userActivation: true },
      purposes: { analytics: true },
      vendors: { 'google-analytics-4': true },
      jurisdiction: { region: 'US-CA', source: 'edge-header', header: 'x-vercel-ip-country-region' },
      loads: [
        load('violation', 'google-analytics-4', 'www.google-analytics.com', 120, null, 'img'),
        load('request', 'hotjar', 'static.hotjar.com', 300, a0.id),
      ],
    },
    DAY2,
  );
  const c0 = record(
    {
      subject: 'carol-subject-003',
      event: 'gpc-applied',
      method: { type: 'gpc' },
      purposes: { advertising: false },
      vendors: {},
      gpc: true,
      jurisdiction: { region: null, source: 'unknown' },
    },
    DAY2 + 60_000,
  );
  await store.wantNotices([NOTICE_HASH]);
  await store.putNotice(NOTICE_HASH, NOTICE_TEXT);
  await append(store, [a0]);
  await append(store, [a1, b0, a2, c0]);
  return { alice: aliceSubject, a0, a1, a2, b0, c0 };
}
