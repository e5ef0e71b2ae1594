/**
 * What the commands read: a SQLite ledger file (or the server's data folder holding one), a
 * PostgreSQL URL, or a bundle folder written by `allparty-audit export --bundle`.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  type Checkpoint,
  type LedgerStore,
  nodeKey,
  openPostgresStore,
  openSqliteStore,
  type RecordQuery,
  type StoredRecord,
} from '@allparty/ledger';
import { byteLines } from './lines';
import { idTime, UsageError } from './util';

/** The store calls the audit commands make. */
export type AuditStore = Pick<
  LedgerStore,
  | 'checkpoints'
  | 'latestCheckpoint'
  | 'scan'
  | 'nodeRange'
  | 'nodes'
  | 'treeSize'
  | 'records'
  | 'recordById'
  | 'getNotice'
  | 'close'
>;

/** The manifest of a bundle (`manifest.json`). */
export interface BundleManifest {
  format: 'allparty.audit-bundle/1';
  /** ISO time the bundle was written. */
  createdAt: string;
  /** The log's name, from its checkpoints. */
  origin: string | null;
  /** The decision-time range asked for (ISO), or nulls for the whole log. */
  range: { from: string | null; to: string | null };
  /** Log positions [from, to) held in `records.jsonl`, one record per line. */
  span: { from: number; to: number };
  /** Size of the signed checkpoint the bundle is anchored to. */
  treeSize: number;
  /** Records in the time range (the span may hold a few more sealed between them). */
  inRange: number;
  /** The key the exporter checked the checkpoints with. */
  publicKey: { keyId: string; fingerprint: string };
}

/** The tree hashes a bundle carries besides its records (`tree.json`). */
export interface BundleTree {
  /** Base64 hashes of the perfect subtrees that make up [0, span.from), largest first. */
  left: string[];
  /** Base64 hashes of perfect subtrees covering [span.to, treeSize), in order. */
  right: Array<{ level: number; idx: number; hash: string }>;
}

/** A consistency proof between two checkpoints (`consistency.json`). */
export interface BundleConsistency {
  from: number;
  to: number;
  proof: string[];
}

/** An opened bundle folder. */
export interface Bundle {
  dir: string;
  manifest: BundleManifest;
  tree: BundleTree;
  checkpoints: Checkpoint[];
  consistency: BundleConsistency[];
  /** Base64 sealed leaf hashes of the span, in order. */
  leaves: string[];
  notices: Map<string, string>;
  recordsPath: string;
}

/** A source opened for auditing. */
export interface AuditSource {
  kind: 'sqlite' | 'postgres' | 'bundle';
  /** What was opened, for messages. */
  label: string;
  store: AuditStore;
  /** Set for a bundle. */
  bundle: Bundle | null;
  /** A key file found beside the source: the server's private key, or a bundle's public key. */
  keyHint: { path: string; kind: 'private' | 'public' } | null;
  close(): Promise<void>;
}

/** Options for {@link openSource}. */
export interface OpenSourceOptions {
  /** PostgreSQL schema holding the ledger. @default "allparty" */
  schema?: string;
}

const PG_URL = /^postgres(ql)?:\/\//;

/** Opens a SQLite file, a server data folder, a PostgreSQL URL or a bundle folder. */
export async function openSource(target: string, options: OpenSourceOptions = {}): Promise<AuditSource> {
  if (PG_URL.test(target)) {
    // Read-only: nothing is created (a mistyped schema is an error, not a new empty log), and an
    // auditor with SELECT rights, a read replica or a hot standby is enough.
    const store = await openPostgresStore({
      connectionString: target,
      ...(options.schema ? { schema: options.schema } : {}),
      readOnly: true,
      max: 4,
    }).catch((error: unknown) => {
      throw new UsageError((error as Error).message);
    });
    return {
      kind: 'postgres',
      label: `PostgreSQL ${target.replace(/\/\/[^@/]*@/, '//…@')} schema ${options.schema ?? 'allparty'}`,
      store,
      bundle: null,
      keyHint: null,
      close: () => store.close(),
    };
  }
  if (!existsSync(target)) throw new UsageError(`${target}: no such file or folder`);
  let file = target;
  if (statSync(target).isDirectory()) {
    if (existsSync(join(target, 'manifest.json'))) return openBundle(target);
    file = join(target, 'ledger.sqlite');
    if (!existsSync(file))
      throw new UsageError(`${target}: neither a bundle (no manifest.json) nor a server data folder`);
  }
  if (!readHead(file, 16).toString('latin1').startsWith('SQLite format 3'))
    throw new UsageError(`${file}: not a SQLite database`);
  let store: LedgerStore;
  try {
    store = openSqliteStore({ path: file, readOnly: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const key = join(dirname(file), 'checkpoint-key.pem');
  return {
    kind: 'sqlite',
    label: `SQLite ${file}`,
    store,
    bundle: null,
    keyHint: existsSync(key) ? { path: key, kind: 'private' } : null,
    close: () => store.close(),
  };
}

/** The first `n` bytes of a file, read without loading the rest (ledgers grow past 2 GiB). */
function readHead(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(n);
    const got = readSync(fd, head, 0, n, 0);
    return head.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`);
  }
}

/** Reads a bundle folder's small files; records are streamed from `records.jsonl` when read. */
export function readBundle(dir: string): Bundle {
  const manifest = readJson<BundleManifest>(join(dir, 'manifest.json'));
  if (manifest.format !== 'allparty.audit-bundle/1')
    throw new UsageError(`${dir}: unknown bundle format ${String(manifest.format)}`);
  const notices = new Map<string, string>();
  const noticePath = join(dir, 'notices.jsonl');
  if (existsSync(noticePath))
    for (const line of readFileSync(noticePath, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const n = JSON.parse(line) as { hash?: unknown; text?: unknown };
        if (typeof n.hash === 'string' && typeof n.text === 'string') notices.set(n.hash, n.text);
      } catch {
        // A damaged line: the notice is simply not found.
      }
    }
  const leavesPath = join(dir, 'leaves.txt');
  return {
    dir,
    manifest,
    tree: readJson<BundleTree>(join(dir, 'tree.json')),
    checkpoints: readJson<Checkpoint[]>(join(dir, 'checkpoints.json')),
    consistency: existsSync(join(dir, 'consistency.json'))
      ? readJson<BundleConsistency[]>(join(dir, 'consistency.json'))
      : [],
    leaves: existsSync(leavesPath) ? readFileSync(leavesPath, 'latin1').split('\n').filter(Boolean) : [],
    notices,
    recordsPath: join(dir, 'records.jsonl'),
  };
}

function storedFrom(seq: number, body: Buffer): StoredRecord {
  let id = '';
  let subject = '';
  try {
    const v = JSON.parse(body.toString('utf8')) as { id?: unknown; subject?: unknown };
    if (typeof v.id === 'string') id = v.id;
    if (typeof v.subject === 'string') subject = v.subject;
  } catch {
    // A damaged line still has a position; verification says what is wrong with it.
  }
  return { seq, id, at: id ? idTime(id) : 0, subject, body };
}

function openBundle(dir: string): AuditSource {
  const bundle = readBundle(dir);
  const { span } = bundle.manifest;
  async function* scan(from: number, batch = 10_000): AsyncGenerator<StoredRecord[]> {
    let seq = span.from;
    let out: StoredRecord[] = [];
    for await (const line of byteLines(bundle.recordsPath)) {
      if (seq >= from) out.push(storedFrom(seq, Buffer.from(line)));
      seq++;
      if (out.length >= batch) {
        yield out;
        out = [];
      }
    }
    if (out.length) yield out;
  }
  const leafAt = (i: number): Buffer | null => {
    const h = bundle.leaves[i - span.from];
    return h === undefined ? null : Buffer.from(h, 'base64');
  };
  const store: AuditStore = {
    async checkpoints() {
      return bundle.checkpoints;
    },
    async latestCheckpoint(kind) {
      const list = bundle.checkpoints.filter((c) => !kind || c.kind === kind);
      return list[list.length - 1] ?? null;
    },
    scan,
    async nodeRange(level, from, to) {
      if (level !== 0) return [];
      const out = [];
      for (let i = Math.max(from, span.from); i <= to && i < span.to; i++) {
        const hash = leafAt(i);
        if (hash) out.push({ level, idx: i, hash });
      }
      return out;
    },
    async nodes(keys) {
      const out = new Map<string, Buffer>();
      for (const { level, idx } of keys) {
        const h = level === 0 ? leafAt(idx) : null;
        if (h) out.set(nodeKey(level, idx), h);
      }
      return out;
    },
    async treeSize() {
      return span.to;
    },
    async records(query: RecordQuery) {
      const out: StoredRecord[] = [];
      for await (const batch of scan(span.from))
        for (const r of batch)
          if (
            (query.subject === undefined || r.subject === query.subject) &&
            (query.from === undefined || r.at >= query.from) &&
            (query.to === undefined || r.at < query.to)
          )
            out.push(r);
      out.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return out.slice(0, query.limit);
    },
    async recordById(id) {
      for await (const batch of scan(span.from)) for (const r of batch) if (r.id === id) return r;
      return null;
    },
    async getNotice(hash) {
      return bundle.notices.get(hash) ?? null;
    },
    async close() {},
  };
  return {
    kind: 'bundle',
    label: `bundle ${dir}`,
    store,
    bundle,
    keyHint: existsSync(join(dir, 'public-key.pem'))
      ? { path: join(dir, 'public-key.pem'), kind: 'public' }
      : null,
    close: async () => {},
  };
}

/**
 * Every record decided in [from, to), oldest first, in pages (the store's `records` query has
 * no cursor, so each page starts at the last time seen and skips the ids already returned).
 */
export async function* recordsInRange(
  store: Pick<AuditStore, 'records'>,
  range: { from?: number; to?: number; subject?: string },
  page = 5000,
): AsyncGenerator<StoredRecord> {
  let from = range.from;
  let seenAtFrom = new Set<string>();
  let limit = page;
  for (;;) {
    const rows = await store.records({
      ...(from !== undefined ? { from } : {}),
      ...(range.to !== undefined ? { to: range.to } : {}),
      ...(range.subject !== undefined ? { subject: range.subject } : {}),
      limit,
    });
    const fresh = rows.filter((r) => !(r.at === from && seenAtFrom.has(r.id)));
    for (const r of fresh) yield r;
    if (rows.length < limit) return;
    const last = rows[rows.length - 1]!;
    if (fresh.length === 0) {
      // A whole page at one millisecond: widen the page rather than loop.
      limit *= 2;
      continue;
    }
    if (last.at !== from) seenAtFrom = new Set();
    from = last.at;
    for (const r of rows) if (r.at === from) seenAtFrom.add(r.id);
    limit = page;
  }
}
