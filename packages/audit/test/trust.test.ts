// @vitest-environment node
// Review scenarios of issue 19 defect 4: verification said INTACT when nothing was signed, after
// a rollback, and after a rewritten history was re-signed with the real key; a mistyped schema
// was created; an auditor with SELECT rights could not verify at all.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsentRecord } from '@allparty/core';
import type { LedgerStore } from '@allparty/ledger';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { append, cli, PG_URL, plainLog, postgresLog, scratch, sqliteLog, type TestLog } from './helpers';

const files = scratch();
afterAll(() => files.cleanup());

const kinds: Array<[string, () => Promise<TestLog>]> = [
  ['sqlite', sqliteLog],
  ['postgres', () => postgresLog(`at_${randomBytes(3).toString('hex')}`)],
];

/** The same history with record 7 turned from a grant into a refusal: what an operator with the database could write. */
function rewritten(records: readonly ConsentRecord[]): ConsentRecord[] {
  return records.map((r, i) =>
    i === 7
      ? { ...r, event: 'refused', purposes: { analytics: false, replay: false }, vendors: { hotjar: false } }
      : r,
  );
}

/** Seals records into `store` without signing any checkpoint. */
async function sealOnly(store: LedgerStore, records: readonly ConsentRecord[]) {
  const { toIngestEntry } = await import('@allparty/ledger');
  await store.ingest(records.map(toIngestEntry));
  while ((await store.pendingCount()) > 0) await store.seal();
}

/** Saves what `/v1/checkpoints/latest` answers, as an auditor keeps it. */
async function keep(store: LedgerStore, name: string): Promise<string> {
  const file = join(files.dir, `${name}-${randomBytes(3).toString('hex')}.json`);
  writeFileSync(file, JSON.stringify({ checkpoint: await store.latestCheckpoint('seal') }));
  return file;
}

for (const [kind, open] of kinds)
  describe(`trust anchors over ${kind}`, () => {
    it('fails a rewritten log whose checkpoints were deleted (the unsigned tail is old)', async () => {
      const original = await open();
      const forged = await open();
      try {
        const records = await plainLog(original.store, 12);
        expect((await cli(['verify', ...original.source, '--public-key', files.pem])).code).toBe(0);
        // Rewritten record 7 with its leaf and every node above it, and no checkpoint left.
        await sealOnly(forged.store, rewritten(records));
        const run = await cli(['verify', ...forged.source, '--public-key', files.pem]);
        expect(run.code).toBe(1);
        expect(run.out).toMatch(
          /NOT INTACT: first bad position 0: positions 0–11 are covered by no signed checkpoint/,
        );
      } finally {
        await original.cleanup();
        await forged.cleanup();
      }
    });

    it('fails a rewritten history re-signed with the real key, against a checkpoint kept from before', async () => {
      const original = await open();
      const forged = await open();
      try {
        const records = await plainLog(original.store, 12);
        const trusted = await keep(original.store, 'before-rewrite');
        await append(forged.store, rewritten(records));
        // Against its own signatures alone the forgery is consistent: the note says so.
        const alone = await cli(['verify', ...forged.source, '--public-key', files.pem]);
        expect(alone.code).toBe(0);
        expect(alone.out).toMatch(/no trusted checkpoint was given/);
        const run = await cli([
          'verify',
          ...forged.source,
          '--public-key',
          files.pem,
          '--trusted-checkpoint',
          trusted,
        ]);
        expect(run.code).toBe(1);
        expect(run.out).toMatch(/does not recompute to the trusted checkpoint of size 12/);
        // The real log matches it.
        const real = await cli([
          'verify',
          ...original.source,
          '--public-key',
          files.pem,
          '--trusted-checkpoint',
          trusted,
        ]);
        expect(real.code).toBe(0);
        expect(real.out).toMatch(/1 of 1 trusted checkpoints recomputed from the log and matched/);
      } finally {
        await original.cleanup();
        await forged.cleanup();
      }
    });

    it('fails a log rolled back below a trusted checkpoint, even when re-signed', async () => {
      const original = await open();
      const rolledBack = await open();
      try {
        const records = await plainLog(original.store, 12);
        const trusted = await keep(original.store, 'before-rollback');
        await append(rolledBack.store, records.slice(0, 8));
        const run = await cli([
          'verify',
          ...rolledBack.source,
          '--public-key',
          files.pem,
          '--trusted-checkpoint',
          trusted,
        ]);
        expect(run.code).toBe(1);
        expect(run.out).toMatch(/the log ends at 8, but the trusted checkpoint of size 12 .* rolled back/);
      } finally {
        await original.cleanup();
        await rolledBack.cleanup();
      }
    });
  });

describe('read-only verification', () => {
  it('refuses a mistyped PostgreSQL schema and creates nothing', async () => {
    const schema = `missing_${randomBytes(4).toString('hex')}`;
    const run = await cli(['verify', PG_URL, '--schema', schema, '--public-key', files.pem]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(new RegExp(`schema "${schema}" holds no consent log`));
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      const { rows } = await c.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [
        schema,
      ]);
      expect(rows).toEqual([]);
    } finally {
      await c.end();
    }
  });

  it('verifies as an auditor role that may only SELECT', async () => {
    const log = await postgresLog(`ar_${randomBytes(3).toString('hex')}`);
    const role = `auditor_${randomBytes(4).toString('hex')}`;
    const schema = log.source[2]!;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      await plainLog(log.store, 6);
      await admin.query(`CREATE ROLE ${role} LOGIN`);
      await admin.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
      await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
      const url = PG_URL.replace('//postgres@', `//${role}@`);
      const run = await cli(['verify', url, '--schema', schema, '--public-key', files.pem]);
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/INTACT/);
    } finally {
      await admin.query(`DROP OWNED BY ${role}`).catch(() => {});
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
      await log.cleanup();
    }
  });

  it('leaves a SQLite ledger byte for byte as it was', async () => {
    const log = await sqliteLog();
    try {
      await plainLog(log.store, 6);
      await log.store.close();
      const path = log.source[0]!;
      const hash = () => createHash('sha256').update(readFileSync(path)).digest('hex');
      const before = hash();
      const run = await cli(['verify', path, '--public-key', files.pem]);
      expect(run.code).toBe(0);
      expect(hash()).toBe(before);
      // A SQLite file that holds no log is refused, not turned into an empty one.
      const empty = join(files.dir, `empty-${randomBytes(3).toString('hex')}.sqlite`);
      const db = new Database(empty);
      db.exec('CREATE TABLE unrelated (x)');
      db.close();
      const refused = await cli(['verify', empty, '--public-key', files.pem]);
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/holds no consent log/);
      const after = new Database(empty, { readonly: true });
      expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual([
        'unrelated',
      ]);
      after.close();
    } finally {
      await log.cleanup();
    }
  });
});
