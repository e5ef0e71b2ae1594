// @vitest-environment node
// Checkpoints published where the operator cannot rewrite them (issue 19 defect 4): a witness
// keeps what the log signed, refuses a second history, and an auditor verifies against it.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchWitnessCheckpoint, generateCheckpointKeys, verifyLog } from '@allparty/ledger';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, createWitness, type LogServer, type Witness } from '../src/index';
import { ingestAsServer, kinds, makeRecord, type TestStore, testStore } from './helpers';

const keys = generateCheckpointKeys();

for (const kind of kinds)
  describe(`witness with ${kind}`, () => {
    let ts: TestStore;
    let forgedStore: TestStore;
    let server: LogServer;
    let forged: LogServer;
    let witness: Witness;
    let witnessDir: string;
    afterEach(async () => {
      await server?.close();
      await forged?.close();
      await witness?.app.close();
      await ts?.cleanup();
      await forgedStore?.cleanup();
      rmSync(witnessDir, { recursive: true, force: true });
    });

    it('holds every new checkpoint, refuses a rewritten history, and catches it at verification', async () => {
      witnessDir = mkdtempSync(join(tmpdir(), 'allparty-witness-'));
      witness = createWitness({ dir: witnessDir, publicKey: keys.publicKey, origin: 'witnessed log' });
      const witnessUrl = await witness.app.listen({ host: '127.0.0.1', port: 0 });
      const options = {
        keys,
        origin: 'witnessed log',
        witnesses: [witnessUrl],
        sealIntervalMs: 60_000,
        checkpointIntervalMs: 60_000,
      };
      ts = testStore(kind);
      server = await createServer({ ...options, store: ts.option, dataDir: ts.dir });
      const records = Array.from({ length: 10 }, () => makeRecord());
      await ingestAsServer(server, records.slice(0, 4));
      await server.flush();
      expect(witness.latest()?.size).toBe(4);
      await ingestAsServer(server, records.slice(4));
      await server.flush();
      // The second checkpoint came with a consistency proof from size 4.
      expect(witness.latest()?.size).toBe(10);
      expect(readFileSync(join(witnessDir, 'witness.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);

      // The operator rewrites record 2 and re-signs the history with the real key.
      forgedStore = testStore(kind);
      forged = await createServer({ ...options, store: forgedStore.option, dataDir: forgedStore.dir });
      const rewritten = records.map((r, i) => (i === 2 ? { ...r, event: 'refused' as const } : r));
      await ingestAsServer(forged, rewritten);
      await ingestAsServer(forged, [makeRecord()]);
      await forged.flush();
      // The witness keeps what it had and records the fork.
      expect(witness.latest()?.size).toBe(10);
      expect(existsSync(join(witnessDir, 'forks.jsonl'))).toBe(true);

      const trusted = [await fetchWitnessCheckpoint(witnessUrl)];
      expect((await verifyLog(server.store, { publicKey: keys.publicKey, trusted })).ok).toBe(true);
      const report = await verifyLog(forged.store, { publicKey: keys.publicKey, trusted });
      expect(report.ok).toBe(false);
      expect(report.firstBad?.problem).toMatch(/does not recompute to the trusted checkpoint of size 10/);
      // A witness restarted on its folder still holds the newest checkpoint.
      expect(createWitness({ dir: witnessDir, publicKey: keys.publicKey }).latest()?.size).toBe(10);
    });
  });
