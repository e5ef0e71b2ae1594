/**
 * `verify`: recomputes the Merkle tree from the stored record bytes, checks every signed
 * checkpoint and the consistency between them, and names the first bad position.
 */
import type { KeyObject } from 'node:crypto';
import {
  type Checkpoint,
  canonicalJson,
  consistencyProofBetween,
  keyIdOf,
  uuidv7Time,
  type VerifySource,
  verifyCheckpoint,
  verifyConsistency,
  verifyLog,
} from '@allparty/ledger';
import type { AuditStore } from './source';
import { keyFingerprint } from './util';

/** One thing wrong, at a log position. */
export interface AuditProblem {
  /**
   * Log position (0-based). For a record: where it stops matching. For a checkpoint: the first
   * position it was meant to attest beyond the last checkpoint that verified before it.
   */
  position: number;
  problem: string;
}

/** The outcome of {@link verifyStore} or {@link verifyBundle}. */
export interface AuditVerifyReport {
  ok: boolean;
  /** Positions [from, size) were recomputed (below `from`: pruned, or outside a bundle's span). */
  from: number;
  size: number;
  /** Base64 root recomputed over the positions checked (for a bundle: of the anchor checkpoint). */
  root: string;
  /** Checkpoints in the log, those whose signature verified, and those whose root was recomputed. */
  checkpoints: number;
  checkpointsValid: number;
  checkpointsMatched: number;
  /** Pairs of consecutive checkpoints whose RFC 9162 consistency proof was checked. */
  consistencyChecked: number;
  /** The newest checkpoint that verified. */
  latest: Checkpoint | null;
  /** Checkpoints given from outside the log (witness, a kept file), and how many the log matched. */
  trusted: number;
  trustedMatched: number;
  /** Sealed positions after the newest verified checkpoint (not yet attested by a signature). */
  unattested: { from: number; to: number } | null;
  /** The pinned key. */
  keyId: string;
  fingerprint: string;
  firstBad: AuditProblem | null;
  /** Problems in position order. */
  problems: AuditProblem[];
  /** Notes that are not failures (pruned prefix, unattested tail, key taken from a bundle). */
  notes: string[];
}

/** Options for {@link verifyStore}. */
export interface VerifyStoreOptions {
  /** The log's public key, pinned by the auditor. */
  publicKey: KeyObject;
  /** The log's name, pinned with the key; checkpoints naming another log are problems. */
  origin?: string;
  /** Called as records are read: positions done and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Records per read. @default 10000 */
  batch?: number;
  /**
   * Consistency proofs to check at most: past this many checkpoints, a chain through an evenly
   * spaced subset (first and last included) — every root is also recomputed from the records.
   * @default 2000
   */
  maxConsistency?: number;
  /** Checkpoints the auditor holds from outside the log (`--trusted-checkpoint`, `--witness`). */
  trusted?: readonly Checkpoint[];
  /** Longest sealed records may go unsigned, ms (see the ledger's `verifyLog`). @default 600000 */
  maxUnsignedMs?: number | null;
}

/** Checks each checkpoint's signature (and origin); returns the valid ones and problems with positions. */
export function checkCheckpoints(
  all: readonly Checkpoint[],
  publicKey: KeyObject,
  origin: string | undefined,
): { valid: Checkpoint[]; problems: AuditProblem[] } {
  const valid: Checkpoint[] = [];
  const problems: AuditProblem[] = [];
  const pinned = keyIdOf(publicKey);
  let attested = 0;
  let largest = -1;
  all.forEach((cp, i) => {
    const name = `checkpoint ${i + 1} of ${all.length} (${cp.kind}, size ${cp.size}, signed ${cp.time})`;
    if (!verifyCheckpoint(cp, publicKey)) {
      problems.push({
        position: attested,
        problem:
          cp.keyId === pinned
            ? `${name}: the signature does not verify under the pinned key ${pinned} (forged or altered)`
            : `${name}: signed by key ${cp.keyId}, not the pinned key ${pinned}`,
      });
      return;
    }
    if (origin !== undefined && cp.origin !== origin) {
      problems.push({
        position: attested,
        problem: `${name}: names the log "${cp.origin}", not "${origin}"`,
      });
      return;
    }
    if (cp.kind === 'seal') {
      if (cp.size < largest)
        problems.push({
          position: cp.size,
          problem: `${name}: smaller than an earlier checkpoint of size ${largest} (the log went backwards)`,
        });
      largest = Math.max(largest, cp.size);
      attested = Math.max(attested, cp.size);
    }
    valid.push(cp);
  });
  return { valid, problems };
}

/** Consecutive seal checkpoints (by size), one per size; pairs of equal size with different roots are problems. */
export function checkpointChain(valid: readonly Checkpoint[]): {
  chain: Checkpoint[];
  problems: AuditProblem[];
} {
  const bySize = new Map<number, Checkpoint>();
  const problems: AuditProblem[] = [];
  for (const cp of valid) {
    if (cp.kind !== 'seal') continue;
    const seen = bySize.get(cp.size);
    if (!seen) bySize.set(cp.size, cp);
    else if (seen.root !== cp.root)
      problems.push({
        position: 0,
        problem: `two signed checkpoints of size ${cp.size} (${seen.time}, ${cp.time}) state different roots`,
      });
  }
  return { chain: [...bySize.values()].sort((a, b) => a.size - b.size), problems };
}

/** Verifies a ledger store (SQLite or PostgreSQL) against a pinned key. Never throws for a bad log. */
export async function verifyStore(
  store: AuditStore,
  options: VerifyStoreOptions,
): Promise<AuditVerifyReport> {
  const all = await store.checkpoints();
  const { valid, problems } = checkCheckpoints(all, options.publicKey, options.origin);
  const total = await store.treeSize();
  let done = 0;
  // The ledger's verifier recomputes hashes, subtrees and roots; the per-record checks (valid
  // JSON, canonical, filed under its own id, subject and time) run here with a native fast path.
  const recordProblems: AuditProblem[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const source: VerifySource = {
    checkpoints: async () => valid,
    treeSize: async () => total,
    nodeRange: (level, from, to) => store.nodeRange(level, from, to),
    async *scan(from, batch) {
      done = from;
      options.onProgress?.(done, total);
      for await (const rows of store.scan(from, batch)) {
        for (const rec of rows) {
          if (recordProblems.length >= 50) break;
          const problem = checkRecord(rec, decoder);
          if (problem) recordProblems.push({ position: rec.seq ?? -1, problem });
        }
        yield rows;
        done += rows.length;
        options.onProgress?.(Math.min(done, total), total);
      }
    },
  };
  const report = await verifyLog(source, {
    publicKey: options.publicKey,
    batch: options.batch ?? 10_000,
    maxProblems: 50,
    parse: false,
    ...(options.trusted ? { trusted: options.trusted } : {}),
    ...(options.maxUnsignedMs !== undefined ? { maxUnsignedMs: options.maxUnsignedMs } : {}),
  });
  for (const p of report.checkpointProblems) problems.push({ position: 0, problem: p });
  problems.push(...report.problems, ...recordProblems);

  // Each signed tree head must extend the one before it (RFC 9162 § 2.1.4), proven from the
  // stored subtree hashes; checkpoints of a pruned prefix have no nodes left to prove it with.
  const chain = checkpointChain(valid);
  problems.push(...chain.problems);
  const heads = thin(
    chain.chain.filter((c) => c.size >= report.prunedBelow),
    (options.maxConsistency ?? 2000) + 1,
  );
  let consistencyChecked = 0;
  const damaged = problems.length > 0;
  for (let i = 1; i < heads.length; i++) {
    const a = heads[i - 1]!;
    const b = heads[i]!;
    let proof: Buffer[];
    try {
      proof = await consistencyProofBetween(store, a.size, b.size);
    } catch (error) {
      // Missing subtree hashes are already reported at their positions by the recomputation.
      if (!damaged)
        problems.push({
          position: a.size,
          problem: `no consistency proof can be built between the checkpoints of size ${a.size} and ${b.size}: ${(error as Error).message}`,
        });
      continue;
    }
    consistencyChecked++;
    const ok = verifyConsistency(
      a.size,
      b.size,
      Buffer.from(a.root, 'base64'),
      Buffer.from(b.root, 'base64'),
      proof,
    );
    // Two signed heads that disagree on the first a.size positions: something before a.size
    // changed between the signatures (the recomputation names where, when it can).
    if (!ok)
      problems.push({
        position: a.size,
        problem: `the checkpoint of size ${b.size} (${b.time}) is not consistent with the one of size ${a.size} (${a.time}): history before position ${a.size} was rewritten between them`,
      });
  }

  const latest =
    [...valid]
      .filter((c) => c.kind === 'seal')
      .sort((a, b) => a.size - b.size)
      .pop() ?? null;
  const notes: string[] = [];
  if (report.prunedBelow > 0)
    notes.push(
      `positions below ${report.prunedBelow} were pruned; the log is checked from the signed prune checkpoint's frontier`,
    );
  const unattested = report.size > (latest?.size ?? 0) ? { from: latest?.size ?? 0, to: report.size } : null;
  if (heads.length < chain.chain.filter((c) => c.size >= report.prunedBelow).length)
    notes.push(
      `consistency proofs were checked along a chain of ${heads.length} of the checkpoints (every checkpoint's root was recomputed from the records)`,
    );
  if (!options.trusted?.length)
    notes.push(
      'no trusted checkpoint was given: the log was checked against its own signatures only; one who holds the signing key could rewrite and re-sign it unseen (pass --witness URL or --trusted-checkpoint FILE)',
    );
  else
    notes.push(
      `${report.trustedMatched} of ${options.trusted.length} trusted checkpoints recomputed from the log and matched`,
    );
  if (unattested)
    notes.push(
      `positions ${unattested.from}–${unattested.to - 1} are sealed but no signed checkpoint covers them yet`,
    );
  problems.sort((a, b) => a.position - b.position);
  return {
    ok: problems.length === 0,
    from: report.prunedBelow,
    size: report.size,
    root: report.root,
    checkpoints: all.length,
    checkpointsValid: valid.length,
    checkpointsMatched: report.checkpointsMatched,
    consistencyChecked,
    latest,
    trusted: options.trusted?.length ?? 0,
    trustedMatched: report.trustedMatched,
    unattested,
    keyId: keyIdOf(options.publicKey),
    fingerprint: keyFingerprint(options.publicKey),
    firstBad: problems[0] ?? null,
    problems,
    notes,
  };
}

/** At most `n` items, evenly spaced, first and last kept. */
function thin<T>(list: readonly T[], n: number): T[] {
  if (list.length <= n) return [...list];
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(list[Math.round((i * (list.length - 1)) / (n - 1))]!);
  return out;
}

/** Whether every object's keys are in sorted order (UTF-16 code units), at every level. */
function keysSorted(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  if (Array.isArray(v)) return v.every(keysSorted);
  const keys = Object.keys(v);
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! >= keys[i]!) return false;
  return keys.every((k) => keysSorted((v as Record<string, unknown>)[k]));
}

/** What is wrong with one stored record's bytes or the columns it is filed under, if anything. */
export function checkRecord(
  rec: { seq: number | null; id: string; at: number; subject: string; body: Uint8Array },
  decoder = new TextDecoder('utf-8', { fatal: true }),
): string | null {
  const seq = rec.seq;
  let text: string;
  let value: { id?: unknown; subject?: unknown };
  try {
    text = decoder.decode(rec.body);
    value = JSON.parse(text) as { id?: unknown; subject?: unknown };
  } catch {
    return `record at position ${seq} is not valid JSON`;
  }
  if (value === null || typeof value !== 'object') return `record at position ${seq} is not valid JSON`;
  if (value.id !== rec.id) return `record at position ${seq} carries id ${String(value.id)}, not ${rec.id}`;
  // The indexed columns steer auditors' queries, so they must say what the record says.
  if (value.subject !== rec.subject || uuidv7Time(rec.id) !== rec.at)
    return `record at position ${seq} is filed under another subject or time than it says`;
  return isCanonical(value, text) ? null : `record at position ${seq} is not canonical JSON`;
}

/** Whether `text` is the canonical JSON of `value` (parsed from it). */
export function isCanonical(value: unknown, text: string): boolean {
  // Sorted keys and no whitespace: then JSON.stringify writes exactly the canonical form.
  return (JSON.stringify(value) === text && keysSorted(value)) || canonicalJson(value) === text;
}
