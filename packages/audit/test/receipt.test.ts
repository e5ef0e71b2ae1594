// @vitest-environment node
import { generateCheckpointKeys, inclusionProofAt, signCheckpoint } from '@allparty/ledger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildReceipt,
  type Receipt,
  receiptFromStore,
  receiptHtml,
  receiptJson,
  verifyReceipt,
} from '../src/index';
import { keys, NOTICE_TEXT, otherKeys, sqliteLog, storyLog, type TestLog } from './helpers';

/** Every position of `text` whose byte, flipped with `mask`, still verifies (should be none). */
function survivors(text: string, mask: number): number[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const copy = Buffer.from(bytes);
    copy[i] = copy[i]! ^ mask;
    if (verifyReceipt(copy).ok) out.push(i);
  }
  return out;
}

describe('receipts', () => {
  let log: TestLog;
  let story: Awaited<ReturnType<typeof storyLog>>;
  let receipt: Receipt;
  let json: string;
  let html: string;
  beforeAll(async () => {
    log = await sqliteLog();
    story = await storyLog(log.store);
    receipt = await receiptFromStore(log.store, story.a1.id, { publicKey: keys.publicKey });
    json = receiptJson(receipt);
    html = receiptHtml(receipt);
  });
  afterAll(async () => {
    await log.cleanup();
  });

  it('says what was agreed to, when and with whom, and carries the proof, the checkpoint and the key', () => {
    expect(receipt.summary).toContain('You agreed to no purpose.');
    expect(receipt.summary).toContain('You refused: replay.');
    expect(receipt.summary).toContain('Companies you did not allow: hotjar.');
    expect(receipt.summary[0]).toBe(
      'On 2026-03-01 at 10:05:00 UTC, on https://shop.example.com/checkout, you chose “Save choices” (withdrawn).',
    );
    expect(receipt.notice.text).toBe(NOTICE_TEXT);
    expect(receipt.proof).toMatchObject({ leafIndex: 1, treeSize: 5 });
    expect(receipt.proof.hashes).toHaveLength(3);
    expect(receipt.checkpoint.size).toBe(5);
    expect(receipt.publicKey.keyId).toBe(keys.keyId);
    expect(receipt.publicKey.fingerprint).toMatch(new RegExp(`^SHA256:${keys.keyId}[0-9a-f]{48}$`));
    expect(receipt.kantara).toMatchObject({
      version: 'KI-CR-v1.1.0',
      consentReceiptID: story.a1.id,
      piiPrincipalId: story.alice,
      jurisdiction: 'US-CA',
      collectionMethod: 'control:save',
      piiControllers: [{ piiController: 'Example Inc.', email: 'privacy@example.com' }],
    });
    expect(html).toContain('<script type="application/json" id="allparty-receipt">');
    expect(html).not.toMatch(/<script(?! type="application\/json")/);
  });

  it('verifies as JSON and as HTML, and against the pinned key or its fingerprint', () => {
    for (const text of [json, html]) {
      const check = verifyReceipt(Buffer.from(text));
      expect(check.problems).toEqual([]);
      expect(check.ok).toBe(true);
      expect(check.pinned).toBe(false);
      expect(verifyReceipt(text, { publicKey: keys.publicKey })).toMatchObject({ ok: true, pinned: true });
      expect(verifyReceipt(text, { fingerprint: receipt.publicKey.fingerprint }).ok).toBe(true);
      expect(verifyReceipt(text, { fingerprint: keys.keyId }).ok).toBe(true);
      expect(verifyReceipt(text, { publicKey: otherKeys.publicKey }).ok).toBe(false);
      expect(verifyReceipt(text, { fingerprint: otherKeys.keyId }).ok).toBe(false);
    }
  });

  it('fails once any byte of the JSON receipt changes (every byte, two different flips)', () => {
    expect(survivors(json, 0x01)).toEqual([]);
    expect(survivors(json, 0x20)).toEqual([]);
  }, 120_000); // thousands of full verifications: generous on a loaded 2-core machine

  it('fails once any byte of the HTML receipt changes (every byte)', () => {
    expect(survivors(html, 0x01)).toEqual([]);
  }, 120_000);

  it('fails for a receipt rebuilt with an altered record, or rebuilt around a checkpoint of another key', async () => {
    // Someone edits what was agreed to and re-renders the receipt: the proof no longer leads to the root.
    const edited = buildReceipt({
      record: { ...receipt.record, purposes: { replay: true } },
      noticeText: NOTICE_TEXT,
      leafIndex: 1,
      treeSize: 5,
      hashes: receipt.proof.hashes.map((h) => Buffer.from(h, 'base64')),
      checkpoint: receipt.checkpoint,
      publicKey: keys.publicKey,
    });
    const check = verifyReceipt(receiptJson(edited));
    expect(check.ok).toBe(false);
    expect(check.problems).toContain("the record's inclusion proof does not lead to the checkpoint's root");
    // A self-consistent forgery under the forger's own key verifies only until the key is pinned.
    const forger = generateCheckpointKeys();
    const { keyId: _k, signature: _s, ...body } = receipt.checkpoint;
    const forged = buildReceipt({
      record: story.a1,
      noticeText: NOTICE_TEXT,
      leafIndex: 1,
      treeSize: 5,
      hashes: await inclusionProofAt(log.store, 1, 5),
      checkpoint: signCheckpoint(body, forger),
      publicKey: forger.publicKey,
    });
    expect(verifyReceipt(receiptJson(forged)).ok).toBe(true);
    expect(verifyReceipt(receiptJson(forged), { publicKey: keys.publicKey }).ok).toBe(false);
    expect(verifyReceipt(receiptJson(forged), { fingerprint: receipt.publicKey.fingerprint }).ok).toBe(false);
  });

  it('says why a file is not a receipt', () => {
    expect(verifyReceipt('{}').problems[0]).toMatch(/not an allparty.receipt\/1 receipt/);
    expect(verifyReceipt('<html></html>').problems[0]).toMatch(/no embedded receipt/);
    expect(verifyReceipt(Buffer.from([0xff, 0xfe])).problems[0]).toMatch(/not valid UTF-8/);
  });

  it('refuses a record that no signed checkpoint covers yet', async () => {
    const { toIngestEntry } = await import('@allparty/ledger');
    const { record } = await import('./helpers');
    const late = record({}, Date.UTC(2026, 2, 3));
    await log.store.ingest([toIngestEntry(late)]);
    await expect(receiptFromStore(log.store, late.id, { publicKey: keys.publicKey })).rejects.toThrow(
      /not sealed yet/,
    );
    await log.store.seal();
    await expect(receiptFromStore(log.store, late.id, { publicKey: keys.publicKey })).rejects.toThrow(
      /no signed checkpoint covers/,
    );
  });
});
