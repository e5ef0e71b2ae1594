// The one test command (`pnpm test`): build, lint, types, unit tests, size budgets, the
// release packages, the docs' commands, and browser tests against the built bundles. Ends with
// one summary line; exits non-zero when any step or any test fails.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureChromium } from './browser.mjs';
import { checkPackages } from './check-packages.mjs';
import { runDocs } from './docs-test.mjs';
import { releasePack } from './release-pack.mjs';

const bin = (name) => `node_modules/.bin/${name}`;
mkdirSync('.cache', { recursive: true });
const results = { passed: 0, failed: 0 };
const problems = [];

function run(title, cmd, args, env = {}) {
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) problems.push(`${title} exited with ${r.status ?? r.signal}`);
  return r.status === 0;
}

const only = process.argv.slice(2);
const want = (step) => only.length === 0 || only.includes(step);

if (
  want('build') &&
  !run('build', bin('rollup'), ['-c', 'rollup.config.ts', '--configPlugin', 'esbuild', '--silent'])
)
  finish();
if (want('lint')) run('lint', bin('biome'), ['check', '.']);
if (want('types')) run('types', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);

if (want('unit')) {
  rmSync('.cache/vitest.json', { force: true });
  run('unit tests', bin('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    '--outputFile.json=.cache/vitest.json',
  ]);
  if (existsSync('.cache/vitest.json')) {
    const v = JSON.parse(readFileSync('.cache/vitest.json', 'utf8'));
    results.passed += v.numPassedTests;
    results.failed += v.numFailedTests + (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
    if (v.numPendingTests || v.numTodoTests) problems.push('skipped or todo unit tests are defects');
  } else problems.push('vitest wrote no results');
}

if (want('size')) {
  const { measure } = await import('./size.mjs');
  console.log('\n=== size budgets (gzip)');
  for (const r of await measure()) {
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.label}: ${r.size ?? r.problem} B (budget ${r.budget} B)`);
    if (r.ok) results.passed++;
    else results.failed++;
  }
}

// What a release ships, checked as a stranger meets it: the tarballs and the embed zip, then
// every runnable block of the docs against them, in an app folder outside this workspace.
let packed = false;
function pack() {
  if (packed) return true;
  console.log('\n=== release:pack (--no-build)');
  try {
    releasePack({ build: false });
    packed = true;
  } catch (error) {
    problems.push(`release:pack failed: ${error.message}`);
    results.failed++;
  }
  return packed;
}
function count(checks) {
  for (const c of checks) c.problems.length ? results.failed++ : results.passed++;
}
if (want('packages') && pack()) {
  console.log('\n=== packages: README, LICENSE, publint, attw, embed zip');
  count(await checkPackages());
}
if (want('docs') && pack()) {
  await ensureChromium();
  console.log('\n=== docs: the commands and code blocks, as pasted');
  count(await runDocs());
}

if (want('e2e')) {
  await ensureChromium();
  rmSync('.cache/e2e.json', { force: true });
  run('browser tests', bin('playwright'), ['test', '-c', 'tests/e2e/playwright.config.ts'], {
    // Absolute: Playwright resolves reporter paths against its config's folder.
    ALLPARTY_E2E_JSON: resolve('.cache/e2e.json'),
  });
  if (existsSync('.cache/e2e.json')) {
    const s = JSON.parse(readFileSync('.cache/e2e.json', 'utf8')).stats;
    results.passed += s.expected;
    results.failed += s.unexpected + s.flaky + s.skipped;
    if (s.skipped) problems.push('skipped browser tests are defects');
  } else problems.push('playwright wrote no results');
}

finish();

function finish() {
  console.log('');
  for (const p of problems) console.log(`problem: ${p}`);
  console.log(`${results.passed} passed, ${results.failed} failed`);
  process.exit(problems.length || results.failed ? 1 : 0);
}
