// @vitest-environment node
// Review scenario: an admin's pg_terminate_backend (or a failover) dropped a connection the
// sealer had checked out, and the server process exited on the unhandled 'error' event
// (defect 2 of issue 19). The server runs in a child process so that exit would be seen.
import { openPostgresStore } from '@allparty/ledger';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChild, exited, killChildren, spawnServer } from './child-server';
import { makeRecord, PG_URL, testStore } from './helpers';

beforeAll(buildChild);
afterAll(killChildren);

describe('PostgreSQL connections dropped under load', () => {
  it('keeps serving through a pg_terminate_backend loop and loses no acknowledged record', async () => {
    const ts = testStore('postgres');
    if (!('schema' in ts.option) || typeof ts.option.schema !== 'string')
      throw new Error('a PostgreSQL store');
    const schema = ts.option.schema;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      const server = await spawnServer({
        store: ts.option,
        dataDir: ts.dir,
        sealIntervalMs: 10,
        checkpointIntervalMs: 50,
      });
      const acked = new Set<string>();
      let stop = false;
      const post = async () => {
        while (!stop) {
          const record = makeRecord();
          try {
            const res = await fetch(`${server.url}/v1/records`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ records: [record] }),
            });
            const body = (await res.json()) as { results?: Array<{ status: string }> };
            if (res.ok && body.results?.[0]?.status !== 'rejected') acked.add(record.id);
          } catch {
            // The server is gone: the assertion below names it.
            await new Promise((r) => setTimeout(r, 20));
          }
        }
      };
      const workers = Array.from({ length: 8 }, post);
      // Terminate every connection of this log, again and again, for two seconds.
      let kills = 0;
      const until = Date.now() + 2000;
      while (Date.now() < until) {
        const { rowCount } = await admin.query(
          // By name, or by the schema its last statement named (a build that sets no name).
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE pid <> pg_backend_pid() AND (application_name = $1 OR query LIKE $2)`,
          [`allparty:${schema}`, `%"${schema}"%`],
        );
        kills += rowCount ?? 0;
        await new Promise((r) => setTimeout(r, 40));
      }
      // The connections come back and records keep flowing.
      const before = acked.size;
      const deadline = Date.now() + 10_000;
      while (acked.size < before + 50 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      stop = true;
      await Promise.all(workers);
      expect(server.child.exitCode, server.stderr()).toBeNull();
      expect(kills).toBeGreaterThan(10);
      expect(server.stderr()).not.toMatch(/Unhandled|Connection terminated/);
      expect(acked.size).toBeGreaterThan(before);
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      const store = await openPostgresStore({ connectionString: PG_URL, schema, max: 2 });
      try {
        // The live server seals what it acknowledged during the cuts.
        for (let i = 0; i < 200 && (await store.pendingCount()) > 0; i++)
          await new Promise((r) => setTimeout(r, 25));
        server.child.kill('SIGTERM');
        await exited(server.child);
        const missing: string[] = [];
        const unsealed: string[] = [];
        for (const id of acked) {
          const row = await store.recordById(id);
          if (!row) missing.push(id);
          else if (row.seq === null) unsealed.push(id);
        }
        expect({ missing, unsealed }).toEqual({ missing: [], unsealed: [] });
      } finally {
        await store.close();
      }
    } finally {
      await admin.end();
      await ts.cleanup();
    }
  }, 60_000);
});
