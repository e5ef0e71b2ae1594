// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  consistencyProofBetween,
  createRecordValidator,
  generateCheckpointKeys,
  inclusionProofAt,
  type LedgerStore,
  leafHash,
  toIngestEntry,
  verifyConsistency,
  verifyInclusion,
  verifyLog,
} from '../src/index';
import { makeRecord, storeKinds } from './helpers';

const keys = generateCheckpointKeys();
const signer = { origin: 'test log', keys };
const verify = (store: LedgerStore) => verifyLog(store, { publicKey: keys.publicKey });

async function fill(store: LedgerStore, n: number, at = Date.now()) {
  const entries = Array.from({ length: n }, (_, i) => toIngestEntry(makeRecord({}, at + i)));
  expect(await store.ingest(entries)).toEqual(entries.map(() => 'stored'));
  await store.seal();
  await store.checkpoint(signer);
  return entries;
}

for (const kind of storeKinds) {
  describe(`${kind.kind} store`, () => {
    let ctx: Awaited<ReturnType<typeof kind.open>>;
    beforeEach(async () => {
      ctx = await kind.open();
    });
    afterEach(async () => {
      await ctx.cleanup();
    });

    it('stores a record once: a repeat, sealed or not, is a duplicate', async () => {
      const { store } = ctx;
      const e = toIngestEntry(makeRecord());
      expect(await store.ingest([e, e])).toEqual(['stored', 'duplicate']);
      expect(await store.ingest([e])).toEqual(['duplicate']);
      expect(await store.pendingCount()).toBe(1);
      expect(await store.seal()).toEqual({ sealed: 1, size: 1 });
      expect(await store.ingest([e])).toEqual(['duplicate']);
      expect(await store.seal()).toEqual({ sealed: 0, size: 1 });
      expect((await store.recordById(e.id))?.seq).toBe(0);
    });

    it('seals in order, signs checkpoints and serves proofs that verify', async () => {
      const { store } = ctx;
      const first = await fill(store, 7);
      const cp7 = await store.latestCheckpoint('seal');
      expect(cp7?.size).toBe(7);
      expect(await store.checkpoint(signer)).toBeNull();
      const more = await fill(store, 30);
      const cp37 = (await store.latestCheckpoint())!;
      expect(cp37.size).toBe(37);
      const all = [...first, ...more];
      for (const i of [0, 6, 7, 20, 36]) {
        const rec = (await store.recordById(all[i]!.id))!;
        expect(rec.seq).toBe(i);
        const proof = await inclusionProofAt(store, i, 37);
        expect(verifyInclusion(i, 37, leafHash(rec.body), proof, Buffer.from(cp37.root, 'base64'))).toBe(
          true,
        );
      }
      const c = await consistencyProofBetween(store, 7, 37);
      expect(
        verifyConsistency(7, 37, Buffer.from(cp7!.root, 'base64'), Buffer.from(cp37.root, 'base64'), c),
      ).toBe(true);
      const report = await verify(store);
      expect(report).toMatchObject({ ok: true, size: 37, checkpointsMatched: 2, firstBad: null });
    });

    it('reads records by subject and time, with sealed and pending ones', async () => {
      const { store } = ctx;
      const subject = 'subject-under-audit';
      const t0 = Date.UTC(2026, 0, 10);
      const mine = [0, 1, 2].map((i) => toIngestEntry(makeRecord({ subject }, t0 + i * 86_400_000)));
      await store.ingest([...mine.slice(0, 2), toIngestEntry(makeRecord())]);
      await store.seal();
      await store.ingest([mine[2]!]);
      const got = await store.records({ subject, limit: 10 });
      expect(got.map((r) => r.id)).toEqual(mine.map((m) => m.id));
      expect(got.map((r) => r.seq === null)).toEqual([false, false, true]);
      const window = await store.records({ subject, from: t0 + 1, to: t0 + 2 * 86_400_000, limit: 10 });
      expect(window.map((r) => r.id)).toEqual([mine[1]!.id]);
      const check = createRecordValidator({ stored: true });
      expect(check(JSON.parse(got[0]!.body.toString('utf8'))).ok).toBe(true);
    });

    it('stores a notice text once per hash', async () => {
      const { store } = ctx;
      // Only a text some record refers to is stored.
      expect(await store.putNotice('b'.repeat(64), 'We use Hotjar.')).toBe('unreferenced');
      expect(await store.getNotice('b'.repeat(64))).toBeNull();
      await store.wantNotices(['b'.repeat(64)]);
      expect(await store.putNotice('b'.repeat(64), 'We use Hotjar.')).toBe('stored');
      expect(await store.putNotice('b'.repeat(64), 'We use Hotjar.')).toBe('duplicate');
      expect(await store.knownNotices(['b'.repeat(64), 'c'.repeat(64)])).toEqual(new Set(['b'.repeat(64)]));
      expect(await store.getNotice('b'.repeat(64))).toBe('We use Hotjar.');
    });

    it('refuses UPDATE and DELETE on the log', async () => {
      await fill(ctx.store, 2);
      for (const sql of [
        "UPDATE records SET subject = 'x'",
        'DELETE FROM records',
        'DELETE FROM nodes',
        'UPDATE checkpoints SET size = 1',
      ])
        await expect(ctx.raw(sql), sql).rejects.toThrow(/append-only/);
      expect((await verify(ctx.store)).ok).toBe(true);
    });

    // Tampering goes around the triggers, as someone with the database files or superuser would.
    const bypass =
      kind.kind === 'sqlite'
        ? 'UPDATE prune_guard SET active = 1; DROP TRIGGER records_no_update; DROP TRIGGER nodes_no_update;'
        : 'SET session_replication_role = replica;';
    const tampers: Array<[string, string, number, RegExp]> = [
      [
        'an edited record',
        kind.kind === 'sqlite'
          ? `UPDATE records SET body = CAST(replace(CAST(body AS TEXT), '"given"', '"refused"') AS BLOB) WHERE seq = 5`
          : `UPDATE records SET body = convert_to(replace(convert_from(body, 'UTF8'), '"given"', '"refused"'), 'UTF8') WHERE seq = 5`,
        5,
        /does not match its sealed leaf/,
      ],
      [
        'a record refiled under another subject',
        `UPDATE records SET subject = 'someone-else' WHERE seq = 7`,
        7,
        /another subject/,
      ],
      ['a deleted record', 'DELETE FROM records WHERE seq = 4', 4, /missing/],
      ['a deleted last record', 'DELETE FROM records WHERE seq = 11', 11, /missing|ends/],
      [
        'two records swapped',
        kind.kind === 'sqlite'
          ? 'UPDATE records SET seq = 100 WHERE seq = 3; UPDATE records SET seq = 3 WHERE seq = 8; UPDATE records SET seq = 8 WHERE seq = 100;'
          : 'UPDATE records SET seq = CASE seq WHEN 3 THEN 8 ELSE 3 END WHERE seq IN (3, 8)',
        3,
        /does not match its sealed leaf/,
      ],
      [
        'a record inserted in the middle',
        kind.kind === 'sqlite'
          ? "UPDATE records SET seq = -seq - 1 WHERE seq >= 6; UPDATE records SET seq = -seq WHERE seq < 0; INSERT INTO records (seq, id, at, subject, body) SELECT 6, lower(hex(randomblob(4))) || '-0000-7000-8000-000000000000', at, subject, body FROM records WHERE seq = 2;"
          : `UPDATE records SET seq = seq + 1 WHERE seq >= 6; INSERT INTO records (seq, id, at, subject, body) SELECT 6, gen_random_uuid(), at, subject, body FROM records WHERE seq = 2;`,
        6,
        /sealed leaf|not valid|carries id/,
      ],
      [
        'a record and its leaf hash rewritten together',
        kind.kind === 'sqlite'
          ? `UPDATE records SET body = CAST(replace(CAST(body AS TEXT), '"given"', '"refused"') AS BLOB) WHERE seq = 9; UPDATE nodes SET hash = (SELECT hash FROM nodes WHERE level = 0 AND idx = 2) WHERE level = 0 AND idx = 9;`
          : `UPDATE records SET body = convert_to(replace(convert_from(body, 'UTF8'), '"given"', '"refused"'), 'UTF8') WHERE seq = 9; UPDATE nodes SET hash = (SELECT hash FROM nodes WHERE level = 0 AND idx = 2) WHERE level = 0 AND idx = 9;`,
        9,
        /sealed leaf/,
      ],
    ];
    for (const [name, sql, position, problem] of tampers)
      it(`detects ${name} and names position ${position}`, async () => {
        await fill(ctx.store, 12);
        expect((await verify(ctx.store)).ok).toBe(true);
        await ctx.raw(`${bypass} ${sql}`);
        const report = await verify(ctx.store);
        expect(report.ok).toBe(false);
        expect(report.firstBad?.position).toBe(position);
        expect(report.firstBad?.problem).toMatch(problem);
      });

    it('detects a forged checkpoint', async () => {
      await fill(ctx.store, 3);
      const other = generateCheckpointKeys();
      await ctx.store.checkpoint({ origin: 'test log', keys: other }, true);
      const report = await verify(ctx.store);
      expect(report.ok).toBe(false);
      expect(report.checkpointProblems[0]).toMatch(/bad signature/);
    });

    it('prunes an old prefix, leaves a signed prune checkpoint, and the rest still verifies and proves', async () => {
      const { store } = ctx;
      const old = Date.UTC(2024, 0, 15);
      const recent = Date.now();
      await fill(store, 9, old);
      const kept = await fill(store, 6, recent);
      const cp = await store.prune(Date.UTC(2025, 0, 1), signer);
      expect(cp).toMatchObject({ kind: 'prune', size: 9 });
      expect(await store.recordById(kept[0]!.id)).not.toBeNull();
      expect(await store.records({ limit: 100 })).toHaveLength(6);
      expect(await store.prune(Date.UTC(2025, 0, 1), signer)).toBeNull();
      await fill(store, 5, recent + 100);
      const report = await verify(store);
      expect(report).toMatchObject({ ok: true, prunedBelow: 9, size: 20 });
      const head = (await store.latestCheckpoint('seal'))!;
      const rec = (await store.recordById(kept[2]!.id))!;
      const proof = await inclusionProofAt(store, rec.seq!, head.size);
      expect(
        verifyInclusion(rec.seq!, head.size, leafHash(rec.body), proof, Buffer.from(head.root, 'base64')),
      ).toBe(true);
      // An edit after pruning is still caught at its position.
      await ctx.raw(`${bypass} UPDATE records SET subject = 'x' WHERE seq = 12`);
      expect((await verify(store)).firstBad?.position).toBe(12);
    });

    it('keeps ingest concurrent with sealing and loses nothing', async () => {
      const { store } = ctx;
      const batches = Array.from({ length: 20 }, () =>
        Array.from({ length: 25 }, () => toIngestEntry(makeRecord())),
      );
      const sealing = (async () => {
        for (let i = 0; i < 15; i++) await store.seal(60);
      })();
      await Promise.all([...batches.map((b) => store.ingest(b)), sealing]);
      while ((await store.pendingCount()) > 0) await store.seal();
      await store.checkpoint(signer);
      expect(await store.treeSize()).toBe(500);
      expect((await verify(store)).ok).toBe(true);
    });
  });
}

describe('postgres specifics', () => {
  const pgKind = storeKinds.find((k) => k.kind === 'postgres')!;

  it('partitions records by month ahead of time (older months in the default partition), revokes UPDATE/DELETE for the app role, and prunes', async () => {
    const ctx = await pgKind.open();
    try {
      const { store } = ctx;
      await fill(store, 3, Date.UTC(2024, 2, 10));
      await fill(store, 2, Date.now());
      await expect(ctx.raw("SET ROLE allparty_app; UPDATE records SET subject = 'x'")).rejects.toThrow(
        /permission denied/,
      );
      await expect(ctx.raw('SET ROLE allparty_app; DELETE FROM inbox')).rejects.toThrow(/permission denied/);
      await expect(ctx.raw('SET ROLE allparty_app; TRUNCATE records')).rejects.toThrow(
        /permission denied|append-only/,
      );
      await expect(ctx.raw('TRUNCATE records')).rejects.toThrow(/append-only/);
      await ctx.raw(
        "DO $$ BEGIN IF (SELECT count(*) FROM pg_inherits WHERE inhparent = 'records'::regclass) < 2 THEN RAISE EXCEPTION 'not partitioned'; END IF; END $$",
      );
      // This month and the next two exist before any record of theirs is sealed (an insert never
      // waits behind a CREATE TABLE); a record of an older month lands in the default partition.
      const now = new Date();
      for (let k = 0; k < 3; k++) {
        const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1));
        const name = `records_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
        await ctx.raw(
          `DO $$ BEGIN IF to_regclass('${name}') IS NULL THEN RAISE EXCEPTION 'no partition ${name}'; END IF; END $$`,
        );
      }
      await ctx.raw(
        "DO $$ BEGIN IF (SELECT count(*) FROM records_default) <> 3 THEN RAISE EXCEPTION 'March 2024 not in the default partition'; END IF; END $$",
      );
      expect(await store.prune(Date.UTC(2025, 0, 1), signer)).toMatchObject({ size: 3 });
      await ctx.raw(
        "DO $$ BEGIN IF (SELECT count(*) FROM records_default) <> 0 THEN RAISE EXCEPTION 'still there'; END IF; END $$",
      );
      expect((await verify(store)).ok).toBe(true);
    } finally {
      await ctx.cleanup();
    }
  });
});
