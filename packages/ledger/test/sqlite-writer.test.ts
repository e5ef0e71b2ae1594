// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  generateCheckpointKeys,
  type LedgerStore,
  openSqliteStore,
  toIngestEntry,
  verifyLog,
} from '../src/index';
import { makeRecord, storeKinds } from './helpers';

const keys = generateCheckpointKeys();
const signer = { origin: 'test log', keys, now: () => Date.UTC(2026, 0, 1) };

async function sealAll(store: LedgerStore) {
  while ((await store.pendingCount()) > 0) await store.seal(7);
}

describe('sqlite store: writes on a worker thread', () => {
  const dirs: string[] = [];
  const stores: LedgerStore[] = [];
  const open = (options: { writer?: 'thread' | 'inline'; dir?: string } = {}) => {
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'allparty-writer-'));
    if (!options.dir) dirs.push(dir);
    const store = openSqliteStore({
      path: join(dir, 'ledger.sqlite'),
      ...(options.writer ? { writer: options.writer } : {}),
    });
    stores.push(store);
    return { store, dir };
  };
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('writes the same log as writes on the caller thread', async () => {
    const entries = Array.from({ length: 40 }, (_, i) =>
      toIngestEntry(makeRecord({}, Date.UTC(2026, 0, 1) + i)),
    );
    const roots: string[] = [];
    for (const writer of ['thread', 'inline'] as const) {
      const { store } = open({ writer });
      expect(await store.ingest(entries.slice(0, 25))).toEqual(entries.slice(0, 25).map(() => 'stored'));
      await sealAll(store);
      expect(await store.ingest(entries.slice(20))).toEqual([
        ...entries.slice(20, 25).map(() => 'duplicate'),
        ...entries.slice(25).map(() => 'stored'),
      ]);
      await sealAll(store);
      const cp = await store.checkpoint(signer);
      expect(cp?.size).toBe(40);
      roots.push(cp!.root);
      expect((await verifyLog(store, { publicKey: keys.publicKey })).ok).toBe(true);
    }
    expect(roots[0]).toBe(roots[1]);
  });

  it('answers each record of a batch larger than one statement, repeats within it included', async () => {
    const { store } = open();
    const entries = Array.from({ length: 150 }, () => toIngestEntry(makeRecord()));
    const batch = [...entries.slice(0, 100), entries[3]!, ...entries.slice(100), entries[149]!];
    const results = await store.ingest(batch);
    expect(results.filter((r) => r === 'stored')).toHaveLength(150);
    expect(results[100]).toBe('duplicate');
    expect(results[151]).toBe('duplicate');
    expect(await store.pendingCount()).toBe(150);
  });

  it('two stores on one file (two servers) seal every record once, while both take records', async () => {
    const first = open();
    const second = open({ dir: first.dir });
    const all = Array.from({ length: 300 }, () => toIngestEntry(makeRecord()));
    const sealing = [first.store, second.store].map(async (store) => {
      for (let i = 0; i < 40; i++) await store.seal(11);
    });
    await Promise.all([...all.map((e, i) => (i % 2 ? first.store : second.store).ingest([e])), ...sealing]);
    await sealAll(first.store);
    expect(await first.store.treeSize()).toBe(300);
    for (const e of all) expect((await second.store.recordById(e.id))?.seq).not.toBeNull();
    await Promise.all([first.store.checkpoint(signer, true), second.store.checkpoint(signer, true)]);
    const report = await verifyLog(first.store, { publicKey: keys.publicKey });
    expect(report).toMatchObject({ ok: true, size: 300, firstBad: null });
  });
});

for (const kind of storeKinds)
  describe(`${kind.kind} store: group-commit batches`, () => {
    it('answers a batch whose size is not a statement size, with a repeat inside and one already sealed', async () => {
      const ctx = await kind.open();
      try {
        const { store } = ctx;
        const sealed = toIngestEntry(makeRecord());
        await store.ingest([sealed]);
        await store.seal();
        const fresh = Array.from({ length: 37 }, () => toIngestEntry(makeRecord()));
        const results = await store.ingest([...fresh.slice(0, 20), sealed, fresh[5]!, ...fresh.slice(20)]);
        expect(results).toEqual([
          ...fresh.slice(0, 20).map(() => 'stored'),
          'duplicate',
          'duplicate',
          ...fresh.slice(20).map(() => 'stored'),
        ]);
        expect(await store.pendingCount()).toBe(37);
      } finally {
        await ctx.cleanup();
      }
    });
  });
