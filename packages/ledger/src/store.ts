/**
 * The storage interface every ledger store implements, and the pure sealing step they share.
 *
 * Records arrive in an inbox (insert-only for the collector, so ingest is concurrent); one
 * writer at a time seals inbox rows into the log: it gives each a position, appends it to the
 * records table and writes every tree node it completes. Records, nodes, checkpoints and
 * notices are append-only (the stores refuse UPDATE and DELETE with triggers); only pruning,
 * run by the owner, removes a prefix and leaves a signed prune checkpoint behind.
 */
import { type Checkpoint, signCheckpoint } from './checkpoint';
import { frontierKeys, leafHash, type NodeKey, rootFromFrontier, TreeBuilder, type TreeNode } from './merkle';

/** A validated record, ready to store: canonical bytes and the fields indexed beside them. */
export interface IngestEntry {
  id: string;
  /** ms since the epoch, from the UUIDv7 id (the decision time; partitions and retention use it). */
  at: number;
  subject: string;
  /** Canonical JSON of the stored record (UTF-8). The leaf hash covers exactly these bytes. */
  body: Buffer;
  /** The inbox tag over id and leaf hash (see `ack.ts`), checked before sealing; absent: not checked. */
  tag?: Buffer;
}

/** Checks an inbox row before it is sealed: false means it changed after it was acknowledged. */
export type InboxCheck = (id: string, leaf: Uint8Array, tag: Uint8Array | null) => boolean;

/** What happened to one ingested record. */
export type IngestResult = 'stored' | 'duplicate';

/** A record as read back: `seq` is its log position, or null while it waits to be sealed. */
export interface StoredRecord {
  seq: number | null;
  id: string;
  at: number;
  subject: string;
  body: Buffer;
}

/** A query over records for auditors. */
export interface RecordQuery {
  subject?: string;
  /** Decision time lower bound, ms (inclusive). */
  from?: number;
  /** Decision time upper bound, ms (exclusive). */
  to?: number;
  limit: number;
}

/** The outcome of one sealing round. */
export interface SealResult {
  /** Records appended in this round. */
  sealed: number;
  /** Tree size after the round. */
  size: number;
}

/** What a signer needs from the caller: keys and the log's name. */
export interface CheckpointSigner {
  origin: string;
  keys: { privateKey: import('node:crypto').KeyObject; keyId: string };
  /** @default Date.now */
  now?: () => number;
}

/** One storage backend: SQLite (embedded) or PostgreSQL (shared by many collectors). */
export interface LedgerStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Stores records in the inbox; a known id (sealed or not) is a duplicate and is not stored again. */
  ingest(entries: readonly IngestEntry[]): Promise<IngestResult[]>;
  /**
   * Stores a notice text once per hash (the caller checks the hash), and only when a record the
   * log took refers to it ({@link LedgerStore.wantNotices}): `unreferenced` otherwise, so nobody can
   * add text that no record needs.
   */
  putNotice(hash: string, text: string): Promise<IngestResult | 'unreferenced'>;
  /** Notes notice hashes that records the log took refer to and whose text it lacks. */
  wantNotices(hashes: readonly string[]): Promise<void>;
  /** The subset of `hashes` whose text is stored. */
  knownNotices(hashes: readonly string[]): Promise<Set<string>>;
  getNotice(hash: string): Promise<string | null>;
  /**
   * Seals up to `limit` inbox records; null when another writer holds the seal lock. With `check`,
   * a row that fails it stops the round (nothing is sealed) with an error naming the record.
   */
  seal(limit?: number, check?: InboxCheck): Promise<SealResult | null>;
  /** Signs a checkpoint at the current size if it grew since the last one (or `force`); null otherwise. */
  checkpoint(signer: CheckpointSigner, force?: boolean): Promise<Checkpoint | null>;
  /**
   * Removes sealed records decided before `cutoff` (ms) — a prefix of the log, so it stops at the
   * first record that must stay — and signs a prune checkpoint with the prefix's frontier.
   */
  prune(cutoff: number, signer: CheckpointSigner): Promise<Checkpoint | null>;
  treeSize(): Promise<number>;
  /** Records in the inbox, not yet sealed. */
  pendingCount(): Promise<number>;
  /** Checkpoints oldest first: every one, or `limit` of them from the `offset`-th. */
  checkpoints(page?: { offset: number; limit: number }): Promise<Checkpoint[]>;
  latestCheckpoint(kind?: Checkpoint['kind']): Promise<Checkpoint | null>;
  /** Stored tree nodes by key (`level:idx`); missing keys are absent. */
  nodes(keys: readonly NodeKey[]): Promise<Map<string, Buffer>>;
  /** Stored tree nodes with `level` and `idx` in [from, to]. */
  nodeRange(level: number, from: number, to: number): Promise<TreeNode[]>;
  recordById(id: string): Promise<StoredRecord | null>;
  /**
   * A subject's newest record by log position — what it decided last, whatever time its browser
   * wrote into it: the last one waiting in the inbox, else the sealed one at the highest position.
   */
  latestOfSubject(subject: string): Promise<StoredRecord | null>;
  /** Records (sealed and pending) matching a query, oldest decision first. */
  records(query: RecordQuery): Promise<StoredRecord[]>;
  /** Sealed records from position `from` in log order, in batches; gaps and repeats are passed through. */
  scan(from: number, batch?: number): AsyncIterable<StoredRecord[]>;
  /** Whether the store answers (for `/healthz`). */
  ping(): Promise<void>;
  /** When the oldest record still waiting to be sealed was received (ms), or null when none waits. */
  oldestPendingAt(): Promise<number | null>;
  /**
   * Why the store could not take a write now, or null: a read-only database (a standby, a
   * replica, `default_transaction_read_only`), a missing INSERT grant, a disk nearly full.
   */
  writeProblem(): Promise<string | null>;
  close(): Promise<void>;
}

/** The error a sealing round throws for an inbox row that no longer matches its acknowledgement. */
export function alteredError(id: string): Error {
  return new Error(
    `ledger: inbox record ${id} no longer matches what was acknowledged (changed in the database before sealing); sealing stopped`,
  );
}

/** `level:idx`, the key of a node in maps. */
export function nodeKey(level: number, idx: number): string {
  return `${level}:${idx}`;
}

/** The leaf positions and tree nodes one sealing round appends. */
export interface SealPlan {
  records: Array<{ seq: number; entry: IngestEntry }>;
  nodes: TreeNode[];
}

/**
 * Plans a sealing round: appends each entry's leaf to the tree of `size` leaves whose frontier
 * is given, and lists every node completed. Pure; the store writes the plan in one transaction.
 */
export function planSeal(
  size: number,
  frontier: readonly Buffer[],
  entries: readonly IngestEntry[],
): SealPlan {
  return {
    records: entries.map((entry, i) => ({ seq: size + i, entry })),
    nodes: planLeaves(
      size,
      frontier,
      entries.map((e) => leafHash(e.body)),
    ),
  };
}

/** The nodes that appending `leaves` (already hashed) to a tree of `size` leaves completes. Pure. */
export function planLeaves(size: number, frontier: readonly Buffer[], leaves: readonly Buffer[]): TreeNode[] {
  const tree = new TreeBuilder(size, frontier);
  const nodes: TreeNode[] = [];
  for (const leaf of leaves) tree.append(leaf, (level, idx, hash) => nodes.push({ level, idx, hash }));
  return nodes;
}

/** Reads the frontier of a tree of `size` leaves from a node map; throws naming a missing node. */
export function frontierFrom(size: number, nodes: ReadonlyMap<string, Buffer>): Buffer[] {
  return frontierKeys(size).map(({ level, idx }) => {
    const h = nodes.get(nodeKey(level, idx));
    if (!h) throw new Error(`ledger: tree node ${level}:${idx} is missing; run verification`);
    return h;
  });
}

/** Keys of the nodes that pruning to `k` may delete: inside [0, k) and not on its frontier. */
export function prunable(level: number, idx: number, k: number, frontier: ReadonlySet<string>): boolean {
  return (idx + 1) * 2 ** level <= k && !frontier.has(nodeKey(level, idx));
}

/**
 * Signs the checkpoint of a tree of `size` leaves from its frontier: a seal checkpoint (a tree
 * head), or a prune checkpoint that also carries the frontier, so the log left after pruning the
 * prefix can still be recomputed. Both stores sign through this one function.
 */
export function signTreeHead(
  signer: CheckpointSigner,
  kind: Checkpoint['kind'],
  size: number,
  frontier: readonly Buffer[],
): Checkpoint {
  return signCheckpoint(
    {
      origin: signer.origin,
      kind,
      size,
      root: rootFromFrontier(frontier).toString('base64'),
      time: new Date((signer.now ?? Date.now)()).toISOString(),
      ...(kind === 'prune' ? { frontier: frontier.map((h) => h.toString('base64')) } : {}),
    },
    signer.keys,
  );
}
