// allparty-audit over a 1,000,000-record SQLite log: the time of `verify` and of `report`, each
// run as the CLI (its own process, as an auditor runs it), against a baseline measured in the
// same run: reading every record's bytes from the same file. Runs on the built dist/ files.
// The log is built once (a few minutes) and cached under .cache/audit-bench/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@allparty/ledger';
import { buildSyntheticLog, GENERATOR_VERSION } from '../scripts/synthetic-log.mjs';

const N = Number(process.env.BENCH_AUDIT_N ?? 1_000_000);
const ROOT = new URL('../../../', import.meta.url).pathname;
const DIR = join(ROOT, '.cache', `audit-bench-${N}`);
const DB = join(DIR, 'ledger.sqlite');
const META = join(DIR, 'meta.json');
const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;

const meta = existsSync(META) ? JSON.parse(readFileSync(META, 'utf8')) : null;
if (!meta || meta.records !== N || meta.version !== GENERATOR_VERSION || !existsSync(DB)) {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const t = performance.now();
  let shown = 0;
  await buildSyntheticLog({
    path: DB,
    records: N,
    onProgress: (done) => {
      if (done - shown >= N / 10 || done === N) {
        shown = done;
        process.stdout.write(`  building the log: ${done.toLocaleString('en-US')} records\n`);
      }
    },
  });
  writeFileSync(META, JSON.stringify({ records: N, version: GENERATOR_VERSION }));
  console.log(
    `built a ${N.toLocaleString('en-US')}-record log in ${fmt(performance.now() - t)} (cached in ${DIR})`,
  );
} else console.log(`reusing the cached ${N.toLocaleString('en-US')}-record log in ${DIR}`);
console.log(
  `log file ${(statSync(DB).size / 1e6).toFixed(0)} MB; ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

// Baseline: read every record's bytes in log order, as both commands must.
const store = openSqliteStore({ path: DB });
const t = performance.now();
const cpu0 = process.cpuUsage();
let bytes = 0;
let count = 0;
for await (const rows of store.scan(0, 10_000))
  for (const r of rows) {
    bytes += r.body.length;
    count++;
  }
const scanMs = performance.now() - t;
const scanCpu = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpu0));
await store.close();
console.log(
  `baseline: read ${count.toLocaleString('en-US')} records (${(bytes / 1e6).toFixed(0)} MB) in ${fmt(scanMs)} (CPU ${fmt(scanCpu)})`,
);

// The child reports its own CPU time at exit: on a shared machine wall time depends on the
// neighbours, CPU time much less.
const CPU_HOOK = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\ncpu-ms '+(u.user+u.system)/1000+'\\n')})`;

function run(args) {
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--import', CPU_HOOK, CLI, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const ms = performance.now() - start;
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    throw new Error(`allparty-audit ${args[0]} exited with ${r.status}`);
  }
  const cpu = Number(/cpu-ms ([\d.]+)/.exec(r.stderr)?.[1] ?? Number.NaN);
  return { ms, cpu, out: r.stdout };
}

const verify = run(['verify', DIR, '--public-key', join(DIR, 'public-key.pem'), '--no-progress']);
if (!/INTACT/.test(verify.out)) throw new Error(`verify did not say INTACT:\n${verify.out}`);
const checked = /checkpoints +(.*)/.exec(verify.out)?.[1] ?? '';
console.log(
  `verify ${N.toLocaleString('en-US')} records: ${fmt(verify.ms)}, CPU ${fmt(verify.cpu)} (${(verify.cpu / scanCpu).toFixed(1)}× the baseline's CPU; every record parsed and checked canonical, every leaf, every stored node, ${checked})`,
);
const out = join(DIR, 'report.html');
const report = run(['report', DIR, '--out', out, '--no-progress']);
console.log(
  `report ${N.toLocaleString('en-US')} records: ${fmt(report.ms)}, CPU ${fmt(report.cpu)} (${(report.cpu / scanCpu).toFixed(1)}× the baseline's CPU; every record parsed; ${(statSync(out).size / 1024).toFixed(0)} KiB of HTML)`,
);
