/**
 * Witnesses: places outside the operator's reach that keep the log's signed checkpoints, in the
 * manner of Certificate Transparency's signed tree heads and witnesses. The log sends each new
 * checkpoint with a consistency proof from the last one the witness holds; the witness keeps it
 * only if the signature verifies under the key it pinned and the proof shows the new tree extends
 * the old one. An operator who later rewrites, rolls back or re-signs history cannot make the
 * log agree with what the witness holds, and an auditor verifies against it
 * (`--witness URL`, or `--trusted-checkpoint FILE` with a checkpoint kept from it).
 *
 * The protocol, over HTTP:
 *   POST {witness}/v1/witness  { "checkpoint": {…}, "consistency": { "from": N, "proof": [base64…] } }
 *     200 { "size": M }          kept (or already held)
 *     409 { "size": M, … }       the witness holds size M: send the proof from M
 *     422 { "error": "…" }       refused: bad signature, another log, smaller, or not an extension
 *   GET  {witness}/v1/witness/latest  →  { "checkpoint": {…} }
 */
import type { KeyObject } from 'node:crypto';
import { type Checkpoint, verifyCheckpoint } from './checkpoint';
import { verifyConsistency } from './merkle';

/** The wire form of a consistency proof sent with a checkpoint. */
export interface WitnessSubmission {
  checkpoint: Checkpoint;
  consistency: { from: number; proof: string[] };
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A checkpoint read from untrusted JSON; throws naming what is wrong. */
export function parseCheckpoint(value: unknown): Checkpoint {
  const v = value as Partial<Record<keyof Checkpoint, unknown>> | null;
  const ok =
    typeof v === 'object' &&
    v !== null &&
    (v.kind === 'seal' || v.kind === 'prune') &&
    typeof v.origin === 'string' &&
    Number.isSafeInteger(v.size) &&
    (v.size as number) >= 0 &&
    typeof v.root === 'string' &&
    B64.test(v.root) &&
    typeof v.time === 'string' &&
    typeof v.keyId === 'string' &&
    typeof v.signature === 'string' &&
    (v.frontier === undefined ||
      (Array.isArray(v.frontier) && v.frontier.every((h) => typeof h === 'string')));
  if (!ok) throw new Error('not a signed checkpoint (kind, origin, size, root, time, keyId, signature)');
  return v as Checkpoint;
}

/**
 * Checkpoints from a file an auditor keeps: one checkpoint, `{ "checkpoint": … }` (what
 * `/v1/checkpoints/latest` and a witness answer), `{ "checkpoints": [...] }`, or JSON lines (a
 * witness's own file).
 */
export function readTrustedCheckpoints(text: string): Checkpoint[] {
  const one = (value: unknown): Checkpoint[] => {
    const v = value as { checkpoint?: unknown; checkpoints?: unknown } | null;
    if (v && typeof v === 'object' && Array.isArray(v.checkpoints)) return v.checkpoints.map(parseCheckpoint);
    if (v && typeof v === 'object' && v.checkpoint !== undefined) return [parseCheckpoint(v.checkpoint)];
    return [parseCheckpoint(value)];
  };
  try {
    return one(JSON.parse(text));
  } catch (whole) {
    const lines = text.split('\n').filter((l) => l.trim());
    if (lines.length < 2) throw whole;
    return lines.flatMap((l) => one(JSON.parse(l)));
  }
}

/** The newest checkpoint a witness holds for the log. */
export async function fetchWitnessCheckpoint(url: string): Promise<Checkpoint> {
  const res = await fetch(`${url.replace(/\/+$/, '')}/v1/witness/latest`, {
    headers: { accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`witness ${url} answered ${res.status}`);
  return parseCheckpoint(((await res.json()) as { checkpoint?: unknown }).checkpoint);
}

/** What a witness decides about a submission, given the checkpoint it holds. */
export type WitnessDecision =
  | { keep: true }
  | { keep: false; status: 200 | 409 | 422; error: string; fork?: boolean };

/**
 * The witness's rule, pure: keep `submission` if it verifies under `publicKey`, names `origin`,
 * and extends `held` (proven by its consistency proof). Same size and root as held: nothing to
 * keep (200). A different root at the same size, or a proof that does not verify: refused, and a
 * fork — evidence that the log showed two histories.
 */
export function judgeSubmission(
  held: Checkpoint | null,
  submission: WitnessSubmission,
  publicKey: KeyObject,
  origin: string | null,
): WitnessDecision {
  const cp = submission.checkpoint;
  if (cp.kind !== 'seal') return { keep: false, status: 422, error: 'only seal checkpoints are witnessed' };
  if (!verifyCheckpoint(cp, publicKey))
    return { keep: false, status: 422, error: 'the signature does not verify under the pinned key' };
  if (origin !== null && cp.origin !== origin)
    return { keep: false, status: 422, error: `names the log "${cp.origin}", not "${origin}"` };
  const heldSize = held?.size ?? 0;
  if (held && cp.size === held.size)
    return cp.root === held.root
      ? { keep: false, status: 200, error: 'already held' }
      : { keep: false, status: 422, error: `a second root for size ${cp.size}`, fork: true };
  if (cp.size < heldSize)
    return { keep: false, status: 422, error: `size ${cp.size} is smaller than the held ${heldSize}` };
  if (submission.consistency.from !== heldSize)
    return { keep: false, status: 409, error: `send the consistency proof from size ${heldSize}` };
  if (!held || heldSize === 0) return { keep: true };
  const proof = submission.consistency.proof.map((h) => Buffer.from(h, 'base64'));
  const extends_ = verifyConsistency(
    held.size,
    cp.size,
    Buffer.from(held.root, 'base64'),
    Buffer.from(cp.root, 'base64'),
    proof,
  );
  return extends_
    ? { keep: true }
    : {
        keep: false,
        status: 422,
        error: `not consistent with the held checkpoint of size ${held.size}: history was rewritten`,
        fork: true,
      };
}
