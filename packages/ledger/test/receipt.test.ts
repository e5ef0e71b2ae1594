// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  generateCheckpointKeys,
  keyFingerprint,
  keyIdOf,
  ReceiptUnavailableError,
  receiptFromStore,
  receiptHtml,
  toIngestEntry,
  verifyReceipt,
} from '../src/index';
import { makeRecord, storeKinds } from './helpers';

// Receipts from a store (the audit CLI's `receipt` and the log server's visitor route share this):
// which checkpoint a receipt proves into, and why none can be made yet.

const keys = generateCheckpointKeys();
const rotated = generateCheckpointKeys();

for (const kind of storeKinds) {
  describe(`receipts from a ${kind.kind} store`, () => {
    let ctx: Awaited<ReturnType<typeof kind.open>>;
    beforeEach(async () => {
      ctx = await kind.open();
    });
    afterEach(async () => {
      await ctx.cleanup();
    });

    const reason = (p: Promise<unknown>) =>
      p.then(
        () => 'made',
        (e: unknown) => (e instanceof ReceiptUnavailableError ? e.reason : `other: ${String(e)}`),
      );

    it('says why no receipt can be made yet: unknown, pending (not sealed), uncovered (no checkpoint)', async () => {
      const { store } = ctx;
      const r = makeRecord();
      expect(await reason(receiptFromStore(store, r.id, { publicKey: keys.publicKey }))).toBe('unknown');
      await store.ingest([toIngestEntry(r)]);
      expect(await reason(receiptFromStore(store, r.id, { publicKey: keys.publicKey }))).toBe('pending');
      await store.seal();
      expect(await reason(receiptFromStore(store, r.id, { publicKey: keys.publicKey }))).toBe('uncovered');
      await store.checkpoint({ origin: 'test log', keys });
      expect(await reason(receiptFromStore(store, r.id, { publicKey: keys.publicKey }))).toBe('made');
    });

    it('proves into the newest checkpoint under the key asked for, across a key rotation', async () => {
      const { store } = ctx;
      const first = makeRecord({}, Date.now() - 2000);
      await store.ingest([toIngestEntry(first)]);
      await store.seal();
      await store.checkpoint({ origin: 'test log', keys });
      await store.ingest([toIngestEntry(makeRecord({}, Date.now() - 1000))]);
      await store.seal();
      await store.checkpoint({ origin: 'test log', keys: rotated });

      const underNew = await receiptFromStore(store, first.id, { publicKey: rotated.publicKey });
      expect(underNew.checkpoint).toMatchObject({ size: 2, keyId: rotated.keyId });
      const underOld = await receiptFromStore(store, first.id, { publicKey: keys.publicKey });
      expect(underOld.checkpoint).toMatchObject({ size: 1, keyId: keys.keyId });
      expect(underOld.publicKey).toMatchObject({
        keyId: keyIdOf(keys.publicKey),
        fingerprint: keyFingerprint(keys.publicKey),
      });
      expect(verifyReceipt(receiptHtml(underOld), { publicKey: keys.publicKey }).ok).toBe(true);
      expect(verifyReceipt(receiptHtml(underOld), { publicKey: rotated.publicKey }).ok).toBe(false);
    });
  });
}
