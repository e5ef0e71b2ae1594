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
  const heads = valid.filter((c) => c.kind === 'seal' && c.size >= start).sort((a, b) => a.size - b.size);
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
        matched++;
        lastGood = cp.size;
      } else mismatches.push({ from: lastGood, to: cp.size, time: cp.time });
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
        `the log ends at ${expected}, but the checkpoint signed at ${cp.time} covers ${cp.size}`,
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
  };
}
