/**
 * The embedded store: one SQLite file (better-sqlite3, WAL). `synchronous=NORMAL` keeps every
 * acknowledged record through a crash of the process (SIGKILL); `full` also through power loss.
 *
 * Writes (ingest, notices, sealing, checkpoints) run on a second connection in a worker thread,
 * so the caller's event loop never waits on a commit or the disk; a third connection in another
 * thread copies the WAL into the database file (WAL checkpoints), so the writer does not wait
 * for that either. Reads run on the caller's connection (WAL readers do not wait for writers).
 * To seal, the writer reads and hashes the oldest inbox rows, the caller plans the tree nodes,
 * and the writer applies the plan only if the log has not moved meanwhile (another process
 * sealed). A call resolves after its transaction committed.
 */
import { mkdirSync, statfsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Checkpoint } from './checkpoint';
import { frontierKeys, leafHash, type NodeKey, type TreeNode } from './merkle';
import {
  alteredError,
  type CheckpointSigner,
  frontierFrom,
  type InboxCheck,
  type IngestEntry,
  type IngestResult,
  type LedgerStore,
  nodeKey,
  planLeaves,
  type RecordQuery,
  type SealResult,
  type StoredRecord,
  signTreeHead,
} from './store';

/** Options for {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file (created with its folder), or `:memory:`. */
  path: string;
  /**
   * Open an existing ledger for reading only (verification, audits): nothing is created or
   * changed — no folder, no file, no table, no journal mode — and every write is refused. A
   * missing file or one that holds no ledger is an error. @default false
   */
  readOnly?: boolean;
  /** Free bytes on the file's disk below which {@link LedgerStore.writeProblem} reports it. @default 64 MiB */
  minFreeBytes?: number;
  /** `normal` survives a process crash, `full` also a power loss. @default "normal" */
  synchronous?: 'normal' | 'full';
  /**
   * Where writes run: `thread`, a worker thread with its own connection, or `inline`, on the
   * caller's thread. `:memory:` is always inline (a second connection would open another database).
   * @default "thread"
   */
  writer?: 'thread' | 'inline';
}

/** One statement of a write transaction (see {@link executeSteps}). */
interface Step {
  sql: string;
  params?: readonly unknown[];
  /**
   * `run` answers the number of rows changed, `all` the rows, `pluck` the first column of the
   * first row, `leaves` the rows `{ n, id, sealed, body, tag }` of a query as `{ n, id, sealed, leaf, tag }`, the
   * body replaced by its leaf hash (bodies stay in the writer).
   */
  mode: 'run' | 'all' | 'pluck' | 'leaves';
  /** For `pluck`: the value the log must still have; otherwise the transaction is undone and answers null. */
  expect?: unknown;
  /** For `run`: the rows it must change; otherwise the transaction is undone with `error`. */
  changes?: number;
  error?: string;
}

/**
 * Runs `steps` in one IMMEDIATE transaction on `db` and commits: an answer per step, or null
 * (nothing written) when a `pluck` did not find what it `expect`ed. Self-contained (no outside
 * names), because the writer thread runs its source text too.
 */
function executeSteps(
  db: Database.Database,
  statements: Map<string, Database.Statement>,
  steps: readonly Step[],
  hashLeaf: (body: Uint8Array) => Uint8Array,
): unknown[] | null {
  db.exec('BEGIN IMMEDIATE');
  try {
    const out: unknown[] = [];
    for (const step of steps) {
      let stmt = statements.get(step.sql);
      if (stmt === undefined) {
        stmt = db.prepare(step.sql);
        statements.set(step.sql, stmt);
      }
      const params = step.params ?? [];
      if (step.mode === 'pluck') {
        const value = stmt.pluck(true).get(params);
        if (step.expect !== undefined && value !== step.expect) {
          db.exec('ROLLBACK');
          return null;
        }
        out.push(value);
      } else if (step.mode === 'all') {
        out.push(stmt.all(params));
      } else if (step.mode === 'leaves') {
        const rows = stmt.all(params) as Array<{
          n: number;
          id: string;
          sealed: number;
          body: Uint8Array;
          tag: Uint8Array | null;
        }>;
        const leaves: Array<{
          n: number;
          id: string;
          sealed: number;
          leaf: Uint8Array;
          tag: Uint8Array | null;
        }> = [];
        for (const row of rows)
          leaves.push({ n: row.n, id: row.id, sealed: row.sealed, leaf: hashLeaf(row.body), tag: row.tag });
        out.push(leaves);
      } else {
        const changes = stmt.run(params).changes;
        if (step.changes !== undefined && changes !== step.changes)
          throw new Error(step.error ?? `ledger: ${changes} rows changed, not ${step.changes}`);
        out.push(changes);
      }
    }
    db.exec('COMMIT');
    return out;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** Runs write transactions; `close` waits for those sent and stops. */
interface Writer {
  run(steps: readonly Step[]): Promise<unknown[] | null>;
  close(): Promise<void>;
}

function inlineWriter(db: Database.Database): Writer {
  const statements = new Map<string, Database.Statement>();
  return {
    async run(steps) {
      return executeSteps(db, statements, steps, leafHash);
    },
    async close() {},
  };
}

const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
for (const pragma of workerData.pragmas) db.pragma(pragma);
const statements = new Map();
// RFC 9162 leaf hash, SHA-256(0x00 || record bytes), as leafHash in merkle.ts computes it.
const { createHash } = require('node:crypto');
const LEAF_PREFIX = Buffer.of(0);
const hashLeaf = (body) => createHash('sha256').update(LEAF_PREFIX).update(body).digest();
const executeSteps = (${executeSteps.toString()});
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  let answer;
  try {
    answer = { id: message.id, result: executeSteps(db, statements, message.steps, hashLeaf) };
  } catch (error) {
    answer = { id: message.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort.postMessage(answer);
});
`;

// Copies the WAL into the database file in the background (a PASSIVE checkpoint: it never
// stops the writer) and, once the WAL holds `restartFrames` pages, waits for a moment with no
// writer (RESTART) so that the next transaction starts the WAL over instead of growing it.
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 10000');
const timer = setInterval(() => {
  try {
    const [wal] = db.pragma('wal_checkpoint(PASSIVE)');
    if (wal.log >= workerData.restartFrames) db.pragma('wal_checkpoint(RESTART)');
  } catch {
    // Busy (another process checkpoints) or a passing error: the next round tries again.
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** WAL pages after which the checkpointer restarts the WAL (64 MiB of 4 KiB pages). */
const RESTART_FRAMES = 16_384;

/** Writes on a worker thread, started with the first write (readers such as a verifier start none). */
function threadWriter(path: string, pragmas: readonly string[]): Writer {
  const waiting = new Map<number, { resolve(r: unknown[] | null): void; reject(e: unknown): void }>();
  let next = 0;
  let failed: Error | null = null;
  let closed = false;
  const fail = (error: Error) => {
    failed ??= error;
    for (const w of waiting.values()) w.reject(failed);
    waiting.clear();
  };

  const start = () => {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    // The writer leaves checkpoints to the checkpointer: it only checkpoints itself (a safety
    // net) if the WAL grows to four times the checkpointer's restart mark.
    const worker = new Worker(WRITER_SOURCE, {
      eval: true,
      workerData: { driver, path, pragmas: [...pragmas, `wal_autocheckpoint = ${4 * RESTART_FRAMES}`] },
    });
    const checkpointer = new Worker(CHECKPOINTER_SOURCE, {
      eval: true,
      workerData: { driver, path, intervalMs: 200, restartFrames: RESTART_FRAMES },
    });
    // The threads keep the process alive only while a transaction is on its way.
    worker.unref();
    checkpointer.unref();
    checkpointer.on('error', () => {
      // It only copies pages the WAL already holds; the writer's own checkpoints take over.
    });
    worker.on('message', (m: { id: number; result?: unknown[] | null; error?: string }) => {
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      if (waiting.size === 0) worker.unref();
      if (m.error !== undefined) w.reject(new Error(m.error));
      else w.resolve(m.result ?? null);
    });
    worker.on('error', fail);
    const writerExited = new Promise<void>((resolve) =>
      worker.on('exit', () => {
        fail(new Error('ledger: the SQLite writer thread stopped'));
        resolve();
      }),
    );
    const checkpointerExited = new Promise<void>((resolve) => checkpointer.on('exit', () => resolve()));
    return { worker, checkpointer, writerExited, checkpointerExited };
  };
  let threads: ReturnType<typeof start> | null = null;

  return {
    run(steps) {
      if (closed) return Promise.reject(new Error('ledger: the store is closed'));
      if (failed) return Promise.reject(failed);
      threads ??= start();
      const { worker } = threads;
      return new Promise((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve, reject });
        if (waiting.size === 1) worker.ref();
        worker.postMessage({ id, steps });
      });
    },
    async close() {
      closed = true;
      if (!threads) return;
      // The writer answers what was sent before it stops; then the checkpointer stops.
      const { worker, checkpointer, writerExited, checkpointerExited } = threads;
      worker.postMessage('close');
      worker.ref();
      checkpointer.ref();
      await writerExited;
      checkpointer.postMessage('close');
      await checkpointerExited;
    },
  };
}

/** A writer of a store opened read-only: every write is refused. */
function refusingWriter(path: string): Writer {
  return {
    run: () => Promise.reject(new Error(`ledger: ${path} is open read-only`)),
    async close() {},
  };
}

/** Opens an existing ledger file read-only; throws naming what is missing. */
function openReadOnly(path: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new Error(`ledger: cannot open ${path} read-only: ${(error as Error).message}`);
  }
  const tables = new Set(
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[],
  );
  const missing = ['inbox', 'records', 'nodes', 'seals', 'checkpoints', 'notices'].filter(
    (t) => !tables.has(t),
  );
  if (missing.length) {
    db.close();
    throw new Error(`ledger: ${path} holds no consent log (no ${missing.join(', ')} table)`);
  }
  return db;
}

const APPEND_ONLY = ['records', 'nodes', 'checkpoints', 'notices', 'seals'];

const SCHEMA = `
CREATE TABLE IF NOT EXISTS inbox (
  n INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  at INTEGER NOT NULL,
  subject TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  at INTEGER NOT NULL,
  subject TEXT NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS records_subject ON records (subject, at);
CREATE INDEX IF NOT EXISTS records_at ON records (at);
CREATE TABLE IF NOT EXISTS nodes (
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS seals (n INTEGER PRIMARY KEY AUTOINCREMENT, size INTEGER NOT NULL, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints (
  n INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  size INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS notices (hash TEXT PRIMARY KEY, text TEXT NOT NULL, received_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS notices_wanted (hash TEXT PRIMARY KEY, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS prune_guard (active INTEGER NOT NULL);
INSERT INTO prune_guard (active) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM prune_guard);
${APPEND_ONLY.map(
  (t) => `
CREATE TRIGGER IF NOT EXISTS ${t}_no_update BEFORE UPDATE ON ${t}
BEGIN SELECT RAISE(ABORT, 'allparty ledger: UPDATE on ${t} refused: the log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS ${t}_no_delete BEFORE DELETE ON ${t} WHEN (SELECT active FROM prune_guard) IS NOT 1
BEGIN SELECT RAISE(ABORT, 'allparty ledger: DELETE on ${t} refused: the log is append-only'); END;`,
).join('\n')}
`;

/** Statements the writer runs (some also on the caller's connection). */
const SQL = {
  size: 'SELECT coalesce(max(size), 0) AS size FROM seals',
  lastCheckpointN: 'SELECT max(n) FROM checkpoints',
  // Moves the fresh rows up to inbox row `n` into the log in one statement, positions in inbox order.
  moveFresh: `INSERT INTO records (seq, id, at, subject, body)
       SELECT ? + row_number() OVER (ORDER BY n) - 1, id, at, subject, body FROM inbox i
        WHERE n <= ? AND NOT EXISTS (SELECT 1 FROM records r WHERE r.id = i.id)`,
  // The same when the batch holds no repeat (the usual case): no lookup per row.
  moveAll: `INSERT INTO records (seq, id, at, subject, body)
       SELECT ? + row_number() OVER (ORDER BY n) - 1, id, at, subject, body FROM inbox WHERE n <= ?`,
  dropInboxUpTo: 'DELETE FROM inbox WHERE n <= ?',
  // Inbox rows to seal, oldest first, each marked if its id is already in the log (a repeat).
  pending:
    'SELECT n, id, body, tag, EXISTS (SELECT 1 FROM records r WHERE r.id = i.id) AS sealed FROM inbox i ORDER BY n LIMIT ?',
  putSeal: 'INSERT INTO seals (size, at) VALUES (?, ?)',
  putCheckpoint: 'INSERT INTO checkpoints (kind, size, body) VALUES (?, ?, ?)',
  putNotice: `INSERT INTO notices (hash, text, received_at)
    SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM notices_wanted WHERE hash = ?) ON CONFLICT DO NOTHING`,
  wantNotice: 'INSERT INTO notices_wanted (hash, at) VALUES (?, ?) ON CONFLICT DO NOTHING',
};

interface Row {
  seq: number | null;
  id: string;
  at: number;
  subject: string;
  body: Buffer;
}

/** The statements the store prepares once on its own connection. */
function prepareStatements(db: Database.Database) {
  return {
    size: db.prepare(SQL.size).pluck(),
    lastCheckpointN: db.prepare(SQL.lastCheckpointN).pluck(),
    node: db.prepare('SELECT hash FROM nodes WHERE level = ? AND idx = ?').pluck(),
    nodeRange: db.prepare(
      'SELECT level, idx, hash FROM nodes WHERE level = ? AND idx BETWEEN ? AND ? ORDER BY idx',
    ),
    pendingCount: db.prepare('SELECT count(*) FROM inbox').pluck(),
    oldestPending: db.prepare('SELECT received_at FROM inbox ORDER BY n LIMIT 1').pluck(),
    ping: db.prepare('SELECT 1'),
    putNode: db.prepare('INSERT INTO nodes (level, idx, hash) VALUES (?, ?, ?)'),
    putCheckpoint: db.prepare(SQL.putCheckpoint),
    latest: db.prepare('SELECT body FROM checkpoints ORDER BY n DESC LIMIT 1').pluck(),
    latestOf: db.prepare('SELECT body FROM checkpoints WHERE kind = ? ORDER BY n DESC LIMIT 1').pluck(),
    all: db.prepare('SELECT body FROM checkpoints ORDER BY n').pluck(),
    page: db.prepare('SELECT body FROM checkpoints ORDER BY n LIMIT ? OFFSET ?').pluck(),
    notice: db.prepare('SELECT text FROM notices WHERE hash = ?').pluck(),
    byId: db.prepare(
      'SELECT seq, id, at, subject, body FROM records WHERE id = ? UNION ALL SELECT NULL, id, at, subject, body FROM inbox WHERE id = ?',
    ),
    latestPending: db.prepare(
      'SELECT NULL AS seq, id, at, subject, body FROM inbox WHERE subject = ? ORDER BY n DESC LIMIT 1',
    ),
    latestSealed: db.prepare(
      'SELECT seq, id, at, subject, body FROM records WHERE subject = ? ORDER BY seq DESC LIMIT 1',
    ),
    scan: db.prepare('SELECT seq, id, at, subject, body FROM records WHERE seq >= ? ORDER BY seq LIMIT ?'),
    firstKept: db.prepare('SELECT min(seq) FROM records WHERE at >= ?').pluck(),
    guard: db.prepare('UPDATE prune_guard SET active = ?'),
    pruneRecords: db.prepare('DELETE FROM records WHERE seq < ?'),
    pruneNodes: db.prepare('DELETE FROM nodes WHERE (idx + 1) * (1 << level) <= ?'),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

const toRecord = (r: Row): StoredRecord => ({
  seq: r.seq,
  id: r.id,
  at: r.at,
  subject: r.subject,
  body: r.body,
});

/** The newest checkpoint of a kind, read on the caller's connection. */
function latestCheckpointOf(q: Statements, kind: Checkpoint['kind']): Checkpoint | null {
  const body = q.latestOf.get(kind) as string | undefined;
  return body ? (JSON.parse(body) as Checkpoint) : null;
}

/** The store's reads, on the caller's connection (WAL readers never wait for the writer). */
function sqliteReads(
  db: Database.Database,
  q: Statements,
  options: SqliteStoreOptions,
): Omit<
  LedgerStore,
  | 'kind'
  | 'ingest'
  | 'putNotice'
  | 'wantNotices'
  | 'knownNotices'
  | 'getNotice'
  | 'seal'
  | 'checkpoint'
  | 'prune'
  | 'close'
> {
  return {
    async treeSize() {
      return q.size.get() as number;
    },
    async pendingCount() {
      return q.pendingCount.get() as number;
    },
    async checkpoints(page) {
      const bodies = (page ? q.page.all(page.limit, page.offset) : q.all.all()) as string[];
      return bodies.map((b) => JSON.parse(b) as Checkpoint);
    },
    async latestCheckpoint(kind) {
      if (kind) return latestCheckpointOf(q, kind);
      const body = q.latest.get() as string | undefined;
      return body ? (JSON.parse(body) as Checkpoint) : null;
    },
    async nodes(keys: readonly NodeKey[]) {
      const out = new Map<string, Buffer>();
      for (const { level, idx } of keys) {
        const h = q.node.get(level, idx) as Buffer | undefined;
        if (h) out.set(nodeKey(level, idx), h);
      }
      return out;
    },
    async nodeRange(level, from, to) {
      return q.nodeRange.all(level, from, to) as TreeNode[];
    },
    async recordById(id) {
      const row = q.byId.get(id, id) as Row | undefined;
      return row ? toRecord(row) : null;
    },
    async latestOfSubject(subject) {
      const row = (q.latestPending.get(subject) ?? q.latestSealed.get(subject)) as Row | undefined;
      return row ? toRecord(row) : null;
    },
    async records(query: RecordQuery) {
      const where: string[] = [];
      const params: Array<string | number> = [];
      if (query.subject !== undefined) {
        where.push('subject = ?');
        params.push(query.subject);
      }
      if (query.from !== undefined) {
        where.push('at >= ?');
        params.push(query.from);
      }
      if (query.to !== undefined) {
        where.push('at < ?');
        params.push(query.to);
      }
      const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const rows = db
        .prepare(
          `SELECT * FROM (SELECT seq, id, at, subject, body FROM records ${w}
           UNION ALL SELECT NULL AS seq, id, at, subject, body FROM inbox ${w}) ORDER BY at, id LIMIT ?`,
        )
        .all(...params, ...params, query.limit) as Row[];
      return rows.map(toRecord);
    },
    async *scan(from, batch = 10_000) {
      let next = from;
      for (;;) {
        const rows = q.scan.all(next, batch) as Row[];
        if (rows.length === 0) return;
        yield rows.map(toRecord);
        next = (rows[rows.length - 1]!.seq ?? next) + 1;
      }
    },
    async ping() {
      q.ping.get();
    },
    async oldestPendingAt() {
      return (q.oldestPending.get() as number | undefined) ?? null;
    },
    async writeProblem() {
      if (options.path === ':memory:') return null;
      const { bavail, bsize } = statfsSync(dirname(options.path));
      const free = bavail * bsize;
      const min = options.minFreeBytes ?? 64 * 1024 * 1024;
      return free < min
        ? `the disk holding ${options.path} has ${Math.floor(free / 1048576)} MiB free (below ${Math.floor(min / 1048576)} MiB)`
        : null;
    },
  };
}

/** Opens (and creates) a SQLite ledger. */
export function openSqliteStore(options: SqliteStoreOptions): LedgerStore {
  const readOnly = options.readOnly === true;
  if (!readOnly && options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = readOnly ? openReadOnly(options.path) : new Database(options.path);
  // Wait for other processes on the same file (several servers, or a verifier) instead of failing.
  db.pragma('busy_timeout = 10000');
  const synchronous = `synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`;
  if (!readOnly) {
    db.pragma('journal_mode = WAL');
    db.pragma(synchronous);
    db.exec(SCHEMA);
    // Added after the first release: the inbox tag (see ack.ts); rows of older servers have none.
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('inbox') as string[];
    if (!columns.includes('tag')) db.exec('ALTER TABLE inbox ADD COLUMN tag BLOB');
  }
  // The writer's page cache holds the indexes that sealing updates at random (by subject, by id).
  const writer = readOnly
    ? refusingWriter(options.path)
    : options.path === ':memory:' || options.writer === 'inline'
      ? inlineWriter(db)
      : threadWriter(options.path, ['busy_timeout = 10000', synchronous, 'cache_size = -32768']);

  const q = prepareStatements(db);

  const size = (): number => q.size.get() as number;
  const frontier = (n: number): Buffer[] => {
    const map = new Map<string, Buffer>();
    for (const { level, idx } of frontierKeys(n)) {
      const h = q.node.get(level, idx) as Buffer | undefined;
      if (h) map.set(nodeKey(level, idx), h);
    }
    return frontierFrom(n, map);
  };
  const latestOf = (kind: Checkpoint['kind']) => latestCheckpointOf(q, kind);

  // Group commit hands over many records at once: one multi-row INSERT per 64 of them (a
  // statement per row count, prepared once by the writer), answering with the ids it stored.
  const INGEST_ROWS = 64;
  const ingestSql = new Map<number, string>();
  const ingestStep = (part: readonly IngestEntry[], receivedAt: number): Step => {
    let sql = ingestSql.get(part.length);
    if (!sql) {
      sql = `INSERT INTO inbox (id, at, subject, received_at, body, tag)
         SELECT k.column1, k.column2, k.column3, ?, k.column4, k.column5 FROM (VALUES ${part.map(() => '(?, ?, ?, ?, ?)').join(',')}) AS k
          WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.id = k.column1)
         ON CONFLICT (id) DO NOTHING RETURNING id`;
      ingestSql.set(part.length, sql);
    }
    const params: Array<string | number | Buffer | null> = [receivedAt];
    for (const e of part) params.push(e.id, e.at, e.subject, e.body, e.tag ?? null);
    return { sql, params, mode: 'all' };
  };
  const ingest = async (entries: readonly IngestEntry[]): Promise<IngestResult[]> => {
    if (entries.length === 0) return [];
    const receivedAt = Date.now();
    const steps: Step[] = [];
    for (let i = 0; i < entries.length; i += INGEST_ROWS)
      steps.push(ingestStep(entries.slice(i, i + INGEST_ROWS), receivedAt));
    const results = (await writer.run(steps)) as Array<Array<{ id: string }>>;
    const stored = new Set<string>();
    for (const rows of results) for (const row of rows) stored.add(row.id);
    // A repeated id within the batch is stored once, for its first occurrence.
    return entries.map((e) => (stored.delete(e.id) ? 'stored' : 'duplicate'));
  };

  const nodeSql = new Map<number, string>();
  const nodeSteps = (nodes: readonly TreeNode[]): Step[] => {
    const steps: Step[] = [];
    for (let i = 0; i < nodes.length; i += 200) {
      const part = nodes.slice(i, i + 200);
      let sql = nodeSql.get(part.length);
      if (!sql) {
        sql = `INSERT INTO nodes (level, idx, hash) VALUES ${part.map(() => '(?, ?, ?)').join(',')}`;
        nodeSql.set(part.length, sql);
      }
      steps.push({ sql, params: part.flatMap((n) => [n.level, n.idx, n.hash]), mode: 'run' });
    }
    return steps;
  };

  // What signing reads, from one snapshot of the log (a read transaction).
  const checkpointSnapshot = db.transaction(() => {
    const n = size();
    return {
      n,
      last: latestOf('seal'),
      lastN: q.lastCheckpointN.get() as number | null,
      frontier: n ? frontier(n) : [],
    };
  });
  const sealSnapshot = db.transaction(() => {
    const n = size();
    return { n, frontier: frontier(n) };
  });

  // Sealing: the writer reads the oldest inbox rows and hashes them (bodies stay there), this
  // side plans the tree nodes, and the writer applies the plan if the log has not moved since.
  const seal = async (limit: number, check?: InboxCheck): Promise<SealResult | null> => {
    const { n, frontier: front } = sealSnapshot.deferred();
    const read = await writer.run([
      { sql: SQL.size, mode: 'pluck', expect: n },
      { sql: SQL.pending, params: [limit], mode: 'leaves' },
    ]);
    if (!read) return null;
    const rows = read[1] as Array<{
      n: number;
      id: string;
      sealed: number;
      leaf: Uint8Array;
      tag: Uint8Array | null;
    }>;
    if (rows.length === 0) return { sealed: 0, size: n };
    if (check) for (const r of rows) if (!r.sealed && !check(r.id, r.leaf, r.tag)) throw alteredError(r.id);
    const upTo = rows[rows.length - 1]!.n;
    const fresh = rows.filter((r) => !r.sealed);
    const nodes = planLeaves(
      n,
      front,
      fresh.map((r) => Buffer.from(r.leaf.buffer, r.leaf.byteOffset, r.leaf.byteLength)),
    );
    const after = n + fresh.length;
    const done = await writer.run([
      { sql: SQL.size, mode: 'pluck', expect: n },
      ...nodeSteps(nodes),
      {
        sql: fresh.length === rows.length ? SQL.moveAll : SQL.moveFresh,
        params: [n, upTo],
        mode: 'run',
        changes: fresh.length,
        error: 'ledger: the inbox changed while sealing',
      },
      { sql: SQL.dropInboxUpTo, params: [upTo], mode: 'run' },
      { sql: SQL.putSeal, params: [after, Date.now()], mode: 'run' },
    ]);
    return done ? { sealed: fresh.length, size: after } : null;
  };

  const checkpoint = async (signer: CheckpointSigner, force: boolean): Promise<Checkpoint | null> => {
    // Another process may seal or sign between the snapshot and the write: then sign again.
    for (let attempt = 0; attempt < 10; attempt++) {
      const { n, last, lastN, frontier: front } = checkpointSnapshot.deferred();
      if (!force && (n === 0 || last?.size === n)) return null;
      const cp = signTreeHead(signer, 'seal', n, front);
      const done = await writer.run([
        { sql: SQL.size, mode: 'pluck', expect: n },
        { sql: SQL.lastCheckpointN, mode: 'pluck', expect: lastN },
        { sql: SQL.putCheckpoint, params: [cp.kind, cp.size, JSON.stringify(cp)], mode: 'run' },
      ]);
      if (done) return cp;
    }
    throw new Error('ledger: the log kept changing while signing a checkpoint');
  };

  const prune = db.transaction((cutoff: number, signer: CheckpointSigner): Checkpoint | null => {
    const n = size();
    const first = q.firstKept.get(cutoff) as number | null;
    const k = first ?? n;
    if (k <= (latestOf('prune')?.size ?? 0)) return null;
    const hashes = frontier(k);
    const cp = signTreeHead(signer, 'prune', k, hashes);
    q.guard.run(1);
    q.pruneRecords.run(k);
    // Keep the frontier of the pruned prefix: later proofs and the verifier start from it.
    const keep = frontierKeys(k);
    const saved = keep.map(({ level, idx }, i) => ({ level, idx, hash: hashes[i]! }));
    q.pruneNodes.run(k);
    for (const node of saved) q.putNode.run(node.level, node.idx, node.hash);
    q.guard.run(0);
    q.putCheckpoint.run(cp.kind, cp.size, JSON.stringify(cp));
    return cp;
  });

  return {
    kind: 'sqlite',
    ingest,
    async putNotice(hash, text) {
      const [changes] = (await writer.run([
        { sql: SQL.putNotice, params: [hash, text, Date.now(), hash], mode: 'run' },
      ])) as [number];
      if (changes === 1) return 'stored';
      return q.notice.get(hash) !== undefined ? 'duplicate' : 'unreferenced';
    },
    async wantNotices(hashes) {
      if (hashes.length === 0) return;
      const at = Date.now();
      await writer.run(hashes.map((h) => ({ sql: SQL.wantNotice, params: [h, at], mode: 'run' as const })));
    },
    async knownNotices(hashes) {
      return new Set(hashes.filter((h) => q.notice.get(h) !== undefined));
    },
    async getNotice(hash) {
      return (q.notice.get(hash) as string | undefined) ?? null;
    },
    async seal(limit = 5000, check) {
      return seal(limit, check);
    },
    async checkpoint(signer, force = false) {
      return checkpoint(signer, force);
    },
    async prune(cutoff, signer) {
      return prune.immediate(cutoff, signer);
    },
    ...sqliteReads(db, q, options),
    async close() {
      await writer.close();
      if (db.open) db.close();
    },
  };
}
