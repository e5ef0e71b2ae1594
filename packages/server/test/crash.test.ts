// @vitest-environment node
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type LedgerStore,
  loadOrCreateKeyFile,
  openPostgresStore,
  openSqliteStore,
  verifyLog,
} from '@allparty/ledger';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kinds, makeRecord, testStore } from './helpers';

const here = fileURLToPath(new URL('.', import.meta.url));
const cache = join(here, '../node_modules/.cache/allparty-test');
const bundle = join(cache, 'child.cjs');

// The child runs the real server source, bundled once; better-sqlite3 (native) stays external.
beforeAll(async () => {
  mkdirSync(cache, { recursive: true });
  await build({
    entryPoints: [join(here, 'fixtures/child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: bundle,
    external: ['better-sqlite3', 'pg-native'],
    alias: {
      '@allparty/core': join(here, '../../core/src/index.ts'),
      '@allparty/ledger': join(here, '../../ledger/src/index.ts'),
    },
    define: { __DEV__: 'false', 'import.meta.url': '__import_meta_url' },
    banner: { js: "const __import_meta_url = require('url').pathToFileURL(__filename).href;" },
    logLevel: 'error',
  });
});

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

function spawnServer(env: Record<string, unknown>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bundle], {
    env: {
      ...process.env,
      ALLPARTY_CHILD: JSON.stringify(env),
      NODE_PATH: join(here, '../../ledger/node_modules'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`child exited with ${code} before listening: ${out}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.on('exit', () => resolve()),
  );

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
