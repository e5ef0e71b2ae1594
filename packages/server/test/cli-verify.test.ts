// @vitest-environment node
// `allparty-server verify --data-dir <missing>` created a new ledger and key and said
// "OK: 0 records" (issue 19 defect 4): verification must never create what it verifies.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/index';
import { buildCli } from './child-server';
import { ingestAsServer, makeRecord } from './helpers';

const run = promisify(execFile);
let cli = '';
beforeAll(async () => {
  cli = await buildCli();
});

const verify = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, 'verify', ...args]);
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
};

describe('allparty-server verify', () => {
  it('refuses a missing data folder and creates nothing', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'allparty-cli-'));
    try {
      const missing = join(parent, 'typo');
      const answer = await verify('--data-dir', missing);
      expect(answer.code).toBe(2);
      expect(answer.out).toMatch(/cannot open .*ledger\.sqlite read-only/);
      expect(existsSync(missing)).toBe(false);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('verifies a real data folder with the key beside it, read-only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'allparty-cli-'));
    try {
      const server = await createServer({
        dataDir: dir,
        sealIntervalMs: 60_000,
        checkpointIntervalMs: 60_000,
      });
      await ingestAsServer(server, [makeRecord(), makeRecord()]);
      await server.flush();
      await server.close();
      const ok = await verify('--data-dir', dir);
      expect(ok.out).toMatch(/^OK: 2 records/);
      expect(ok.out).toMatch(/no trusted checkpoint given/);
      // Judged as if an hour had passed with no checkpoint: --max-unsigned-seconds 0 says any
      // unsigned record fails, and none is unsigned here.
      expect((await verify('--data-dir', dir, '--max-unsigned-seconds', '0')).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
