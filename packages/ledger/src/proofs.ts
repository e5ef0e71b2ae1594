/** Proofs served from a store: fetch the subtree hashes a proof needs in one read, then compute. */
import type { ConsentRecord } from '@allparty/core';
import { canonicalBytes } from './canonical';
import { consistencyProof, inclusionProof, type NodeReader, neededNodes, rangeHash } from './merkle';
import { type IngestEntry, type LedgerStore, nodeKey } from './store';
import { uuidv7Time } from './validate';

async function reader(
  store: Pick<LedgerStore, 'nodes'>,
  run: (get: NodeReader) => unknown,
): Promise<NodeReader> {
  const map = await store.nodes(neededNodes(run));
  return (level, idx) => {
    const h = map.get(nodeKey(level, idx));
    if (!h) throw new Error(`ledger: tree node ${level}:${idx} is not available (pruned or missing)`);
    return h;
  };
}

/** The root of the first `size` leaves, from stored nodes. */
export async function rootAt(store: Pick<LedgerStore, 'nodes'>, size: number): Promise<Buffer> {
  const run = (get: NodeReader) => rangeHash(0, size, get);
  return run(await reader(store, run));
}

/** The inclusion proof of the leaf at `index` in the tree of `size` leaves. */
export async function inclusionProofAt(
  store: Pick<LedgerStore, 'nodes'>,
  index: number,
  size: number,
): Promise<Buffer[]> {
  const run = (get: NodeReader) => inclusionProof(index, size, get);
  return run(await reader(store, run));
}

/** The consistency proof between tree sizes `first` and `second`. */
export async function consistencyProofBetween(
  store: Pick<LedgerStore, 'nodes'>,
  first: number,
  second: number,
): Promise<Buffer[]> {
  const run = (get: NodeReader) => consistencyProof(first, second, get);
  return run(await reader(store, run));
}

/** A validated record as a store entry: canonical bytes, decision time from its UUIDv7. */
export function toIngestEntry(record: ConsentRecord): IngestEntry {
  return { id: record.id, at: uuidv7Time(record.id), subject: record.subject, body: canonicalBytes(record) };
}
