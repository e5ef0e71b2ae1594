/**
 * A witness server (`allparty-server witness`) and the log's side of the protocol (see
 * `witness.ts` in @allparty/ledger). Run the witness where the log's operator cannot write: on
 * the auditor's machine, at another organisation, or with its folder on append-only storage.
 * It pins the log's public key, keeps every checkpoint it accepted in `witness.jsonl` (one per
 * line, flushed to disk before it answers), and any proof of a second history in `forks.jsonl`.
 */
import type { KeyObject } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Checkpoint,
  consistencyProofBetween,
  judgeSubmission,
  type LedgerStore,
  parseCheckpoint,
  readTrustedCheckpoints,
  type WitnessSubmission,
} from '@allparty/ledger';
import Fastify, { type FastifyInstance } from 'fastify';
import { isObject } from './context';

/** Options for {@link createWitness}. */
export interface WitnessOptions {
  /** Folder of `witness.jsonl` and `forks.jsonl` (created). */
  dir: string;
  /** The log's public key, pinned. */
  publicKey: KeyObject;
  /** The log's name, pinned with the key; null takes any name the key signs. @default null */
  origin?: string | null;
}

/** A witness, built but not listening. */
export interface Witness {
  app: FastifyInstance;
  /** The newest checkpoint held. */
  latest(): Checkpoint | null;
}

/** Builds a witness over a folder. */
export function createWitness(options: WitnessOptions): Witness {
  mkdirSync(options.dir, { recursive: true });
  const file = join(options.dir, 'witness.jsonl');
  const forks = join(options.dir, 'forks.jsonl');
  let held: Checkpoint | null = null;
  if (existsSync(file)) {
    const kept = readTrustedCheckpoints(readFileSync(file, 'utf8'));
    held = kept[kept.length - 1] ?? null;
  }
  const app = Fastify({ bodyLimit: 64 * 1024 });
  // One submission at a time, so two logs' servers racing cannot both extend the same head.
  let queue: Promise<unknown> = Promise.resolve();

  app.post('/v1/witness', async (req, reply) => {
    const body = req.body;
    let submission: WitnessSubmission;
    try {
      if (!isObject(body) || !isObject(body.consistency))
        throw new Error('expected { checkpoint, consistency }');
      const { from, proof } = body.consistency;
      if (!Number.isSafeInteger(from) || !Array.isArray(proof) || !proof.every((h) => typeof h === 'string'))
        throw new Error('consistency is { from: <size>, proof: [<base64>…] }');
      submission = {
        checkpoint: parseCheckpoint(body.checkpoint),
        consistency: { from: from as number, proof: proof as string[] },
      };
    } catch (error) {
      return reply.code(400).send({ error: (error as Error).message });
    }
    const decided = queue.then(() => {
      const decision = judgeSubmission(held, submission, options.publicKey, options.origin ?? null);
      if (decision.keep) {
        appendFileSync(file, `${JSON.stringify(submission.checkpoint)}\n`, { flush: true });
        held = submission.checkpoint;
      } else if (decision.fork)
        appendFileSync(
          forks,
          `${JSON.stringify({ at: new Date().toISOString(), held, submission, error: decision.error })}\n`,
          { flush: true },
        );
      return decision;
    });
    queue = decided.catch(() => {});
    const decision = await decided;
    if (decision.keep) return { size: submission.checkpoint.size };
    return reply.code(decision.status).send({ size: held?.size ?? 0, error: decision.error });
  });

  app.get('/v1/witness/latest', async (_req, reply) => {
    if (!held) return reply.code(404).send({ error: 'no checkpoint witnessed yet' });
    return { checkpoint: held };
  });

  return { app, latest: () => held };
}

/** Sends the log's newest checkpoint to each witness that does not hold it yet. */
export interface WitnessPublisher {
  /** One round: resolves when every witness answered or failed (failures are retried next round). */
  sync(): Promise<void>;
}

/** The log's side: keeps each witness up to date with the store's newest seal checkpoint. */
export function createWitnessPublisher(
  store: LedgerStore,
  urls: readonly string[],
  onFailure: (url: string, error: string) => void,
): WitnessPublisher {
  const heldBy = new Map<string, number>();
  const send = async (url: string, cp: Checkpoint, from: number): Promise<Response> => {
    const proof = from > 0 && from < cp.size ? await consistencyProofBetween(store, from, cp.size) : [];
    return fetch(`${url.replace(/\/+$/, '')}/v1/witness`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        checkpoint: cp,
        consistency: { from, proof: proof.map((h) => h.toString('base64')) },
      }),
      signal: AbortSignal.timeout(10_000),
    });
  };
  const publish = async (url: string, cp: Checkpoint) => {
    let res = await send(url, cp, heldBy.get(url) ?? 0);
    let answer = (await res.json().catch(() => ({}))) as { size?: unknown; error?: unknown };
    if (res.status === 409 && typeof answer.size === 'number') {
      res = await send(url, cp, answer.size);
      answer = (await res.json().catch(() => ({}))) as { size?: unknown; error?: unknown };
    }
    if (res.ok && typeof answer.size === 'number') heldBy.set(url, answer.size);
    else throw new Error(`${res.status} ${typeof answer.error === 'string' ? answer.error : ''}`.trim());
  };
  return {
    async sync() {
      const cp = await store.latestCheckpoint('seal');
      if (!cp) return;
      await Promise.all(
        urls
          .filter((url) => (heldBy.get(url) ?? -1) < cp.size)
          .map((url) => publish(url, cp).catch((error: unknown) => onFailure(url, (error as Error).message))),
      );
    },
  };
}
