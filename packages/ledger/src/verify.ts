/**
 * Verification: recomputes every leaf hash from the stored record bytes, rebuilds the tree,
 * compares every stored tree node and every signed checkpoint, and names the first position
 * where the log stops matching what was sealed and signed.
 */
import type { KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical';
import { type Checkpoint, verifyCheckpoint } from './checkpoint';
import { FastTreeBuilder, rootFromFrontier } from './merkle';
import type { LedgerStore } from './store';
import { uuidv7Time } from './validate';

/** What verification reads: a store, or anything shaped like one (an export, an array). */
export type VerifySource = Pick<LedgerStore, 'checkpoints' | 'scan' | 'nodeRange' | 'treeSize'>;

/** One position where the log is wrong. */
export interface VerifyProblem {
  /** Log position (0-based leaf index). */
  position: number;
  problem: string;
}

/** The outcome of {@link verifyLog}. */
export interface VerifyReport {
  ok: boolean;
  /** Leaves found (the log's end position). */
  size: number;
  /** Positions below this were pruned; the log is checked from the prune checkpoint's frontier. */
  prunedBelow: number;
  /** Root recomputed over the whole log (base64). */
  root: string;
  /** Signed checkpoints whose root was recomputed and matched. */
  checkpointsMatched: number;
  /** The first bad position, or null when the log verifies. */
  firstBad: VerifyProblem | null;
  /** Bad positions in order (at most `maxProblems`). */
  problems: VerifyProblem[];
  /** Problems with checkpoints themselves (bad signatures, sizes going backwards). */
  checkpointProblems: string[];
  /** Trusted checkpoints (from outside the log) whose root was recomputed from the log and matched. */
  trustedMatched: number;
  /** Sealed positions no signed checkpoint covers, and when the first of them was received (ISO). */
  unsigned: { from: number; to: number; since: string | null } | null;
}

/** Options for {@link verifyLog}. */
export interface VerifyOptions {
  /** The log's checkpoint public key (pinned by the auditor, not read from the log). */
  publicKey: KeyObject;
  /** Also parse each record: its id must match and its bytes must be canonical JSON. @default true */
  parse?: boolean;
  /** Compare the stored tree nodes (the sealer's copy of every subtree hash). @default true */
  nodes?: boolean;
  /** Records per read. @default 10000 */
  batch?: number;
  /** Stop collecting after this many bad positions. @default 50 */
  maxProblems?: number;
  /**
   * Checkpoints the auditor holds from outside the log (a witness, a file kept from an earlier
   * audit). Each must verify under the key, and the log must recompute to its root at its size:
   * a log rolled back below it, or rewritten and re-signed, fails.
   */
  trusted?: readonly Checkpoint[];
  /**
   * Longest sealed records may go without a signed checkpoint, ms: an unsigned tail whose first
   * record was received longer ago fails (deleted checkpoints, or a signer that stopped). null
   * turns the check off. @default 600000 (10 minutes; the server signs every 10 s)
   */
  maxUnsignedMs?: number | null;
  /** The time verification is judged at (ms). @default Date.now() */
  now?: number;
}

/** When a record was received: its `serverTime`, else (older records) the time in its id; null if unreadable. */
function receivedAt(body: Uint8Array, id: string): number | null {
  let at = uuidv7Time(id);
  try {
    const value = JSON.parse(Buffer.from(body).toString('utf8')) as { serverTime?: unknown };
    const t = typeof value.serverTime === 'string' ? Date.parse(value.serverTime) : Number.NaN;
    if (Number.isFinite(t)) at = Math.min(at, t);
  } catch {
    // Unreadable bytes are reported at their position; the id's time stands.
  }
  return Number.isFinite(at) ? at : null;
}

/** Verifies a whole log. Never throws for a bad log: the report says what is wrong and where. */
export async function verifyLog(source: VerifySource, options: VerifyOptions): Promise<VerifyReport> {
  const maxProblems = options.maxProblems ?? 50;
  const checkNodes = options.nodes ?? true;
  const parse = options.parse ?? true;
  const problems: VerifyProblem[] = [];
  const checkpointProblems: string[] = [];
  const report = (position: number, problem: string) => {
    if (problems.length < maxProblems) problems.push({ position, problem });
  };
  const problemIn = (from: number, to: number) => problems.some((p) => p.position >= from && p.position < to);

  const all = await source.checkpoints();
  const valid: Checkpoint[] = [];
  let lastSize = -1;
  for (const cp of all) {
    if (!verifyCheckpoint(cp, options.publicKey)) {
      checkpointProblems.push(
        `${cp.kind} checkpoint of size ${cp.size} at ${cp.time}: bad signature or unknown key`,
      );
      continue;
    }
    if (cp.kind === 'seal') {
      if (cp.size < lastSize)
        checkpointProblems.push(
          `checkpoint at ${cp.time} has size ${cp.size}, smaller than an earlier ${lastSize}`,
        );
      lastSize = Math.max(lastSize, cp.size);
    }
    valid.push(cp);
  }

  // Start from the newest prune checkpoint's frontier, or from the empty tree.
  const prune = valid.filter((c) => c.kind === 'prune').sort((a, b) => b.size - a.size)[0];
  let tree = new FastTreeBuilder();
  if (prune) {
    const frontier = (prune.frontier ?? []).map((h) => Buffer.from(h, 'base64'));
    try {
      tree = new FastTreeBuilder(prune.size, frontier);
      if (!rootFromFrontier(frontier).equals(Buffer.from(prune.root, 'base64')))
        checkpointProblems.push(`prune checkpoint of size ${prune.size}: frontier does not hash to its root`);
    } catch (error) {
      checkpointProblems.push(`prune checkpoint of size ${prune.size}: ${(error as Error).message}`);
    }
  }
  const start = tree.size;
  const trusted: Checkpoint[] = [];
  for (const cp of options.trusted ?? []) {
    if (cp.kind !== 'seal' || !verifyCheckpoint(cp, options.publicKey))
      checkpointProblems.push(
        `the trusted checkpoint of size ${cp.size} (${cp.time}) does not verify under the pinned key`,
      );
    else if (cp.size < start)
      checkpointProblems.push(
        `the trusted checkpoint of size ${cp.size} (${cp.time}) lies in the pruned prefix (below ${start}) and cannot be checked`,
      );
    else trusted.push(cp);
  }
  const isTrusted = new Set(trusted);
  let trustedMatched = 0;
  const heads = [...valid.filter((c) => c.kind === 'seal' && c.size >= start), ...trusted].sort(
    (a, b) => a.size - b.size,
  );
  const signedSize = heads.reduce((n, c) => Math.max(n, c.size), start);
  let firstUnsignedAt: number | null = null;
  let head = 0;
  let matched = 0;
  let lastGood = start;
  let structural = false;
  // Root mismatches are judged at the end: a bad record found later in the same batch names the
  // exact position, and only a mismatch with no such explanation is reported by its range.
  const mismatches: Array<{ from: number; to: number; time: string }> = [];
  const checkHeads = () => {
    while (head < heads.length && heads[head]!.size === tree.size) {
      const cp = heads[head++]!;
      if (structural) continue;
      if (tree.root().equals(Buffer.from(cp.root, 'base64'))) {
        if (isTrusted.has(cp)) trustedMatched++;
        else matched++;
        lastGood = cp.size;
      } else if (isTrusted.has(cp))
        report(
          lastGood,
          `the log does not recompute to the trusted checkpoint of size ${cp.size} (${cp.time}): history before position ${cp.size} was rewritten after it was published`,
        );
      else mismatches.push({ from: lastGood, to: cp.size, time: cp.time });
    }
  };
  checkHeads();

  let expected = start;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const batch of source.scan(start, options.batch ?? 10_000)) {
    if (batch.length === 0) continue;
    // Fetch the stored hashes this batch will be compared with (leaves, and every subtree its
    // leaves complete) before hashing, so each comparison happens at once and nothing is kept.
    const first = Math.max(0, batch[0]!.seq ?? 0);
    const last = Math.max(first, batch[batch.length - 1]!.seq ?? 0);
    const stored: Array<{ lo: number; hashes: Array<Buffer | undefined> }> = [];
    for (let level = 0; level === 0 || checkNodes; level++) {
      const width = 2 ** level;
      const lo = level === 0 ? first : Math.ceil((first + 1) / width) - 1;
      const hi = level === 0 ? last : Math.floor((last + 1) / width) - 1;
      if (hi < lo) break;
      const hashes: Array<Buffer | undefined> = new Array(hi - lo + 1);
      for (const n of await source.nodeRange(level, lo, hi)) hashes[n.idx - lo] = n.hash;
      stored[level] = { lo, hashes };
    }
    const onNode = (level: number, idx: number, hash: string) => {
      const from = idx * 2 ** level;
      const to = from + 2 ** level;
      const s = stored[level];
      const h = s?.hashes[idx - s.lo];
      if ((h && h.toString('latin1', 0, 32) === hash) || problemIn(from, to)) return;
      report(from, `positions ${from}–${to - 1} do not match the subtree hash sealed at level ${level}`);
    };
    for (const rec of batch) {
      const seq = rec.seq ?? -1;
      if (seq < expected) {
        report(seq, `position ${seq} appears more than once (record ${rec.id})`);
        structural = true;
        continue;
      }
      while (expected < seq) {
        report(expected, `record at position ${expected} is missing`);
        structural = true;
        expected++;
      }
      if (parse) {
        try {
          const text = decoder.decode(rec.body);
          const value = JSON.parse(text) as { id?: unknown; subject?: unknown };
          if (value.id !== rec.id)
            report(seq, `record at position ${seq} carries id ${String(value.id)}, not ${rec.id}`);
          // The indexed columns steer auditors' queries, so they must say what the record says.
          else if (value.subject !== rec.subject || uuidv7Time(rec.id) !== rec.at)
            report(seq, `record at position ${seq} is filed under another subject or time than it says`);
          else if (canonicalJson(value) !== text)
            report(seq, `record at position ${seq} is not canonical JSON`);
        } catch {
          report(seq, `record at position ${seq} is not valid JSON`);
        }
      }
      if (seq === signedSize) firstUnsignedAt = receivedAt(rec.body, rec.id);
      const leaf = FastTreeBuilder.leaf(rec.body);
      const sealed = stored[0]!.hashes[seq - stored[0]!.lo];
      if (!sealed) report(seq, `record at position ${seq} was never sealed (no leaf hash)`);
      else if (sealed.length !== 32 || sealed.toString('latin1', 0, 32) !== leaf)
        report(seq, `record at position ${seq} does not match its sealed leaf hash`);
      if (!structural) tree.append(leaf, checkNodes ? onNode : undefined);
      expected = seq + 1;
      checkHeads();
    }
    problems.sort((a, b) => a.position - b.position);
  }

  const sealedSize = await source.treeSize();
  if (sealedSize > expected)
    report(expected, `records at positions ${expected}–${sealedSize - 1} are missing`);
  for (const cp of heads.slice(head))
    if (cp.size > expected && !problemIn(expected, cp.size + 1))
      report(
        expected,
        isTrusted.has(cp)
          ? `the log ends at ${expected}, but the trusted checkpoint of size ${cp.size} (${cp.time}) covers more: records were removed (the log was rolled back)`
          : `the log ends at ${expected}, but the checkpoint signed at ${cp.time} covers ${cp.size}`,
      );
  const unsigned =
    expected > signedSize
      ? {
          from: signedSize,
          to: expected,
          since: firstUnsignedAt === null ? null : new Date(firstUnsignedAt).toISOString(),
        }
      : null;
  const maxUnsigned = options.maxUnsignedMs === undefined ? 600_000 : options.maxUnsignedMs;
  const now = options.now ?? Date.now();
  if (unsigned && maxUnsigned !== null && (firstUnsignedAt === null || now - firstUnsignedAt > maxUnsigned))
    report(
      unsigned.from,
      `positions ${unsigned.from}–${unsigned.to - 1} are covered by no signed checkpoint, though the first was received ${unsigned.since ?? 'at an unreadable time'}, more than ${Math.round(maxUnsigned / 1000)} s ago: checkpoints were removed, or signing stopped`,
    );
  for (const m of mismatches)
    if (!problemIn(m.from, m.to))
      report(m.from, `positions ${m.from}–${m.to - 1} do not match the checkpoint signed at ${m.time}`);
  problems.sort((a, b) => a.position - b.position);

  return {
    ok: problems.length === 0 && checkpointProblems.length === 0,
    size: expected,
    prunedBelow: start,
    root: tree.root().toString('base64'),
    checkpointsMatched: matched,
    firstBad: problems[0] ?? null,
    problems,
    checkpointProblems,
    trustedMatched,
    unsigned,
  };
}
