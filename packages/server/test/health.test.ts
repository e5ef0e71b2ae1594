// @vitest-environment node
// /healthz said 200 through a stalled sealer, a full disk and a database it could not write
// (defect 2 of issue 19); a 20 s lock left 100k records unsealed unseen (defect 7).
import { join } from 'node:path';
import { openSqliteStore } from '@allparty/ledger';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type LogServer, type ServerOptions } from '../src/index';
import { kinds, makeRecord, PG_URL, type TestStore, testStore } from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const kind of kinds)
  describe(`health on ${kind}`, () => {
    let ts: TestStore;
    let server: LogServer;
    const start = async (options: ServerOptions = {}) => {
      ts = testStore(kind);
      server = await createServer({
        store: ts.option,
        dataDir: ts.dir,
        sealIntervalMs: 60_000,
        checkpointIntervalMs: 60_000,
        ...options,
      });
    };
    afterEach(async () => {
      await server?.close();
      await ts?.cleanup();
    });
    const health = async () => {
      const res = await server.app.inject({ method: 'GET', url: '/healthz' });
      return { status: res.statusCode, body: res.json() as { ok: boolean; error?: string } };
    };
    const post = (record = makeRecord()) =>
      server.app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ records: [record] }),
      });

    it('answers 503 while an acknowledged record waits longer than the bound to be sealed', async () => {
      await start({ sealStallMs: 1000 });
      expect((await post()).statusCode).toBe(200);
      expect(await health()).toEqual({ status: 200, body: { ok: true, store: kind } });
      await sleep(1100);
      const stalled = await health();
      expect(stalled.status).toBe(503);
      expect(stalled.body.error).toMatch(/sealer is stalled/);
      await server.flush();
      expect((await health()).status).toBe(200);
    });

    if (kind === 'postgres') {
      it('answers 503 while another session holds the seal lock, and recovers after', async () => {
        await start({ sealIntervalMs: 20, sealStallMs: 300 });
        if (!('schema' in ts.option)) throw new Error('a PostgreSQL store');
        const holder = new pg.Client({ connectionString: PG_URL });
        await holder.connect();
        try {
          await holder.query('BEGIN');
          await holder.query('SELECT pg_advisory_xact_lock(7, hashtext($1))', [ts.option.schema]);
          for (let i = 0; i < 20; i++) expect((await post()).statusCode).toBe(200);
          await sleep(500);
          expect((await health()).body.error).toMatch(/sealer is stalled/);
          await holder.query('COMMIT');
          for (let i = 0; i < 100 && (await health()).status !== 200; i++) await sleep(20);
          expect(await health()).toEqual({ status: 200, body: { ok: true, store: 'postgres' } });
        } finally {
          await holder.end();
        }
      });

      it('answers 503 when the collector role may no longer insert', async () => {
        await start();
        if (!('schema' in ts.option)) throw new Error('a PostgreSQL store');
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        try {
          await admin.query(`REVOKE INSERT ON "${ts.option.schema}".inbox FROM allparty_app`);
          const res = await health();
          expect(res.status).toBe(503);
          expect(res.body.error).toMatch(/may not INSERT/);
          // A write that fails is reported too, until one succeeds.
          expect((await post()).statusCode).toBe(500);
          expect((await health()).body.error).toMatch(/last write to the store failed/);
          await admin.query(`GRANT INSERT ON "${ts.option.schema}".inbox TO allparty_app`);
          expect((await post()).statusCode).toBe(200);
          expect((await health()).status).toBe(200);
        } finally {
          await admin.end();
        }
      });
    } else {
      it('answers 503 when the disk holding the ledger is nearly full', async () => {
        ts = testStore(kind);
        server = await createServer({
          // More free space than any disk has: "nearly full" for this test.
          store: openSqliteStore({ path: join(ts.dir, 'ledger.sqlite'), minFreeBytes: 2 ** 60 }),
          dataDir: ts.dir,
        });
        const res = await health();
        expect(res.status).toBe(503);
        expect(res.body.error).toMatch(/MiB free/);
      });
    }
  });
