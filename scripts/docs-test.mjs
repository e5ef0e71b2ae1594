// Runs what the docs tell a reader to type, as they wrote it: the fenced blocks marked `test`
// run (sh) or are written to a file (`file=PATH`) in a fresh app folder beside a link to this
// checkout (`../allparty`), against the packages `pnpm release:pack` put in .release/. Blocks
// without `test` are illustrative; every allparty command in any sh or yaml block is still
// checked against that command's --help (its subcommand and each --option must exist).
//
//   ```sh test               run with bash in the app folder; it must exit 0
//   ```sh test background    start, wait for a line with http://, then stop it (a server)
//   ```tsx test file=src/main.tsx   write the block to that file in the app folder
//
// The app folder keeps node_modules between runs (outside this workspace, so nothing resolves
// from the workspace's node_modules), so a rerun does not rebuild better-sqlite3. After
// getting-started, the built app is opened in Chromium: its banner shows, no vendor host is
// contacted before Accept, the gated content appears after it.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { checkBuiltApp } from './docs-app-check.mjs';

/** The pages, in the order a reader meets them: getting-started installs what later pages use. */
export function docPages() {
  const readmes = readdirSync('packages')
    .map((dir) => `packages/${dir}/README.md`)
    .filter((file) => existsSync(file));
  const docs = readdirSync('docs')
    .filter((f) => f.endsWith('.md') && f !== 'getting-started.md')
    .map((f) => `docs/${f}`);
  return ['docs/getting-started.md', 'README.md', ...readmes, ...docs.sort()];
}

/** The fenced blocks of a markdown page: language, attributes, text and line. */
export function blocksOf(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, lang, rest] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length && !new RegExp(`^${indent}\`\`\`\\s*$`).test(lines[j]); j++)
      body.push(lines[j].slice(indent.length));
    const words = rest.trim().split(/\s+/).filter(Boolean);
    const file = words.find((w) => w.startsWith('file='))?.slice(5);
    blocks.push({
      lang,
      test: words.includes('test'),
      background: words.includes('background'),
      ...(file ? { file } : {}),
      text: `${body.join('\n')}\n`,
      line: i + 1,
    });
    i = j;
  }
  return blocks;
}

const CLIS = ['allparty-audit', 'allparty-server', 'allparty-scan'];

/** Each CLI's --help text, from the built packages. */
function helpTexts() {
  return Object.fromEntries(
    CLIS.map((cli) => {
      const r = spawnSync('node', [`packages/${cli.slice(9)}/bin/${cli}.js`, '--help'], { encoding: 'utf8' });
      return [cli, `${r.stdout}${r.stderr}`];
    }),
  );
}

/** Problems with the allparty commands in one block: unknown subcommands or options. */
export function commandProblems(text, help) {
  const problems = [];
  const joined = text.replace(/\\\n/g, ' ');
  for (const line of joined.split('\n')) {
    for (const cli of CLIS) {
      const at = line.search(new RegExp(`(^|[\\s(\`"])${cli}(\\s|$)`));
      if (at < 0) continue;
      const words = line
        .slice(at)
        .trim()
        .split(/\s+/)
        .slice(1)
        .filter((w) => !w.startsWith('#'));
      const usage = help[cli];
      const end = words.findIndex((w) => /^[#|&;>)]/.test(w));
      const args = end < 0 ? words : words.slice(0, end);
      for (const arg of args) {
        const option = /^(--?[\w-]+)/.exec(arg)?.[1];
        if (option && !new RegExp(`(^|[\\s,/\\[])${option}(?![\\w-])`, 'm').test(usage))
          problems.push(`${cli} has no option ${option}`);
      }
      if (cli === 'allparty-audit') {
        const command = args.find((a) => !a.startsWith('-'));
        if (command && !new RegExp(`^  ${command}( |$)`, 'm').test(usage))
          problems.push(`allparty-audit has no command "${command}"`);
      }
    }
  }
  return problems;
}

function freshApp() {
  // One folder per checkout, so two checkouts on one machine never share an app.
  const checkout = createHash('sha256').update(resolve('.')).digest('hex').slice(0, 12);
  const base = join(tmpdir(), `allparty-docs-test-${checkout}`);
  const app = join(base, 'my-app');
  mkdirSync(app, { recursive: true });
  rmSync(join(base, 'allparty'), { force: true });
  symlinkSync(resolve('.'), join(base, 'allparty'));
  for (const entry of readdirSync(app))
    if (entry !== 'node_modules') rmSync(join(app, entry), { recursive: true, force: true });
  return app;
}

/**
 * A folder laid out as prebuild-install looks for a binary (`<name>-v<version>-node-v<abi>-
 * <platform>-<arch>.tar.gz` holding `build/Release/better_sqlite3.node`), made from the binary
 * the workspace's install built; null when there is none. The tarballs pin the same version.
 */
let prebuildsDir;
function localPrebuilds() {
  if (prebuildsDir !== undefined) return prebuildsDir;
  prebuildsDir = null;
  const pkgDir = resolve('packages/ledger/node_modules/better-sqlite3');
  const binary = join(pkgDir, 'build/Release/better_sqlite3.node');
  if (!existsSync(binary)) return null;
  const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const dir = join(tmpdir(), `allparty-prebuilds-${process.versions.modules}`);
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  mkdirSync(dir, { recursive: true });
  const made = spawnSync('tar', ['-czf', join(dir, name), '-C', pkgDir, 'build/Release/better_sqlite3.node']);
  if (made.status === 0) prebuildsDir = dir;
  return prebuildsDir;
}

/** Process groups of the blocks running now: stopped with this script, however it ends. */
const running = new Set();
const stopRunning = () => {
  for (const pid of running)
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
};
process.on('exit', stopRunning);
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    stopRunning();
    process.exit(1);
  });

/** Runs one sh block; a background one until it prints a URL (then it is stopped). */
function runShell(text, cwd, background) {
  // PORT=0: a server the docs start picks a free port (other runs share this machine).
  const env = { ...process.env, PORT: '0', npm_config_audit: 'false', npm_config_fund: 'false' };
  // better-sqlite3 builds from source here (no prebuilt download): use the installed Node headers.
  if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
  // …unless the workspace's own build of the same version can stand in for the prebuilt binary a
  // user's install downloads: compiling SQLite again takes minutes on a 2-core machine.
  const prebuilds = localPrebuilds();
  if (prebuilds) env.npm_config_better_sqlite3_local_prebuilds = prebuilds;
  return new Promise((done) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', text], { cwd, env, detached: true });
    running.add(child.pid);
    let output = '';
    // 15 minutes: a first install compiles better-sqlite3, slow on a busy 2-core machine.
    const limit = background ? 30 : 900;
    const timer = setTimeout(() => stop(`timed out after ${limit} s`), limit * 1000);
    const stop = (problem) => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      done({ problem, output });
    };
    const onData = (chunk) => {
      output += chunk;
      if (background && /https?:\/\/\S+/.test(output)) stop(null);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      running.delete(child.pid);
      clearTimeout(timer);
      if (background) done({ problem: `exited (${code}) before printing a URL`, output });
      else done({ problem: code === 0 ? null : `exited with ${code}`, output });
    });
  });
}

export async function runDocs({ log = console.log, only = [] } = {}) {
  const results = [];
  const report = (label, problems, output = '') => {
    results.push({ label, problems });
    const detail = problems.length && output ? `\n${output.trim().split('\n').slice(-25).join('\n')}` : '';
    log(
      `${problems.length ? 'FAIL' : 'ok  '} ${label}${problems.map((p) => `\n       ${p}`).join('')}${detail}`,
    );
  };
  if (!existsSync('.release')) throw new Error('no .release/: run `pnpm release:pack` first');
  const help = helpTexts();
  const app = freshApp();
  for (const page of docPages().filter((p) => only.length === 0 || only.includes(p))) {
    for (const block of blocksOf(readFileSync(page, 'utf8'))) {
      const where = `${page}:${block.line}`;
      if (block.lang === 'sh' || block.lang === 'yaml') {
        const problems = commandProblems(block.text, help);
        if (problems.length || !block.test)
          report(`${where}: allparty commands match their --help`, problems);
      }
      if (!block.test) continue;
      if (block.file) {
        mkdirSync(dirname(join(app, block.file)), { recursive: true });
        writeFileSync(join(app, block.file), block.text);
        continue;
      }
      const started = Date.now();
      const { problem, output } = await runShell(block.text, app, block.background);
      const head = block.text.trim().split('\n')[0];
      report(
        `${where}: ${head} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
        problem ? [problem] : [],
        output,
      );
    }
    if (page === 'docs/getting-started.md') {
      const problems = await checkBuiltApp(join(app, 'dist'));
      report(
        'docs/getting-started.md: the built app in Chromium (banner, nothing before Accept, gate)',
        problems,
      );
    }
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Pages named on the command line run alone (`node scripts/docs-test.mjs docs/getting-started.md`).
  const failed = (await runDocs({ only: process.argv.slice(2) })).filter((r) => r.problems.length).length;
  process.exitCode = failed ? 1 : 0;
}
