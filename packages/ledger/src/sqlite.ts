/**
 * The embedded store: one SQLite file (better-sqlite3, WAL). `synchronous=NORMAL` keeps every
 * acknowledged record through a crash of the process (SIGKILL); `full` also through power loss.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type Checkpoint, signCheckpoint } from './checkpoint';
import { frontierKeys, leafHash, type NodeKey, rootFromFrontier, type TreeNode } from './merkle';
import {
  type CheckpointSigner,
  frontierFrom,
  type IngestEntry,
  type IngestResult,
  type LedgerStore,
  nodeKey,
  planLeaves,
  type RecordQuery,
  type StoredRecord,
} from './store';

/** Options for {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file (created with its folder), or `:memory:`. */
  path: string;
  /** `normal` survives a process crash, `full` also a power loss. @default "normal" */
  synchronous?: 'normal' | 'full';
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

interface Row {
  seq: number | null;
  id: string;
  at: number;
  subject: string;
  body: Buffer;
}

/** Opens (and creates) a SQLite ledger. */
export function openSqliteStore(options: SqliteStoreOptions): LedgerStore {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  // Wait for other processes on the same file (several servers, or a verifier) instead of failing.
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.exec(SCHEMA);

  const q = {
    insert: db.prepare(
      `INSERT INTO inbox (id, at, subject, received_at, body)
       SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM records WHERE id = ?)
       ON CONFLICT (id) DO NOTHING`,
    ),
    size: db.prepare('SELECT coalesce(max(size), 0) AS size FROM seals').pluck(),
    node: db.prepare('SELECT hash FROM nodes WHERE level = ? AND idx = ?').pluck(),
    nodeRange: db.prepare(
      'SELECT level, idx, hash FROM nodes WHERE level = ? AND idx BETWEEN ? AND ? ORDER BY idx',
    ),
    // Inbox rows to seal, oldest first, each marked if its id is already in the log (a repeat).
    pending: db.prepare(
      'SELECT n, body, EXISTS (SELECT 1 FROM records r WHERE r.id = i.id) AS sealed FROM inbox i ORDER BY n LIMIT ?',
    ),
    // Moves the fresh rows up to inbox row `n` into the log in one statement, positions in inbox order.
    moveFresh: db.prepare(
      `INSERT INTO records (seq, id, at, subject, body)
       SELECT ? + row_number() OVER (ORDER BY n) - 1, id, at, subject, body FROM inbox i
        WHERE n <= ? AND NOT EXISTS (SELECT 1 FROM records r WHERE r.id = i.id)`,
    ),
    dropInboxUpTo: db.prepare('DELETE FROM inbox WHERE n <= ?'),
    pendingCount: db.prepare('SELECT count(*) FROM inbox').pluck(),
    ping: db.prepare('SELECT 1'),
    putNode: db.prepare('INSERT INTO nodes (level, idx, hash) VALUES (?, ?, ?)'),
    putSeal: db.prepare('INSERT INTO seals (size, at) VALUES (?, ?)'),
    putCheckpoint: db.prepare('INSERT INTO checkpoints (kind, size, body) VALUES (?, ?, ?)'),
    latest: db.prepare('SELECT body FROM checkpoints ORDER BY n DESC LIMIT 1').pluck(),
    latestOf: db.prepare('SELECT body FROM checkpoints WHERE kind = ? ORDER BY n DESC LIMIT 1').pluck(),
    all: db.prepare('SELECT body FROM checkpoints ORDER BY n').pluck(),
    putNotice: db.prepare(
      'INSERT INTO notices (hash, text, received_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    notice: db.prepare('SELECT text FROM notices WHERE hash = ?').pluck(),
    byId: db.prepare(
      'SELECT seq, id, at, subject, body FROM records WHERE id = ? UNION ALL SELECT NULL, id, at, subject, body FROM inbox WHERE id = ?',
    ),
    scan: db.prepare('SELECT seq, id, at, subject, body FROM records WHERE seq >= ? ORDER BY seq LIMIT ?'),
    firstKept: db.prepare('SELECT min(seq) FROM records WHERE at >= ?').pluck(),
    guard: db.prepare('UPDATE prune_guard SET active = ?'),
    pruneRecords: db.prepare('DELETE FROM records WHERE seq < ?'),
    pruneNodes: db.prepare('DELETE FROM nodes WHERE (idx + 1) * (1 << level) <= ?'),
  };

  const size = (): number => q.size.get() as number;
  const frontier = (n: number): Buffer[] => {
    const map = new Map<string, Buffer>();
    for (const { level, idx } of frontierKeys(n)) {
      const h = q.node.get(level, idx) as Buffer | undefined;
      if (h) map.set(nodeKey(level, idx), h);
    }
    return frontierFrom(n, map);
  };
  const latestOf = (kind: Checkpoint['kind']): Checkpoint | null => {
    const body = q.latestOf.get(kind) as string | undefined;
    return body ? (JSON.parse(body) as Checkpoint) : null;
  };
  const now = (signer: CheckpointSigner) => (signer.now ?? Date.now)();

  const ingest = db.transaction((entries: readonly IngestEntry[], receivedAt: number): IngestResult[] =>
    entries.map((e) =>
      q.insert.run(e.id, e.at, e.subject, receivedAt, e.body, e.id).changes === 1 ? 'stored' : 'duplicate',
    ),
  );

  const nodeInserts = new Map<number, Database.Statement>();
  const putNodes = (nodes: readonly TreeNode[]) => {
    for (let i = 0; i < nodes.length; i += 200) {
      const part = nodes.slice(i, i + 200);
      let stmt = nodeInserts.get(part.length);
      if (!stmt) {
        stmt = db.prepare(
          `INSERT INTO nodes (level, idx, hash) VALUES ${part.map(() => '(?, ?, ?)').join(',')}`,
        );
        nodeInserts.set(part.length, stmt);
      }
      stmt.run(part.flatMap((n) => [n.level, n.idx, n.hash]));
    }
  };

  const seal = db.transaction((limit: number) => {
    const n = size();
    const rows = q.pending.all(limit) as Array<{ n: number; body: Buffer; sealed: number }>;
    if (rows.length === 0) return { sealed: 0, size: n };
    const upTo = rows[rows.length - 1]!.n;
    const fresh = rows.filter((r) => !r.sealed);
    putNodes(
      planLeaves(
        n,
        frontier(n),
        fresh.map((r) => leafHash(r.body)),
      ),
    );
    const moved = q.moveFresh.run(n, upTo).changes;
    if (moved !== fresh.length) throw new Error('ledger: the inbox changed while sealing');
    q.dropInboxUpTo.run(upTo);
    const after = n + fresh.length;
    q.putSeal.run(after, Date.now());
    return { sealed: fresh.length, size: after };
  });

  const checkpoint = db.transaction((signer: CheckpointSigner, force: boolean): Checkpoint | null => {
    const n = size();
    const last = latestOf('seal');
    if (!force && (n === 0 || last?.size === n)) return null;
    const cp = signCheckpoint(
      {
        origin: signer.origin,
        kind: 'seal',
        size: n,
        root: rootFromFrontier(frontier(n)).toString('base64'),
        time: new Date(now(signer)).toISOString(),
      },
      signer.keys,
    );
    q.putCheckpoint.run(cp.kind, cp.size, JSON.stringify(cp));
    return cp;
  });

  const prune = db.transaction((cutoff: number, signer: CheckpointSigner): Checkpoint | null => {
    const n = size();
    const first = q.firstKept.get(cutoff) as number | null;
    const k = first ?? n;
    if (k <= (latestOf('prune')?.size ?? 0)) return null;
    const hashes = frontier(k);
    const cp = signCheckpoint(
      {
        origin: signer.origin,
        kind: 'prune',
        size: k,
        root: rootFromFrontier(hashes).toString('base64'),
        time: new Date(now(signer)).toISOString(),
        frontier: hashes.map((h) => h.toString('base64')),
      },
      signer.keys,
    );
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

  const toRecord = (r: Row): StoredRecord => ({
    seq: r.seq,
    id: r.id,
    at: r.at,
    subject: r.subject,
    body: r.body,
  });

  return {
    kind: 'sqlite',
    async ingest(entries) {
      return ingest.immediate(entries, Date.now());
    },
    async putNotice(hash, text) {
      return q.putNotice.run(hash, text, Date.now()).changes === 1 ? 'stored' : 'duplicate';
    },
    async knownNotices(hashes) {
      return new Set(hashes.filter((h) => q.notice.get(h) !== undefined));
    },
    async getNotice(hash) {
      return (q.notice.get(hash) as string | undefined) ?? null;
    },
    async seal(limit = 5000) {
      return seal.immediate(limit);
    },
    async checkpoint(signer, force = false) {
      return checkpoint.immediate(signer, force);
    },
    async prune(cutoff, signer) {
      return prune.immediate(cutoff, signer);
    },
    async treeSize() {
      return size();
    },
    async pendingCount() {
      return q.pendingCount.get() as number;
    },
    async checkpoints() {
      return (q.all.all() as string[]).map((b) => JSON.parse(b) as Checkpoint);
    },
    async latestCheckpoint(kind) {
      if (kind) return latestOf(kind);
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
    async close() {
      if (db.open) db.close();
    },
  };
}
