import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConsentRecord, RECORD_SCHEMA, subjectId, uuidv7 } from '@allparty/core';
import pg from 'pg';
import { type LedgerStore, openPostgresStore, openSqliteStore } from '../src/index';

/** The test PostgreSQL (trust auth). Unreachable means the PG tests fail, never skip. */
export const PG_URL = process.env.ALLPARTY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh store of each kind: a new SQLite file, or a new PostgreSQL schema dropped after. */
export interface StoreFactory {
  kind: 'sqlite' | 'postgres';
  open(): Promise<{ store: LedgerStore; cleanup(): Promise<void>; raw(sql: string): Promise<void> }>;
}

export const storeKinds: StoreFactory[] = [
  {
    kind: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'allparty-ledger-'));
      const path = join(dir, 'ledger.sqlite');
      const store = openSqliteStore({ path });
      const Database = (await import('better-sqlite3')).default;
      return {
        store,
        async raw(sql) {
          const db = new Database(path);
          try {
            db.exec(sql);
          } finally {
            db.close();
          }
        },
        async cleanup() {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    kind: 'postgres',
    async open() {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const store = await openPostgresStore({ connectionString: PG_URL, schema, max: 4 });
      const raw = async (sql: string) => {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        try {
          await c.query(`SET search_path TO ${schema}`);
          await c.query(sql);
        } finally {
          await c.end();
        }
      };
      return {
        store,
        raw,
        async cleanup() {
          await store.close();
          await raw(`DROP SCHEMA ${schema} CASCADE`);
        },
      };
    },
  },
];

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
    purposes: { analytics: true, replay: true },
    vendors: { hotjar: true },
    notice: { id: 'main', version: '2026-01', language: 'en', hash: 'a'.repeat(64) },
    policy: { url: '/privacy', version: '3' },
    controller: { name: 'Example Inc.', email: 'privacy@example.com' },
    jurisdiction: { region: 'US-CA', source: 'config' },
    gpc: false,
    sdk: { version: '0.1.0', adapters: { hotjar: '0.1.0' } },
    page: { origin: 'https://shop.example.com', path: '/checkout' },
    ...over,
  };
}
