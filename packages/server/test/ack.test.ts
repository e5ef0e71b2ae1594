// @vitest-environment node
// Review scenario of issue 19 defect 7: the database owner changed an acknowledged inbox row from
// "refused" to "given" before it was sealed, and nothing noticed; the acknowledgement was unsigned.
import { canonicalBytes, leafHash, verifyAck } from '@allparty/ledger';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type LogServer } from '../src/index';
import { kinds, makeRecord, PG_URL, type TestStore, testStore } from './helpers';

for (const kind of kinds)
  describe(`signed acknowledgement on ${kind}`, () => {
    let ts: TestStore;
    let server: LogServer;
    afterEach(async () => {
      await server?.close().catch(() => {});
      await ts?.cleanup();
    });

    /** Runs SQL on the store as its owner would, outside the server. */
    const asOwner = async (sql: string, params: unknown[]) => {
      if ('sqlite' in ts.option) {
        const db = new Database(ts.option.sqlite);
        try {
          db.prepare(sql.replaceAll(/\$\d/g, '?')).run(...params);
        } finally {
          db.close();
        }
        return;
      }
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        await c.query(`SET search_path TO ${ts.option.schema}`);
        await c.query(sql, params);
      } finally {
        await c.end();
      }
    };

    it('signs what it stored, and refuses to seal a row changed after it was acknowledged', async () => {
      ts = testStore(kind);
      server = await createServer({
        store: ts.option,
        dataDir: ts.dir,
        origin: 'ack test log',
        sealIntervalMs: 60_000,
        checkpointIntervalMs: 60_000,
        sealStallMs: 30_000,
      });
      const refused = makeRecord({
        event: 'refused',
        purposes: { replay: false },
        vendors: { hotjar: false },
      });
      const res = await server.app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ records: [refused] }),
      });
      const { ack } = res.json();
      expect(verifyAck(ack, server.keys.publicKey)).toBe(true);
      expect(ack.origin).toBe('ack test log');
      expect(Date.parse(ack.sealBy) - Date.parse(ack.receivedAt)).toBe(30_000);
      const stored = (await server.store.recordById(refused.id))!;
      expect(ack.entries).toEqual([[refused.id, leafHash(stored.body).toString('base64')]]);
      // Altering the acknowledgement breaks its signature.
      expect(
        verifyAck(
          { ...ack, entries: [[refused.id, leafHash(Buffer.from('x')).toString('base64')]] },
          server.keys.publicKey,
        ),
      ).toBe(false);

      // The owner turns the refusal into a grant in the inbox, before sealing.
      const granted = JSON.parse(stored.body.toString()) as Record<string, unknown>;
      granted.event = 'given';
      granted.purposes = { replay: true };
      granted.vendors = { hotjar: true };
      await asOwner('UPDATE inbox SET body = $1 WHERE id = $2', [canonicalBytes(granted), refused.id]);
      await expect(server.flush()).rejects.toThrow(/no longer matches what was acknowledged/);
      expect(await server.store.treeSize()).toBe(0);
      const health = await server.app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(503);
      expect(health.json().error).toMatch(new RegExp(`inbox record ${refused.id} no longer matches`));
      // Removing the tag does not get it sealed either.
      await asOwner('UPDATE inbox SET tag = NULL WHERE id = $1', [refused.id]);
      await expect(server.flush()).rejects.toThrow(/no longer matches/);
    });
  });
