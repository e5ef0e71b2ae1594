/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0), § 2.1: leaf = SHA-256(0x00 ‖ data),
 * node = SHA-256(0x01 ‖ left ‖ right), the left subtree always the largest power of two.
 * Positions are plain numbers (safe up to 2^53 leaves).
 */
import { hash } from 'node:crypto';

/** A perfect, aligned subtree: `level` 0 is a leaf; it covers [idx·2^level, (idx+1)·2^level). */
export interface NodeKey {
  level: number;
  idx: number;
}

/** A stored subtree hash. */
export interface TreeNode extends NodeKey {
  hash: Buffer;
}

// Reused scratch space: hashing is synchronous, so one buffer per module is safe and saves an
// allocation per hash (verification hashes two million times for a million records).
let leafScratch = Buffer.allocUnsafe(4096);
const nodeScratch = Buffer.allocUnsafe(65);

/** SHA-256(0x00 ‖ data): the hash of one record's canonical bytes. */
export function leafHash(data: Uint8Array): Buffer {
  const need = data.length + 1;
  if (leafScratch.length < need) leafScratch = Buffer.allocUnsafe(Math.max(need, leafScratch.length * 2));
  leafScratch[0] = 0;
  leafScratch.set(data, 1);
  return hash('sha256', leafScratch.subarray(0, need), 'buffer');
}

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  nodeScratch[0] = 1;
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 33);
  return hash('sha256', nodeScratch, 'buffer');
}

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT: Buffer = hash('sha256', Buffer.alloc(0), 'buffer');

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

/** Keys of the perfect subtrees that make up [0, size), leftmost (largest) first. */
export function frontierKeys(size: number): NodeKey[] {
  const keys: NodeKey[] = [];
  let rest = size;
  let offset = 0;
  while (rest > 0) {
    const level = Math.floor(Math.log2(rest));
    const width = 2 ** level;
    keys.push({ level, idx: offset / width });
    offset += width;
    rest -= width;
  }
  return keys;
}

/** The root of [0, size) from the hashes of its frontier (see {@link frontierKeys}). */
export function rootFromFrontier(frontier: readonly Uint8Array[]): Buffer {
  if (frontier.length === 0) return EMPTY_ROOT;
  let r: Buffer = Buffer.from(frontier[frontier.length - 1]!);
  for (let i = frontier.length - 2; i >= 0; i--) r = nodeHash(frontier[i]!, r);
  return r;
}

/**
 * An append-only tree kept as its frontier (a compact range): appending a leaf reports every
 * subtree it completes, so a sealer can store them and a verifier can compare them.
 */
export class TreeBuilder {
  private stack: Buffer[];
  private count: number;

  /** Starts at `size` leaves whose frontier hashes are given (largest subtree first). */
  constructor(size = 0, frontier: readonly Uint8Array[] = []) {
    if (frontierKeys(size).length !== frontier.length)
      throw new Error(
        `a tree of ${size} leaves has ${frontierKeys(size).length} frontier hashes, not ${frontier.length}`,
      );
    this.count = size;
    this.stack = frontier.map((h) => Buffer.from(h));
  }

  get size(): number {
    return this.count;
  }

  /** Appends a leaf hash; calls `onNode` for the leaf and every subtree it completes. */
  append(leaf: Buffer, onNode?: (level: number, idx: number, hash: Buffer) => void): void {
    let idx = this.count;
    let h = leaf;
    let level = 0;
    onNode?.(0, idx, h);
    while (idx % 2 === 1) {
      const left = this.stack.pop();
      if (!left) throw new Error('corrupt frontier');
      h = nodeHash(left, h);
      level++;
      idx = (idx - 1) / 2;
      onNode?.(level, idx, h);
    }
    this.stack.push(h);
    this.count++;
  }

  /** The frontier hashes, largest subtree first. */
  frontier(): Buffer[] {
    return this.stack.slice();
  }

  /** The current root (MTH of all leaves so far). */
  root(): Buffer {
    return rootFromFrontier(this.stack);
  }
}

/** Looks up the hash of a perfect aligned subtree; throws if it is not available. */
export type NodeReader = (level: number, idx: number) => Buffer;

/** MTH(D[lo:hi]) for the ranges the RFC 9162 recursion produces, from stored perfect subtrees. */
export function rangeHash(lo: number, hi: number, get: NodeReader): Buffer {
  const n = hi - lo;
  if (n <= 0) return EMPTY_ROOT;
  if (isPowerOfTwo(n) && lo % n === 0) return get(Math.round(Math.log2(n)), lo / n);
  const k = largestPowerOfTwoBelow(n);
  return nodeHash(rangeHash(lo, lo + k, get), rangeHash(lo + k, hi, get));
}

function pathIn(m: number, lo: number, hi: number, get: NodeReader, out: Buffer[]): void {
  const n = hi - lo;
  if (n <= 1) return;
  const k = largestPowerOfTwoBelow(n);
  if (m < lo + k) {
    pathIn(m, lo, lo + k, get, out);
    out.push(rangeHash(lo + k, hi, get));
  } else {
    pathIn(m, lo + k, hi, get, out);
    out.push(rangeHash(lo, lo + k, get));
  }
}

/** The inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 § 2.1.3.1). */
export function inclusionProof(index: number, size: number, get: NodeReader): Buffer[] {
  if (index < 0 || index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const out: Buffer[] = [];
  pathIn(index, 0, size, get, out);
  return out;
}

function subproof(
  m: number,
  lo: number,
  hi: number,
  complete: boolean,
  get: NodeReader,
  out: Buffer[],
): void {
  const n = hi - lo;
  if (m === n) {
    if (!complete) out.push(rangeHash(lo, hi, get));
    return;
  }
  const k = largestPowerOfTwoBelow(n);
  if (m <= k) {
    subproof(m, lo, lo + k, complete, get, out);
    out.push(rangeHash(lo + k, hi, get));
  } else {
    subproof(m - k, lo + k, hi, false, get, out);
    out.push(rangeHash(lo, lo + k, get));
  }
}

/** The consistency proof between tree sizes `first` and `second` (RFC 9162 § 2.1.4.1). */
export function consistencyProof(first: number, second: number, get: NodeReader): Buffer[] {
  if (first < 0 || first > second) throw new RangeError(`no consistency proof from ${first} to ${second}`);
  if (first === 0 || first === second) return [];
  const out: Buffer[] = [];
  subproof(first, 0, second, true, get, out);
  return out;
}

/**
 * The perfect subtrees a proof or root needs, so a store can fetch them in one query.
 * Runs the same recursion with a recording reader.
 */
export function neededNodes(run: (get: NodeReader) => unknown): NodeKey[] {
  const keys = new Map<string, NodeKey>();
  run((level, idx) => {
    keys.set(`${level}:${idx}`, { level, idx });
    return EMPTY_ROOT;
  });
  return [...keys.values()];
}

function shiftUntil(state: { fn: number; sn: number }): void {
  while (state.fn % 2 === 0 && state.fn !== 0) {
    state.fn = Math.floor(state.fn / 2);
    state.sn = Math.floor(state.sn / 2);
  }
}

/** Verifies an inclusion proof (RFC 9162 § 2.1.3.2). */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (index < 0 || index >= size) return false;
  const s = { fn: index, sn: size - 1 };
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (s.sn === 0) return false;
    if (s.fn % 2 === 1 || s.fn === s.sn) {
      r = nodeHash(p, r);
      if (s.fn % 2 === 0) shiftUntil(s);
    } else {
      r = nodeHash(r, p);
    }
    s.fn = Math.floor(s.fn / 2);
    s.sn = Math.floor(s.sn / 2);
  }
  return s.sn === 0 && r.equals(root);
}

/** Verifies a consistency proof between two tree heads (RFC 9162 § 2.1.4.2). */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && Buffer.from(firstRoot).equals(secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  const s = { fn: first - 1, sn: second - 1 };
  while (s.fn % 2 === 1) {
    s.fn = Math.floor(s.fn / 2);
    s.sn = Math.floor(s.sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (const c of path.slice(1)) {
    if (s.sn === 0) return false;
    if (s.fn % 2 === 1 || s.fn === s.sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (s.fn % 2 === 0) shiftUntil(s);
    } else {
      sr = nodeHash(sr, c);
    }
    s.fn = Math.floor(s.fn / 2);
    s.sn = Math.floor(s.sn / 2);
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && s.sn === 0;
}

/**
 * The tree builder verification uses: the same tree, with hashes kept as 32-character latin1
 * strings. Strings live on the young heap, so a million leaves cost half the time of Buffers.
 */
export class FastTreeBuilder {
  private stack: string[];
  private count: number;

  constructor(size = 0, frontier: readonly Uint8Array[] = []) {
    const ref = new TreeBuilder(size, frontier);
    this.count = ref.size;
    this.stack = frontier.map((h) => Buffer.from(h).toString('latin1'));
  }

  get size(): number {
    return this.count;
  }

  /** SHA-256(0x00 ‖ data) as a latin1 string. */
  static leaf(data: Uint8Array): string {
    const need = data.length + 1;
    if (leafScratch.length < need) leafScratch = Buffer.allocUnsafe(Math.max(need, leafScratch.length * 2));
    leafScratch[0] = 0;
    leafScratch.set(data, 1);
    return hash('sha256', leafScratch.subarray(0, need), 'binary');
  }

  /** Appends a leaf hash (latin1); calls `onNode` for every subtree above the leaf it completes. */
  append(leaf: string, onNode?: (level: number, idx: number, hash: string) => void): void {
    let idx = this.count;
    let h = leaf;
    let level = 0;
    while (idx % 2 === 1) {
      const left = this.stack.pop();
      if (left === undefined) throw new Error('corrupt frontier');
      nodeScratch[0] = 1;
      nodeScratch.write(left, 1, 'latin1');
      nodeScratch.write(h, 33, 'latin1');
      h = hash('sha256', nodeScratch, 'binary');
      level++;
      idx = (idx - 1) / 2;
      onNode?.(level, idx, h);
    }
    this.stack.push(h);
    this.count++;
  }

  root(): Buffer {
    return rootFromFrontier(this.stack.map((s) => Buffer.from(s, 'latin1')));
  }
}
