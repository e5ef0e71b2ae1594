// @vitest-environment node
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  generateCheckpointKeys,
  loadOrCreateKeyFile,
  publicKeyFromPem,
  signCheckpoint,
  verifyCheckpoint,
} from '../src/index';

describe('checkpoints', () => {
  const keys = generateCheckpointKeys();
  const body = {
    origin: 'test log',
    kind: 'seal' as const,
    size: 10,
    root: `${'A'.repeat(43)}=`,
    time: '2026-01-01T00:00:00.000Z',
  };

  it('signs with Ed25519 and verifies against the published key only', () => {
    const cp = signCheckpoint(body, keys);
    expect(verifyCheckpoint(cp, publicKeyFromPem(keys.publicKeyPem))).toBe(true);
    expect(verifyCheckpoint({ ...cp, size: 11 }, keys.publicKey)).toBe(false);
    expect(verifyCheckpoint({ ...cp, root: `${'B'.repeat(43)}=` }, keys.publicKey)).toBe(false);
    expect(verifyCheckpoint(cp, generateCheckpointKeys().publicKey)).toBe(false);
  });

  it('covers the frontier of a prune checkpoint', () => {
    const cp = signCheckpoint({ ...body, kind: 'prune', frontier: ['x', 'y'] }, keys);
    expect(verifyCheckpoint(cp, keys.publicKey)).toBe(true);
    expect(verifyCheckpoint({ ...cp, frontier: ['x', 'z'] }, keys.publicKey)).toBe(false);
  });

  it('creates a private key file on first run (mode 0600) and reads the same key after', () => {
    const dir = mkdtempSync(join(tmpdir(), 'allparty-key-'));
    try {
      const path = join(dir, 'nested', 'checkpoint-key.pem');
      const first = loadOrCreateKeyFile(path);
      expect(first.created).toBe(true);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const again = loadOrCreateKeyFile(path);
      expect(again.created).toBe(false);
      expect(again.keyId).toBe(first.keyId);
      expect(readdirSync(join(dir, 'nested'))).toEqual(['checkpoint-key.pem']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
