// Ingest throughput of the log server over HTTP on loopback (single-record requests, autocannon),
// on SQLite and on PostgreSQL, and the time to verify a Merkle log of 1,000,000 records.
// Runs on the built dist/ files (`pnpm bench` builds first). Only 127.0.0.1 is contacted.
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  canonicalBytes,
  generateCheckpointKeys,
  leafHash,
  openPostgresStore,
  openSqliteStore,
  signCheckpoint,
  TreeBuilder,
  verifyLog,
} from '@allparty/ledger';
import autocannon from 'autocannon';
import pg from 'pg';
import { startServer } from '../dist/index.js';

const PG_URL = process.env.ALLPARTY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const GOAL_RPS = 5000;
const GOAL_VERIFY_MS = 5000;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 8);
// A fixed number of requests (about BENCH_SECONDS at the goal rate), so that autocannon waits
// for every answer and the log can be compared with the 2xx count exactly.
const REQUESTS = Number(process.env.BENCH_RECORDS ?? GOAL_RPS * DURATION_S);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
// The write routes keep their per-IP rate limit, raised explicitly: every request comes from 127.0.0.1.
const RATE_LIMIT = { max: Number(process.env.BENCH_RATE_LIMIT ?? 10_000_000), windowMs: 60_000 };
const VERIFY_N = Number(process.env.BENCH_VERIFY_N ?? 1_000_000);

// The notice every record points to: the browser sends its text once, when an answer lists
// its hash as unknown; the bench does the same before the run.
const NOTICE_TEXT =
  'We and our vendors use session replay and chat on this site. Accept all, reject all, or choose per purpose and vendor.';
const NOTICE_HASH = createHash('sha256').update(NOTICE_TEXT, 'utf8').digest('hex');

function uuidv7(ms) {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function record(i, now) {
  return {
    schema: 'allparty.consent-record/1',
    id: uuidv7(now + (i % 1000)),
    subject: randomBytes(16).toString('base64url'),
    previous: null,
    clientTime: new Date(now).toISOString(),
    event: i % 3 === 0 ? 'refused' : 'given',
    method: { type: 'control', control: 'accept-all' },
    purposes: { analytics: true, replay: i % 2 === 0, chat: false },
    vendors: { hotjar: i % 2 === 0, intercom: false },
    notice: { id: 'main', version: '2026-01', language: 'en', hash: NOTICE_HASH },
    policy: { url: '/privacy', version: '3' },
    controller: { name: 'Example Inc.', email: 'privacy@example.com' },
    jurisdiction: { region: 'US-CA', source: 'config' },
    gpc: false,
    sdk: { version: '0.1.0', adapters: { hotjar: '0.1.0', intercom: '0.1.0' } },
    page: { origin: 'https://shop.example.com', path: '/products/widget' },
  };
}

/** The server under test runs in its own process, so the load generator does not share its core. */
function spawnServer(storeOption, dataDir) {
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_CHILD_ARGS?.split(' ').filter(Boolean) ?? []), new URL(import.meta.url).pathname],
    {
      env: { ...process.env, ALLPARTY_BENCH_CHILD: JSON.stringify({ store: storeOption, dataDir }) },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

/** The server's CPU time so far in µs, all threads and its main thread (asked over the IPC channel). */
function serverCpu(child) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send('cpu');
  });
}

/** CPU time of one thread of this process in µs (Linux), or null. */
function threadCpu(tid) {
  try {
    const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
}

/** CPU time of every PostgreSQL process on this machine (backends, WAL writer, …), in µs; null off Linux. */
function postgresCpu() {
  try {
    let ticks = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
      } catch {
        // the process ended meanwhile
      }
    }
    return ticks * 10_000; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

async function child() {
  const { store, dataDir } = JSON.parse(process.env.ALLPARTY_BENCH_CHILD);
  const { url, close } = await startServer({
    store,
    dataDir,
    port: 0,
    logger: false,
    rateLimit: RATE_LIMIT,
    // Every request comes from one IP: the per-sender byte bound is raised like the rate limit.
    limits: { bytesPerIpPerHour: 2 ** 40 },
    sealIntervalMs: 200,
    checkpointIntervalMs: 1000,
  });
  process.stdout.write(`listening ${url}\n`);
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send({ all: user + system, main: threadCpu(process.pid) });
  });
  process.on('SIGTERM', () => void close().then(() => process.exit(0)));
}

async function ingest(label, storeOption, count) {
  const dir = mkdtempSync(join(tmpdir(), 'allparty-bench-'));
  const { child, url } = await spawnServer(storeOption, dir);
  // Baseline in the same run, on the same server: GET /healthz (one trivial store query). On a
  // busy machine both drop together; their ratio says what ingest itself costs.
  const baseCpu0 = await serverCpu(child);
  const base = await autocannon({
    url: `${url}/healthz`,
    connections: CONNECTIONS,
    duration: Math.min(3, DURATION_S),
  });
  const baseRps = base['2xx'] / base.duration;
  const baseCpu = await serverCpu(child);
  const now = Date.now();
  // Every body is a different record, so every 2xx is one stored record (no duplicates).
  // (Encoded beforehand, so the load generator does not spend its time on it.)
  const bodies = Array.from({ length: REQUESTS }, (_, i) =>
    Buffer.from(JSON.stringify({ records: [record(i, now)] })),
  );
  const posted = await fetch(`${url}/v1/notices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ hash: NOTICE_HASH, text: NOTICE_TEXT }),
  });
  if (!posted.ok) throw new Error(`the notice text was refused: ${posted.status}`);
  let next = 0;
  const cpu0 = { server: await serverCpu(child), bench: process.cpuUsage(), postgres: postgresCpu() };
  const result = await autocannon({
    url: `${url}/v1/records`,
    connections: CONNECTIONS,
    pipelining: 1,
    amount: REQUESTS,
    // autocannon notices the end at its next sample: sample often, so the time is the run's own.
    sampleInt: 100,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          req.body = bodies[next++];
          return req;
        },
      },
    ],
  });
  const benchCpu = process.cpuUsage(cpu0.bench);
  const serverCpu1 = await serverCpu(child);
  const cpu = {
    server: serverCpu1.all - cpu0.server.all,
    main: serverCpu1.main === null ? null : serverCpu1.main - cpu0.server.main,
    bench: benchCpu.user + benchCpu.system,
    postgres: cpu0.postgres === null ? null : postgresCpu() - cpu0.postgres,
  };
  // Only 2xx answers count; each acknowledges one stored record.
  const ok = result['2xx'];
  const seconds = result.duration;
  const rps = ok / seconds;
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  const stored = await count();
  rmSync(dir, { recursive: true, force: true });
  const verdict = rps >= GOAL_RPS ? 'meets' : 'MISSES';
  console.log(
    `ingest ${label.padEnd(10)} ${Math.round(rps).toString().padStart(6)} records/s  (${ok} acknowledged in ${seconds.toFixed(1)} s, ${result.non2xx} non-2xx, ${result.errors} errors, p99 ${result.latency.p99} ms, ${stored} in the log)  ${verdict} the ${GOAL_RPS}/s goal (ratio ${(rps / GOAL_RPS).toFixed(2)})`,
  );
  console.log(
    `  baseline GET /healthz on the same server: ${Math.round(baseRps)} requests/s; ingest/baseline ratio ${(rps / baseRps).toFixed(2)}`,
  );
  const per = (us, n) => `${Math.round(us / Math.max(n, 1))} µs`;
  const baseMain =
    baseCpu.main === null ? '' : `, its main thread ${per(baseCpu.main - baseCpu0.main, base['2xx'])}`;
  console.log(
    `  CPU per acknowledged record: server ${per(cpu.server, ok)}${cpu.main === null ? '' : ` (main thread ${per(cpu.main, ok)})`}, load generator ${per(cpu.bench, ok)}${cpu.postgres === null || label !== 'postgres' ? '' : `, PostgreSQL processes ${per(cpu.postgres, ok)}`}; per /healthz request: server ${per(baseCpu.all - baseCpu0.all, base['2xx'])}${baseMain}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  if (stored !== ok) {
    console.log(`  !! ${ok} acknowledged (2xx) but ${stored} in the log`);
    process.exitCode = 1;
  }
  return rps;
}

async function verifyBench() {
  const keys = generateCheckpointKeys();
  const now = Date.now();
  let t = performance.now();
  // Records differ in id and subject only; splice them into one canonical template (fast).
  const [head, middle, tail] = canonicalBytes({ ...record(0, now), id: '@ID@', subject: '@SUBJECT@' })
    .toString()
    .split(/"@ID@"|"@SUBJECT@"/);
  // The log is kept the way a store hands it out: bytes in a few large buffers, each batch read
  // as fresh short-lived views, not a million long-lived objects for the garbage collector.
  const sample = Buffer.from(
    `${head}"${uuidv7(now)}"${middle}"${randomBytes(12).toString('base64url')}"${tail}`,
  );
  const width = sample.length;
  const all = Buffer.allocUnsafe(width * VERIFY_N);
  const meta = new Array(VERIFY_N);
  for (let i = 0; i < VERIFY_N; i++) {
    const id = uuidv7(now);
    const subject = randomBytes(12).toString('base64url');
    const written = all.write(`${head}"${id}"${middle}"${subject}"${tail}`, i * width);
    if (written !== width) throw new Error('records must have one length');
    meta[i] = `${id} ${subject}`;
  }
  const body = (i) => all.subarray(i * width, (i + 1) * width);
  const genMs = performance.now() - t;
  t = performance.now();
  const levels = [];
  const tree = new TreeBuilder();
  for (let i = 0; i < VERIFY_N; i++)
    tree.append(leafHash(body(i)), (level, idx, hash) => {
      levels[level] ??= Buffer.alloc(32 * (Math.floor(VERIFY_N / 2 ** level) + 1));
      hash.copy(levels[level], idx * 32);
    });
  const sealMs = performance.now() - t;
  const checkpoint = signCheckpoint(
    {
      origin: 'bench',
      kind: 'seal',
      size: VERIFY_N,
      root: tree.root().toString('base64'),
      time: new Date().toISOString(),
    },
    keys,
  );
  const source = {
    checkpoints: async () => [checkpoint],
    treeSize: async () => VERIFY_N,
    nodeRange: async (level, from, to) => {
      const l = levels[level];
      const out = [];
      const last = Math.min(to, Math.floor(VERIFY_N / 2 ** level) - 1);
      for (let i = from; l && i <= last; i++)
        out.push({ level, idx: i, hash: l.subarray(i * 32, i * 32 + 32) });
      return out;
    },
    async *scan(from, batch) {
      for (let s = from; s < VERIFY_N; s += batch) {
        const out = [];
        for (let i = s; i < Math.min(VERIFY_N, s + batch); i++)
          out.push({ seq: i, id: '', at: 0, subject: '', body: body(i) });
        yield out;
      }
    },
  };
  const results = {};
  for (const [name, opts] of [
    ['hashes + nodes + checkpoint', { parse: false }],
    ['also parse + canonical check', { parse: true }],
  ]) {
    if (name.startsWith('also')) {
      // parse mode compares ids and subjects with the indexed columns: give it real ones
      source.scan = async function* (from, batch) {
        for (let s = from; s < VERIFY_N; s += batch) {
          const out = [];
          for (let i = s; i < Math.min(VERIFY_N, s + batch); i++) {
            const [id, subject] = meta[i].split(' ');
            out.push({ seq: i, id, at: now, subject, body: body(i) });
          }
          yield out;
        }
      };
    }
    t = performance.now();
    const report = await verifyLog(source, { publicKey: keys.publicKey, ...opts });
    const ms = performance.now() - t;
    if (!report.ok)
      throw new Error(`verification failed: ${JSON.stringify(report.firstBad ?? report.checkpointProblems)}`);
    results[name] = ms;
  }
  const hashOnly = results['hashes + nodes + checkpoint'];
  console.log(
    `verify ${VERIFY_N.toLocaleString('en')} records: ${(hashOnly / 1000).toFixed(2)} s (leaf hashes, every stored node, checkpoint root and signature)  ${hashOnly <= GOAL_VERIFY_MS ? 'meets' : 'MISSES'} the ${GOAL_VERIFY_MS / 1000} s goal (ratio ${(hashOnly / GOAL_VERIFY_MS).toFixed(2)})`,
  );
  console.log(
    `  with every record parsed and checked canonical: ${(results['also parse + canonical check'] / 1000).toFixed(2)} s building the tree (sealing) took ${(sealMs / 1000).toFixed(2)} s; generating records ${(genMs / 1000).toFixed(2)} s (not counted)`,
  );
}

async function main() {
  console.log(
    `log server ingest: single-record POSTs over HTTP on 127.0.0.1 (server in its own process), ${CONNECTIONS} connections, ${REQUESTS} requests per store, each a different record (its notice text posted once first, as the SDK does); schema validation, durable commit before the answer, rate limit raised to ${RATE_LIMIT.max} per ${RATE_LIMIT.windowMs / 1000} s per IP (one client IP); load average now ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cpus().length} cores`,
  );
  const sqliteDir = mkdtempSync(join(tmpdir(), 'allparty-bench-db-'));
  const sqlitePath = join(sqliteDir, 'ledger.sqlite');
  const only = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',');
  if (only.includes('sqlite'))
    await ingest('sqlite', { sqlite: sqlitePath }, async () => {
      const store = openSqliteStore({ path: sqlitePath });
      const n = (await store.treeSize()) + (await store.pendingCount());
      await store.close();
      rmSync(sqliteDir, { recursive: true, force: true });
      return n;
    });
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  if (only.includes('postgres'))
    await ingest('postgres', { postgres: PG_URL, schema, max: 10 }, async () => {
      const store = await openPostgresStore({ connectionString: PG_URL, schema, max: 1 });
      const n = (await store.treeSize()) + (await store.pendingCount());
      await store.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
      return n;
    });
  if (VERIFY_N > 0) await verifyBench();
}

if (process.env.ALLPARTY_BENCH_CHILD) await child();
else await main();
