// A log server in a child process (the real server source, bundled once; better-sqlite3, which
// is native, stays external), for tests that kill it, starve it or cut its connections.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const cache = join(here, '../node_modules/.cache/allparty-test');
const bundle = join(cache, 'child.cjs');

/** Bundles `fixtures/child.ts` (call in beforeAll). */
export async function buildChild(): Promise<void> {
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
}

const children: ChildProcess[] = [];

/** Kills every child still running (call in afterAll). */
export function killChildren(): void {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
}

/** A child server with these options; resolves with its URL once it listens. */
export function spawnServer(
  options: Record<string, unknown>,
): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [bundle], {
    env: {
      ...process.env,
      ALLPARTY_CHILD: JSON.stringify(options),
      NODE_PATH: join(here, '../../ledger/node_modules'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, stderr: () => err });
    });
    child.on('exit', (code) => reject(new Error(`child exited with ${code} before listening: ${out}${err}`)));
  });
}

/** Resolves when the child has exited. */
export const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.on('exit', () => resolve()),
  );

/** Bundles the `allparty-server` CLI; returns its path (beside the ledger's native dependencies). */
export async function buildCli(): Promise<string> {
  const out = join(here, '../../ledger/node_modules/.cache/allparty-test/server-cli.mjs');
  await build({
    entryPoints: [join(here, '../src/cli.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    external: ['better-sqlite3', 'pg-native', 'pg'],
    alias: {
      '@allparty/core': join(here, '../../core/src/index.ts'),
      '@allparty/ledger': join(here, '../../ledger/src/index.ts'),
    },
    define: { __DEV__: 'false' },
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  return out;
}
