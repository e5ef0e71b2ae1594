/**
 * Bundles for counsel: a folder holding a span of the log (records as their exact stored bytes,
 * one per line), the tree hashes that tie the span to a signed checkpoint, every checkpoint,
 * consistency proofs between them, the notice texts, the public key and a README — enough to
 * verify it without the database and without trusting whoever sent it.
 */
import type { KeyObject } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Checkpoint,
  consistencyProofBetween,
  frontierKeys,
  keyIdOf,
  leafHash,
  type NodeKey,
  nodeHash,
  nodeKey,
  rootFromFrontier,
  TreeBuilder,
  verifyConsistency,
} from '@allparty/ledger';
import { bundleReadme } from './bundle-readme';
import { byteLines } from './lines';
import {
  type AuditStore,
  type Bundle,
  type BundleConsistency,
  type BundleManifest,
  type BundleTree,
  recordsInRange,
} from './source';
import { iso, keyFingerprint, parseRecord, publicKeyPem, UsageError } from './util';
import {
  type AuditProblem,
  type AuditVerifyReport,
  checkCheckpoints,
  checkpointChain,
  isCanonical,
} from './verify';

/** Options for {@link exportBundle}. */
export interface ExportBundleOptions {
  /** The log's public key: the anchor checkpoint must verify under it, and it is written to the bundle. */
  publicKey: KeyObject;
  /** Decision time lower bound, ms (inclusive). @default the whole log */
  from?: number;
  /** Decision time upper bound, ms (exclusive). */
  to?: number;
  /** Consistency proofs to write at most (a chain through an evenly spaced subset). @default 2000 */
  maxConsistency?: number;
  onProgress?: (done: number, total: number) => void;
  /** @default Date.now */
  now?: () => number;
}

/** What {@link exportBundle} wrote. */
export interface ExportBundleResult {
  manifest: BundleManifest;
  notices: number;
  files: string[];
}

/** The perfect aligned subtrees that cover [from, to), in order. */
export function coverRange(from: number, to: number): NodeKey[] {
  const out: NodeKey[] = [];
  let pos = from;
  while (pos < to) {
    let level = 0;
    while (pos % 2 ** (level + 1) === 0 && pos + 2 ** (level + 1) <= to) level++;
    out.push({ level, idx: pos / 2 ** level });
    pos += 2 ** level;
  }
  return out;
}

/**
 * Folds a run of perfect subtrees covering [0, size) in order into the RFC 9162 root; a
 * string says why it cannot (a gap, an overlap, or not ending at `size`).
 */
export function foldRoot(nodes: ReadonlyArray<NodeKey & { hash: Buffer }>, size: number): Buffer | string {
  const stack: Array<NodeKey & { hash: Buffer }> = [];
  let end = 0;
  for (const n of nodes) {
    const width = 2 ** n.level;
    if (n.idx * width !== end)
      return `a subtree hash at level ${n.level} starts at ${n.idx * width}, not ${end}`;
    end += width;
    stack.push(n);
    for (;;) {
      const top = stack[stack.length - 1]!;
      const below = stack[stack.length - 2];
      if (!below || below.level !== top.level || below.idx % 2 !== 0 || top.idx !== below.idx + 1) break;
      stack.splice(-2, 2, { level: top.level + 1, idx: below.idx / 2, hash: nodeHash(below.hash, top.hash) });
    }
  }
  if (end !== size) return `the subtree hashes cover ${end} positions, not ${size}`;
  return rootFromFrontier(stack.map((n) => n.hash));
}

function thinned<T>(list: readonly T[], n: number): T[] {
  if (list.length <= n) return [...list];
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(list[Math.round((i * (list.length - 1)) / (n - 1))]!);
  return out;
}

/** Writes a bundle of the log (or of the records decided in a time range) into an empty folder. */
export async function exportBundle(
  store: AuditStore,
  dir: string,
  options: ExportBundleOptions,
): Promise<ExportBundleResult> {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new UsageError(`${dir} is not empty`);
  const keyId = keyIdOf(options.publicKey);
  const all = await store.checkpoints();
  const { valid } = checkCheckpoints(all, options.publicKey, undefined);
  const { chain } = checkpointChain(valid);
  const anchor = chain[chain.length - 1];
  if (!anchor)
    throw new Error(`no checkpoint verifies under key ${keyId}: nothing to anchor a bundle to (run verify)`);
  const prunedBelow = Math.max(0, ...valid.filter((c) => c.kind === 'prune').map((c) => c.size));
  const S = anchor.size;

  // The span: the whole log, or the positions from the first to the last record in the range.
  let a = prunedBelow;
  let b = S;
  let inRange = 0;
  const ranged = options.from !== undefined || options.to !== undefined;
  if (ranged) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = -1;
    for await (const r of recordsInRange(store, {
      ...(options.from !== undefined ? { from: options.from } : {}),
      ...(options.to !== undefined ? { to: options.to } : {}),
    })) {
      if (r.seq === null || r.seq >= S || r.seq < prunedBelow) continue;
      inRange++;
      lo = Math.min(lo, r.seq);
      hi = Math.max(hi, r.seq);
    }
    [a, b] = hi < 0 ? [S, S] : [lo, hi + 1];
  } else inRange = S - prunedBelow;

  const keys = frontierKeys(a);
  const right = coverRange(b, S);
  const known = await store.nodes([...keys, ...right]);
  const hashOf = (k: NodeKey) => {
    const h = known.get(nodeKey(k.level, k.idx));
    if (!h) throw new Error(`tree node ${k.level}:${k.idx} is missing from the log (run verify)`);
    return h.toString('base64');
  };
  const tree: BundleTree = {
    left: keys.map(hashOf),
    right: right.map((k) => ({ level: k.level, idx: k.idx, hash: hashOf(k) })),
  };

  mkdirSync(dir, { recursive: true });
  const recordsFd = openSync(join(dir, 'records.jsonl'), 'w');
  const leavesFd = openSync(join(dir, 'leaves.txt'), 'w');
  const noticeHashes = new Set<string>();
  let written = 0;
  try {
    if (b > a)
      for await (const rows of store.scan(a, 10_000)) {
        const part = rows.filter((r) => r.seq !== null && r.seq < b);
        if (part.length === 0) break;
        writeSync(recordsFd, Buffer.concat(part.flatMap((r) => [r.body, Buffer.from('\n')])));
        for (const r of part) {
          const rec = parseRecord(r.body);
          if (
            rec &&
            (options.from === undefined || r.at >= options.from) &&
            (options.to === undefined || r.at < options.to)
          )
            noticeHashes.add(rec.notice.hash);
        }
        const first = part[0]!.seq!;
        const last = part[part.length - 1]!.seq!;
        const leaves = await store.nodeRange(0, first, last);
        writeSync(leavesFd, leaves.map((n) => `${n.hash.toString('base64')}\n`).join(''));
        written += part.length;
        options.onProgress?.(written, b - a);
        if (part.length < rows.length || last >= b - 1) break;
      }
  } finally {
    closeSync(recordsFd);
    closeSync(leavesFd);
  }

  const notices: string[] = [];
  for (const hash of [...noticeHashes].sort()) {
    const text = await store.getNotice(hash);
    if (text !== null) notices.push(`${JSON.stringify({ hash, text })}\n`);
  }
  writeFileSync(join(dir, 'notices.jsonl'), notices.join(''));

  const heads = thinned(
    chain.filter((c) => c.size >= prunedBelow),
    (options.maxConsistency ?? 2000) + 1,
  );
  const consistency: BundleConsistency[] = [];
  for (let i = 1; i < heads.length; i++) {
    const m = heads[i - 1]!.size;
    const n = heads[i]!.size;
    const proof = await consistencyProofBetween(store, m, n);
    consistency.push({ from: m, to: n, proof: proof.map((h) => h.toString('base64')) });
  }

  const fingerprint = keyFingerprint(options.publicKey);
  const manifest: BundleManifest = {
    format: 'allparty.audit-bundle/1',
    createdAt: iso((options.now ?? Date.now)()),
    origin: anchor.origin,
    range: {
      from: options.from !== undefined ? iso(options.from) : null,
      to: options.to !== undefined ? iso(options.to) : null,
    },
    span: { from: a, to: b },
    treeSize: S,
    inRange,
    publicKey: { keyId, fingerprint },
  };
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  writeFileSync(join(dir, 'manifest.json'), json(manifest));
  writeFileSync(join(dir, 'tree.json'), json(tree));
  writeFileSync(join(dir, 'checkpoints.json'), json(all));
  writeFileSync(join(dir, 'consistency.json'), json(consistency));
  writeFileSync(join(dir, 'public-key.pem'), publicKeyPem(options.publicKey));
  writeFileSync(join(dir, 'README.md'), bundleReadme(manifest, all.length, notices.length));
  return {
    manifest,
    notices: notices.length,
    files: [
      'README.md',
      'manifest.json',
      'records.jsonl',
      'leaves.txt',
      'tree.json',
      'checkpoints.json',
      'consistency.json',
      'notices.jsonl',
      'public-key.pem',
    ],
  };
}

/** Options for {@link verifyBundle}. */
export interface VerifyBundleOptions {
  publicKey: KeyObject;
  origin?: string;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Verifies a bundle: every record against its sealed leaf hash, the span's tree against every
 * signed checkpoint it reaches (through the bundle's edge hashes to the anchor checkpoint), and
 * the consistency proofs between checkpoints. Never throws for a bad bundle.
 */
export async function verifyBundle(bundle: Bundle, options: VerifyBundleOptions): Promise<AuditVerifyReport> {
  const { manifest } = bundle;
  const a = manifest.span.from;
  const b = manifest.span.to;
  const S = manifest.treeSize;
  const { valid, problems } = checkCheckpoints(bundle.checkpoints, options.publicKey, options.origin);
  const chain = checkpointChain(valid);
  problems.push(...chain.problems);
  const notes: string[] = [];
  const report = (position: number, problem: string) => {
    if (problems.length < 200) problems.push({ position, problem });
  };
  const problemIn = (from: number, to: number) => problems.some((p) => p.position >= from && p.position < to);
  const prunedBelow = Math.max(0, ...valid.filter((c) => c.kind === 'prune').map((c) => c.size));

  let tree: TreeBuilder;
  const left = bundle.tree.left.map((h) => Buffer.from(h, 'base64'));
  try {
    tree = new TreeBuilder(a, left);
  } catch (error) {
    report(a, `the bundle's left edge hashes are malformed: ${(error as Error).message}`);
    tree = new TreeBuilder();
  }
  const prune = valid.find((c) => c.kind === 'prune' && c.size === a);
  if (prune && a > 0 && !rootFromFrontier(left).equals(Buffer.from(prune.root, 'base64')))
    report(a, `the bundle's left edge hashes do not hash to the prune checkpoint of size ${a}`);

  const heads = chain.chain.filter((c) => c.size >= a && c.size <= b);
  let head = 0;
  let matched = 0;
  let lastGood = a;
  const mismatches: Array<{ from: number; to: number; time: string }> = [];
  const checkHeads = () => {
    while (head < heads.length && heads[head]!.size <= tree.size) {
      const cp = heads[head++]!;
      if (cp.size !== tree.size) continue;
      if (tree.root().equals(Buffer.from(cp.root, 'base64'))) {
        matched++;
        lastGood = cp.size;
      } else mismatches.push({ from: lastGood, to: cp.size, time: cp.time });
    }
  };
  if (tree.size === a) checkHeads();

  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pos = a;
  for await (const line of byteLines(bundle.recordsPath)) {
    if (pos >= b) {
      report(pos, `the bundle holds a record at position ${pos}, past the end of its span (${b})`);
      pos++;
      continue;
    }
    try {
      const text = decoder.decode(line);
      const value = JSON.parse(text) as { id?: unknown };
      if (typeof value.id !== 'string') report(pos, `record at position ${pos} has no id`);
      else if (!isCanonical(value, text)) report(pos, `record at position ${pos} is not canonical JSON`);
    } catch {
      report(pos, `record at position ${pos} is not valid JSON`);
    }
    const leaf = leafHash(line);
    const sealed = bundle.leaves[pos - a];
    if (sealed === undefined) report(pos, `record at position ${pos} has no sealed leaf hash in the bundle`);
    else if (sealed !== leaf.toString('base64'))
      report(pos, `record at position ${pos} does not match its sealed leaf hash`);
    tree.append(leaf);
    pos++;
    checkHeads();
    if ((pos - a) % 10_000 === 0) options.onProgress?.(pos - a, b - a);
  }
  options.onProgress?.(Math.min(pos, b) - a, b - a);
  if (pos < b)
    report(pos, `the bundle's records end at position ${pos}, but its span and leaf hashes run to ${b - 1}`);
  else if (bundle.leaves.length !== b - a)
    report(
      Math.min(a + bundle.leaves.length, b),
      `the bundle lists ${bundle.leaves.length} leaf hashes for ${b - a} records`,
    );

  // From the span's end to the anchor checkpoint: the span's frontier plus the right edge hashes.
  let root = tree.root();
  if (pos === b) {
    const frontier = tree.frontier();
    const nodes = frontierKeys(b).map((k, i) => ({ ...k, hash: frontier[i]! }));
    for (const n of bundle.tree.right)
      nodes.push({ level: n.level, idx: n.idx, hash: Buffer.from(n.hash, 'base64') });
    const folded = foldRoot(nodes, S);
    if (typeof folded === 'string') report(b, `the bundle's right edge hashes are malformed: ${folded}`);
    else {
      root = folded;
      const anchor = chain.chain.find((c) => c.size === S);
      if (!anchor)
        report(
          lastGood,
          `no checkpoint of size ${S} verifies under the pinned key: the bundle is not anchored`,
        );
      else if (S !== b) {
        if (folded.equals(Buffer.from(anchor.root, 'base64'))) matched++;
        else mismatches.push({ from: lastGood, to: S, time: anchor.time });
      }
    }
  }
  for (const m of mismatches)
    if (!problemIn(m.from, m.to))
      report(m.from, `positions ${m.from}–${m.to - 1} do not match the checkpoint signed at ${m.time}`);

  // Consistency: the proofs must link every verified checkpoint from the prune point to the newest.
  const linked = chain.chain.filter((c) => c.size >= prunedBelow);
  const bySize = new Map(linked.map((c) => [c.size, c]));
  let consistencyChecked = 0;
  let reach = linked[0]?.size ?? 0;
  for (const p of [...bundle.consistency].sort((x, y) => x.from - y.from)) {
    const first = bySize.get(p.from);
    const second = bySize.get(p.to);
    if (!first || !second) continue;
    consistencyChecked++;
    const ok = verifyConsistency(
      p.from,
      p.to,
      Buffer.from(first.root, 'base64'),
      Buffer.from(second.root, 'base64'),
      p.proof.map((h) => Buffer.from(h, 'base64')),
    );
    if (!ok)
      report(
        Math.max(prunedBelow, Math.min(p.from, a)),
        `the checkpoint of size ${p.to} (${second.time}) is not consistent with the one of size ${p.from} (${first.time})`,
      );
    else if (p.from === reach) reach = p.to;
  }
  const newest = linked[linked.length - 1];
  if (newest && reach !== newest.size)
    report(
      Math.min(reach, a),
      `no consistency proof links the checkpoint of size ${reach} to the newer ones (up to ${newest.size})`,
    );

  if (a > 0)
    notes.push(
      `the bundle holds positions ${a}–${b - 1}; positions below ${a} are represented by their subtree hashes`,
    );
  if (b < S)
    notes.push(
      `positions ${b}–${S - 1} are represented by their subtree hashes, up to the checkpoint of size ${S}`,
    );
  problems.sort((x, y) => x.position - y.position);
  const latest = chain.chain[chain.chain.length - 1] ?? null;
  return {
    ok: problems.length === 0,
    from: a,
    size: Math.min(pos, b),
    root: root.toString('base64'),
    checkpoints: bundle.checkpoints.length,
    checkpointsValid: valid.length,
    checkpointsMatched: matched,
    consistencyChecked,
    latest,
    trusted: 0,
    trustedMatched: 0,
    unattested: null,
    keyId: keyIdOf(options.publicKey),
    fingerprint: keyFingerprint(options.publicKey),
    firstBad: problems[0] ?? null,
    problems,
    notes,
  };
}

export type { AuditProblem, Checkpoint };
