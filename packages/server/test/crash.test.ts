// @vitest-environment node
import { join } from 'node:path';
import {
  type LedgerStore,
  loadOrCreateKeyFile,
  openPostgresStore,
  openSqliteStore,
  verifyLog,
} from '@allparty/ledger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChild, exited, killChildren, spawnServer } from './child-server';
import { kinds, makeRecord, testStore } from './helpers';

beforeAll(buildChild);
afterAll(killChildren);

describe('crash safety', () => {
  for (const kind of kinds)
    it(`loses no acknowledged record when the server is killed with SIGKILL mid-ingest (${kind})`, async () => {
      const ts = testStore(kind);
      const options = { store: ts.option, dataDir: ts.dir, sealIntervalMs: 20, checkpointIntervalMs: 100 };
      try {
        const first = await spawnServer(options);
        const acked = new Set<string>();
        let killed = false;
        let _errors = 0;
        const worker = async () => {
          while (!killed) {
            const record = makeRecord();
            try {
              const res = await fetch(`${first.url}/v1/records`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ records: [record] }),
              });
              const body = (await res.json()) as { results?: Array<{ status: string }> };
              const status = body.results?.[0]?.status;
              if (res.ok && (status === 'stored' || status === 'duplicate')) acked.add(record.id);
            } catch {
              _errors++; // the connection died with the server: not acknowledged
            }
          }
        };
        const workers = Array.from({ length: 32 }, worker);
        while (acked.size < 400) await new Promise((r) => setTimeout(r, 5));
        first.child.kill('SIGKILL');
        killed = true;
        await exited(first.child);
        await Promise.all(workers);
        expect(first.child.signalCode).toBe('SIGKILL');

        // Restart on the same store; it seals what the dead one acknowledged but had not sealed.
        const second = await spawnServer(options);
        const store: LedgerStore =
          'sqlite' in ts.option
            ? openSqliteStore({ path: ts.option.sqlite })
            : await openPostgresStore({
                connectionString: ts.option.postgres,
                schema: ts.option.schema,
                max: 2,
              });
        try {
          for (let i = 0; i < 200 && (await store.pendingCount()) > 0; i++)
            await new Promise((r) => setTimeout(r, 25));
          second.child.kill('SIGTERM');
          await exited(second.child);
          expect(await store.pendingCount()).toBe(0);
          const missing: string[] = [];
          for (const id of acked) if ((await store.recordById(id))?.seq == null) missing.push(id);
          expect(missing).toEqual([]);
          const { publicKey } = loadOrCreateKeyFile(join(ts.dir, 'checkpoint-key.pem'));
          const report = await verifyLog(store, { publicKey });
          expect(report.ok).toBe(true);
          expect(report.size).toBeGreaterThanOrEqual(acked.size);
          expect((await store.latestCheckpoint('seal'))?.size).toBe(report.size);
        } finally {
          await store.close();
        }
      } finally {
        await ts.cleanup();
      }
    }, 60_000);
});
