// @vitest-environment node
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  nodeHash,
  rangeHash,
  TreeBuilder,
  verifyConsistency,
  verifyInclusion,
} from '../src/index';

const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

/** MTH straight from RFC 9162 § 2.1.1, as the reference. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return sha(Buffer.from([0]), leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const data = Array.from({ length: 70 }, (_, i) => Buffer.from(`record ${i}`));

function built(n: number) {
  const nodes = new Map<string, Buffer>();
  const tree = new TreeBuilder();
  for (const d of data.slice(0, n)) tree.append(leafHash(d), (l, i, h) => nodes.set(`${l}:${i}`, h));
  const get = (l: number, i: number) => {
    const h = nodes.get(`${l}:${i}`);
    if (!h) throw new Error(`no node ${l}:${i}`);
    return h;
  };
  return { tree, get };
}

describe('RFC 9162 Merkle tree', () => {
  it('hashes leaves and nodes with the 0x00 / 0x01 prefixes', () => {
    expect(leafHash(Buffer.alloc(0)).toString('hex')).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    expect(EMPTY_ROOT.toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    const a = leafHash(Buffer.from('a'));
    const b = leafHash(Buffer.from('b'));
    expect(nodeHash(a, b).equals(sha(Buffer.from([1]), a, b))).toBe(true);
  });

  it('computes the same root as the RFC definition for every size up to 70', () => {
    for (let n = 0; n <= 70; n++) {
      const { tree, get } = built(n);
      const expected = mth(data.slice(0, n));
      expect(tree.root().equals(expected), `size ${n}`).toBe(true);
      if (n > 0) expect(rangeHash(0, n, get).equals(expected)).toBe(true);
    }
  });

  it('makes inclusion proofs that verify, and fail for the wrong leaf, index or root', () => {
    for (let n = 1; n <= 33; n++) {
      const { tree, get } = built(n);
      const root = tree.root();
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(i, n, get);
        const leaf = leafHash(data[i]!);
        expect(verifyInclusion(i, n, leaf, proof, root), `${i} in ${n}`).toBe(true);
        expect(verifyInclusion(i, n, leafHash(Buffer.from('other')), proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion((i + 1) % n, n, leaf, proof, root)).toBe(false);
      }
    }
  });

  it('makes consistency proofs between every pair of sizes, and rejects forged ones', () => {
    for (let n = 1; n <= 33; n++) {
      const { get } = built(n);
      const second = mth(data.slice(0, n));
      for (let m = 1; m <= n; m++) {
        const first = mth(data.slice(0, m));
        const proof = consistencyProof(m, n, get);
        expect(verifyConsistency(m, n, first, second, proof), `${m} → ${n}`).toBe(true);
        if (m < n) {
          const forged = mth([...data.slice(0, m - 1), Buffer.from('changed')]);
          expect(verifyConsistency(m, n, forged, second, proof)).toBe(false);
        }
      }
    }
  });

  it('resumes from a frontier exactly where it left off', () => {
    const full = built(45).tree;
    const half = built(20).tree;
    const resumed = new TreeBuilder(20, half.frontier());
    for (const d of data.slice(20, 45)) resumed.append(leafHash(d));
    expect(resumed.root().equals(full.root())).toBe(true);
    expect(() => new TreeBuilder(20, [])).toThrow(/frontier/);
  });
});
