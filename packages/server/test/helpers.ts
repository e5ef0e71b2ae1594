import { type KeyObject, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConsentRecord, RECORD_SCHEMA, subjectId, uuidv7 } from '@allparty/core';
import { inboxTag, type LedgerStore, leafHash, tagKey, toIngestEntry } from '@allparty/ledger';
import pg from 'pg';
import type { StoreOption } from '../src/index';

/** The test PostgreSQL (trust auth). Unreachable means the PG tests fail, never skip. */
export const PG_URL = process.env.ALLPARTY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh store per test: a new SQLite file in a temp folder, or a new PostgreSQL schema dropped after. */
export interface TestStore {
  kind: 'sqlite' | 'postgres';
  dir: string;
  option: StoreOption & ({ sqlite: string } | { postgres: string; schema: string });
  cleanup(): Promise<void>;
}

export const kinds = ['sqlite', 'postgres'] as const;

export function testStore(kind: 'sqlite' | 'postgres'): TestStore {
  const dir = mkdtempSync(join(tmpdir(), 'allparty-server-'));
  if (kind === 'sqlite')
    return {
      kind,
      dir,
      option: { sqlite: join(dir, 'ledger.sqlite') },
      async cleanup() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  const schema = `t_${randomBytes(6).toString('hex')}`;
  return {
    kind,
    dir,
    option: { postgres: PG_URL, schema, max: 4 },
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A valid record; `over` replaces fields. */
export function makeRecord(over: Partial<ConsentRecord> = {}, at = Date.now()): ConsentRecord {
  return {
    schema: RECORD_SCHEMA,
    id: uuidv7(at),
    subject: subjectId(),
    previous: null,
    clientTime: new Date(at).toISOString(),
    event: 'given',
    method: { type: 'control', control: 'accept-all' },
    purposes: { replay: true },
    vendors: { hotjar: true },
    notice: { id: 'main', version: '1', language: 'en', hash: 'c'.repeat(64) },
    policy: { url: '/privacy', version: '3' },
    controller: { name: 'Example Inc.' },
    jurisdiction: { region: null, source: 'unknown' },
    gpc: false,
    sdk: { version: '0.1.0', adapters: { hotjar: '0.1.0' } },
    page: { origin: 'https://shop.example.com', path: '/' },
    ...over,
  };
}

/** Stores records as the server's collector would (tagged with its key), bypassing HTTP. */
export async function ingestAsServer(
  server: { store: LedgerStore; keys: { privateKey: KeyObject } },
  records: readonly ConsentRecord[],
): Promise<void> {
  const key = tagKey(server.keys.privateKey);
  await server.store.ingest(
    records.map((r) => {
      const entry = toIngestEntry(r);
      return { ...entry, tag: inboxTag(key, entry.id, leafHash(entry.body)) };
    }),
  );
}
