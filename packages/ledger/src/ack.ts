/**
 * Signed acknowledgements: the log's promise, at ingest, that the records it names — with
 * exactly these bytes (their leaf hashes) — will appear in the log by `sealBy`, in the manner of
 * Certificate Transparency's signed certificate timestamps. The sender keeps it; a later audit
 * holds the log to it (the record must be sealed, with the same leaf, and no later than promised).
 *
 * Inside the store, each inbox row carries a tag (HMAC-SHA-256 under a key derived from the
 * signing key) over its id and leaf hash; the sealer checks it before sealing, so a row changed
 * in the database between acknowledgement and sealing — by anyone without the signing key, the
 * database owner included — stops the sealer loudly instead of being sealed as if received.
 */
import { createHash, createHmac, type KeyObject, sign, timingSafeEqual, verify } from 'node:crypto';
import { keyIdOf } from './checkpoint';

/** A signed acknowledgement of the records one request stored. */
export interface Ack {
  /** The log's name, as in its checkpoints. */
  origin: string;
  /** When the log received the records (ISO). */
  receivedAt: string;
  /** The time by which they will be in the log (ISO). */
  sealBy: string;
  /** `[record id, base64 leaf hash]` per record stored. */
  entries: Array<[string, string]>;
  keyId: string;
  /** Base64 Ed25519 signature over {@link ackNote}. */
  signature: string;
}

/** The exact text that is signed. */
export function ackNote(ack: Omit<Ack, 'keyId' | 'signature'>): string {
  const lines = [
    'allparty.ack/1',
    ack.origin,
    ack.receivedAt,
    ack.sealBy,
    ...ack.entries.map(([id, leaf]) => `${id} ${leaf}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Signs an acknowledgement with the log's checkpoint key. */
export function signAck(
  body: Omit<Ack, 'keyId' | 'signature'>,
  keys: { privateKey: KeyObject; keyId: string },
): Ack {
  const signature = sign(null, Buffer.from(ackNote(body), 'utf8'), keys.privateKey).toString('base64');
  return { ...body, keyId: keys.keyId, signature };
}

/** Whether an acknowledgement's signature verifies under `publicKey`. */
export function verifyAck(ack: Ack, publicKey: KeyObject): boolean {
  if (ack.keyId !== keyIdOf(publicKey)) return false;
  try {
    return verify(null, Buffer.from(ackNote(ack), 'utf8'), publicKey, Buffer.from(ack.signature, 'base64'));
  } catch {
    return false;
  }
}

/** The key of inbox tags, derived from the signing key (only the key holder can make a tag). */
export function tagKey(privateKey: KeyObject): Buffer {
  return createHash('sha256')
    .update('allparty inbox tag/1\n')
    .update(privateKey.export({ format: 'der', type: 'pkcs8' }))
    .digest();
}

/** An inbox row's tag: HMAC-SHA-256 over its id and leaf hash. */
export function inboxTag(key: Buffer, id: string, leaf: Uint8Array): Buffer {
  return createHmac('sha256', key).update(id).update(Buffer.of(0)).update(leaf).digest();
}

/** Whether `tag` is the tag of (id, leaf). */
export function tagMatches(key: Buffer, id: string, leaf: Uint8Array, tag: Uint8Array): boolean {
  const want = inboxTag(key, id, leaf);
  return tag.length === want.length && timingSafeEqual(want, tag);
}
