// @vitest-environment node
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { canonicalJson, signCheckpoint, toIngestEntry } from '@allparty/ledger';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyStore } from '../src/index';
import { idTime } from '../src/util';
import { checkRecord } from '../src/verify';
import {
  cli,
  keys,
  ORIGIN,
  otherKeys,
  plainLog,
  postgresLog,
  record,
  scratch,
  sqliteLog,
  type TestLog,
} from './helpers';

const files = scratch();
afterAll(() => files.cleanup());
const FILE_PREFIX = `av_${randomBytes(3).toString('hex')}`;

const kinds: Array<[string, () => Promise<TestLog>]> = [
  ['sqlite', sqliteLog],
  ['postgres', () => postgresLog(FILE_PREFIX)],
];

for (const [kind, open] of kinds) {
  describe(`verify over ${kind}`, () => {
    let log: TestLog;
    beforeEach(async () => {
      log = await open();
      await plainLog(log.store, 12);
    });
    afterEach(async () => {
      await log.cleanup();
    });

    const verify = (...extra: string[]) =>
      cli(['verify', ...log.source, '--public-key', files.pem, ...extra]);

    it('exits 0 on an intact log and says what it checked', async () => {
      const r = await verify('--origin', ORIGIN);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain('INTACT');
      expect(r.out).toMatch(/positions 0–11 recomputed \(12 records\)/);
      expect(r.out).toMatch(
        /2 of 2 signatures valid, 2 roots recomputed and matched, 1 consistency proofs checked/,
      );
      expect(r.out).toContain(keys.keyId);
    });

    it('reports as JSON with the first bad position null', async () => {
      const r = await verify('--json');
      const report = JSON.parse(r.out);
      expect(report).toMatchObject({ ok: true, from: 0, size: 12, firstBad: null, consistencyChecked: 1 });
    });

    const t = (sqlite: string, postgres: string) => (kind === 'sqlite' ? sqlite : postgres);
    const tampers: Array<[string, () => string, number, RegExp]> = [
      [
        'an edited record',
        () =>
          t(
            `UPDATE records SET body = CAST(replace(CAST(body AS TEXT), '"given"', '"refused"') AS BLOB) WHERE seq = 5`,
            `UPDATE records SET body = convert_to(replace(convert_from(body, 'UTF8'), '"given"', '"refused"'), 'UTF8') WHERE seq = 5`,
          ),
        5,
        /record at position 5 does not match its sealed leaf hash/,
      ],
      ['a deleted record', () => 'DELETE FROM records WHERE seq = 4', 4, /record at position 4 is missing/],
      [
        'a record refiled under another subject',
        () => "UPDATE records SET subject = 'someone-else' WHERE seq = 7",
        7,
        /record at position 7 is filed under another subject or time than it says/,
      ],
      [
        'an inserted record',
        () =>
          t(
            "UPDATE records SET seq = -seq - 1 WHERE seq >= 6; UPDATE records SET seq = -seq WHERE seq < 0; INSERT INTO records (seq, id, at, subject, body) SELECT 6, lower(hex(randomblob(4))) || '-0000-7000-8000-000000000000', at, subject, body FROM records WHERE seq = 2;",
            'UPDATE records SET seq = seq + 1 WHERE seq >= 6; INSERT INTO records (seq, id, at, subject, body) SELECT 6, gen_random_uuid(), at, subject, body FROM records WHERE seq = 2;',
          ),
        6,
        /position 6/,
      ],
      [
        'two records reordered',
        () =>
          t(
            'UPDATE records SET seq = 100 WHERE seq = 3; UPDATE records SET seq = 3 WHERE seq = 8; UPDATE records SET seq = 8 WHERE seq = 100;',
            'UPDATE records SET seq = CASE seq WHEN 3 THEN 8 ELSE 3 END WHERE seq IN (3, 8)',
          ),
        3,
        /record at position 3 does not match its sealed leaf hash/,
      ],
      [
        'a truncated log (records, tree nodes and seals after 9 removed)',
        () =>
          t(
            'DELETE FROM records WHERE seq >= 9; DELETE FROM nodes WHERE (idx + 1) * (1 << level) > 9; DELETE FROM seals WHERE size > 9; INSERT INTO seals (size, at) VALUES (9, 0);',
            'DELETE FROM records WHERE seq >= 9; DELETE FROM nodes WHERE (idx + 1) * (1::bigint << level) > 9; DELETE FROM seals WHERE size > 9; INSERT INTO seals (size, at) VALUES (9, 0);',
          ),
        9,
        /the log ends at 9, but the checkpoint signed at .* covers 12/,
      ],
    ];
    for (const [name, sql, position, problem] of tampers)
      it(`fails on ${name}, naming position ${position}`, async () => {
        await log.tamper(sql());
        const r = await verify();
        expect(r.code).toBe(1);
        expect(r.out).toContain(`NOT INTACT: first bad position ${position}:`);
        const report = JSON.parse((await verify('--json')).out);
        expect(report.ok).toBe(false);
        expect(report.firstBad.position).toBe(position);
        expect(report.firstBad.problem).toMatch(problem);
      });

    it('fails on a forged checkpoint signed by another key, naming the position it claims past', async () => {
      await log.store.checkpoint({ origin: ORIGIN, keys: otherKeys }, true);
      const report = JSON.parse((await verify('--json')).out);
      expect(report.ok).toBe(false);
      expect(report.firstBad.position).toBe(12);
      expect(report.firstBad.problem).toMatch(
        new RegExp(`checkpoint 3 of 3 .*signed by key ${otherKeys.keyId}, not the pinned key ${keys.keyId}`),
      );
    });

    it('fails on an altered checkpoint (root replaced, signature kept), naming the position after the last good one', async () => {
      const [first, second] = await log.store.checkpoints();
      const forged = { ...second!, root: first!.root };
      await log.tamper(`UPDATE checkpoints SET body = '${JSON.stringify(forged)}' WHERE size = 12`);
      const r = await verify();
      expect(r.code).toBe(1);
      expect(r.out).toMatch(
        /first bad position 5: checkpoint 2 of 2 .*does not verify under the pinned key .*forged or altered/,
      );
    });

    it('fails on a checkpoint re-signed with the right key over a rewritten history (consistency)', async () => {
      // Someone with the private key rewrites record 2 and re-signs: the old checkpoint of size 5
      // and the new one cannot both be heads of one append-only log.
      await log.tamper(
        t(
          `UPDATE records SET body = CAST(replace(CAST(body AS TEXT), '"given"', '"refused"') AS BLOB) WHERE seq = 2`,
          `UPDATE records SET body = convert_to(replace(convert_from(body, 'UTF8'), '"given"', '"refused"'), 'UTF8') WHERE seq = 2`,
        ),
      );
      const head = (await log.store.checkpoints())[1]!;
      const { signature: _s, keyId: _k, ...body } = head;
      const resigned = signCheckpoint({ ...body, root: randomBytes(32).toString('base64') }, keys);
      await log.tamper(`UPDATE checkpoints SET body = '${JSON.stringify(resigned)}' WHERE size = 12`);
      const report = JSON.parse((await verify('--json')).out);
      expect(report.ok).toBe(false);
      expect(report.firstBad.position).toBe(2);
      expect(report.problems.map((p: { problem: string }) => p.problem).join('\n')).toMatch(
        /not consistent with the one of size 5/,
      );
    });

    it('fails with the wrong key pinned, naming position 0', async () => {
      const r = await cli(['verify', ...log.source, '--public-key', files.otherPem]);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/first bad position 0: checkpoint 1 of 2 .*signed by key .*not the pinned key/);
      expect(r.out).toContain('0 of 2 signatures valid');
    });

    it('fails when a checkpoint names another log than the pinned origin', async () => {
      const r = await verify('--origin', 'someone else');
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/names the log "audit test log", not "someone else"/);
    });

    it('draws a progress bar on stderr only when asked or on a terminal', async () => {
      expect((await verify()).err).toBe('');
      const asked = await verify('--progress');
      expect(asked.err).toMatch(/verify \[#+\] 100% 12\/12/);
      const tty = await cli(['verify', ...log.source, '--public-key', files.pem], { stderr: true });
      expect(tty.err).toContain('verify [');
      const off = await cli(['verify', ...log.source, '--public-key', files.pem, '--no-progress'], {
        stderr: true,
      });
      expect(off.err).toBe('');
    });
  });
}

describe('checkRecord', () => {
  const stored = (body: string, over: Partial<{ id: string; subject: string; at: number }> = {}) => {
    const v = JSON.parse(body) as { id: string; subject: string };
    return { seq: 3, id: v.id, subject: v.subject, at: idTime(v.id), ...over, body: Buffer.from(body) };
  };
  const r = record();
  const canonical = canonicalJson(r);
  it('passes canonical bytes filed under their own id, subject and time', () => {
    expect(checkRecord(stored(canonical))).toBeNull();
    // Integer-like keys: JavaScript reorders them, the canonical form sorts them as strings.
    expect(checkRecord(stored(canonicalJson({ ...r, purposes: { '10': true, '9': false } })))).toBeNull();
  });
  it('names bytes that are not canonical, not JSON, or filed under another id, subject or time', () => {
    expect(checkRecord(stored(JSON.stringify(r, null, 1)))).toMatch(/position 3 is not canonical JSON/);
    expect(checkRecord(stored(JSON.stringify(r)))).toMatch(/not canonical JSON/);
    expect(
      checkRecord(
        stored(canonical.replace('"analytics":true,"replay":true', '"replay":true,"analytics":true')),
      ),
    ).toMatch(/not canonical JSON/);
    expect(checkRecord({ ...stored(canonical), body: Buffer.from(canonical.slice(1)) })).toMatch(
      /not valid JSON/,
    );
    expect(checkRecord({ ...stored(canonical), body: Buffer.from([0xff, 0x7b]) })).toMatch(/not valid JSON/);
    expect(checkRecord(stored(canonical, { id: record().id }))).toMatch(/carries id/);
    expect(checkRecord(stored(canonical, { subject: 'x' }))).toMatch(/another subject or time/);
    expect(checkRecord(stored(canonical, { at: 5 }))).toMatch(/another subject or time/);
  });
});

describe('verify, more', () => {
  it('notes sealed positions that no checkpoint covers yet, without failing', async () => {
    const log = await sqliteLog();
    try {
      await plainLog(log.store, 6);
      // Received a moment ago: within the signing interval, so noted but not a failure.
      await log.store.ingest([toIngestEntry(record({}, Date.now()))]);
      await log.store.seal();
      const report = await verifyStore(log.store, { publicKey: keys.publicKey });
      expect(report.ok).toBe(true);
      expect(report.unattested).toEqual({ from: 6, to: 7 });
      expect(report.notes.join('\n')).toMatch(
        /positions 6–6 are sealed but no signed checkpoint covers them yet/,
      );
    } finally {
      await log.cleanup();
    }
  });

  it('finds the key beside a SQLite file (the server data folder), and refuses to guess otherwise', async () => {
    const log = await sqliteLog();
    try {
      await plainLog(log.store, 3);
      const path = log.source[0]!;
      expect((await cli(['verify', path])).code).toBe(2);
      expect((await cli(['verify', path])).err).toMatch(/--public-key/);
      writeFileSync(
        join(dirname(path), 'checkpoint-key.pem'),
        keys.privateKey.export({ format: 'pem', type: 'pkcs8' }),
      );
      const r = await cli(['verify', dirname(path)]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/derived from the server's key file/);
    } finally {
      await log.cleanup();
    }
  });

  it('refuses a source that does not exist or is not a ledger', async () => {
    const missing = await cli(['verify', '/nonexistent/ledger.sqlite', '--public-key', files.pem]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no such file/);
    const notDb = await cli(['verify', files.pem, '--public-key', files.pem]);
    expect(notDb.code).toBe(2);
    expect(notDb.err).toMatch(/not a SQLite database/);
  });
});
