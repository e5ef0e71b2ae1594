/**
 * Signed checkpoints: Ed25519 (node:crypto) over a small text note naming the log, the tree
 * size, the root and the time. A prune checkpoint also carries the frontier of the pruned
 * prefix, so the remaining log can be recomputed and still verified.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What a checkpoint states, before signing. */
export interface CheckpointBody {
  /** The log's name (e.g. the server's public URL); an auditor pins it with the key. */
  origin: string;
  /** `seal`: a tree head; `prune`: the head of a pruned prefix, with its frontier. */
  kind: 'seal' | 'prune';
  size: number;
  /** Base64 SHA-256 root of the first `size` leaves. */
  root: string;
  /** ISO 8601 time of signing. */
  time: string;
  /** Base64 frontier hashes of [0, size), largest subtree first (prune checkpoints only). */
  frontier?: string[];
}

/** A signed checkpoint. */
export interface Checkpoint extends CheckpointBody {
  /** First 16 hex digits of SHA-256 over the signer's raw public key. */
  keyId: string;
  /** Base64 Ed25519 signature over {@link checkpointNote}. */
  signature: string;
}

/** A checkpoint signer: an Ed25519 key pair. */
export interface CheckpointKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  /** The public key as SPKI PEM, to publish and pin. */
  publicKeyPem: string;
}

/** The exact text that is signed. */
export function checkpointNote(body: CheckpointBody): string {
  const head = body.kind === 'prune' ? 'allparty.prune/1' : 'allparty.checkpoint/1';
  const lines = [head, body.origin, String(body.size), body.root, body.time];
  if (body.kind === 'prune') lines.push(...(body.frontier ?? []));
  return `${lines.join('\n')}\n`;
}

/** Key id: the first 16 hex digits of SHA-256 over the raw 32-byte public key. */
export function keyIdOf(publicKey: KeyObject): string {
  return keyFingerprint(publicKey).slice(7, 23);
}

/** A full key fingerprint: SHA-256 over the raw 32-byte Ed25519 public key, `SHA256:<hex>`. */
export function keyFingerprint(publicKey: KeyObject): string {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return `SHA256:${createHash('sha256')
    .update(der.subarray(der.length - 32))
    .digest('hex')}`;
}

/** The public key as SPKI PEM. */
export function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ format: 'pem', type: 'spki' }).toString();
}

function keysFrom(privateKey: KeyObject): CheckpointKeys {
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKeyPem(publicKey),
  };
}

/** Makes a fresh Ed25519 key pair. */
export function generateCheckpointKeys(): CheckpointKeys {
  return keysFrom(generateKeyPairSync('ed25519').privateKey);
}

/** Reads an existing PKCS#8 PEM private key file (never creates one: verifiers use this). */
export function loadKeyFile(path: string): CheckpointKeys {
  if (!existsSync(path)) throw new Error(`${path}: no such key file`);
  const key = createPrivateKey(readFileSync(path));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${path} is not an Ed25519 private key`);
  return keysFrom(key);
}

/** Reads a PKCS#8 PEM private key file, creating one (mode 0600) on first run. */
export function loadOrCreateKeyFile(path: string): CheckpointKeys & { created: boolean } {
  const read = (): CheckpointKeys => {
    const key = createPrivateKey(readFileSync(path));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${path} is not an Ed25519 private key`);
    return keysFrom(key);
  };
  if (existsSync(path)) return { ...read(), created: false };
  const keys = generateCheckpointKeys();
  mkdirSync(dirname(path), { recursive: true });
  // Several servers may start at once on a fresh folder: write aside, then link into place
  // (atomic, and refused if another one got there first — then use theirs).
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, keys.privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  try {
    chmodSync(tmp, 0o600);
    linkSync(tmp, path);
    return { ...keys, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { ...read(), created: false };
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Parses a published SPKI PEM public key. */
export function publicKeyFromPem(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 public key');
  return key;
}

/** Signs a checkpoint body. */
export function signCheckpoint(
  body: CheckpointBody,
  keys: Pick<CheckpointKeys, 'privateKey' | 'keyId'>,
): Checkpoint {
  const signature = sign(null, Buffer.from(checkpointNote(body), 'utf8'), keys.privateKey).toString('base64');
  return { ...body, keyId: keys.keyId, signature };
}

/** Whether a checkpoint's signature is valid under `publicKey` (and its key id matches). */
export function verifyCheckpoint(checkpoint: Checkpoint, publicKey: KeyObject): boolean {
  if (checkpoint.keyId !== keyIdOf(publicKey)) return false;
  try {
    return verify(
      null,
      Buffer.from(checkpointNote(checkpoint), 'utf8'),
      publicKey,
      Buffer.from(checkpoint.signature, 'base64'),
    );
  } catch {
    return false;
  }
}
