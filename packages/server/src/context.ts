/**
 * What every route module receives from the server: the store, the keys, the options it was
 * built with, and the small helpers routes share. Routes register themselves on Fastify and
 * keep no state of their own beyond what they are handed here.
 */
import type { CheckpointKeys, CheckpointSigner, LedgerStore } from '@allparty/ledger';
import type { FastifyContextConfig, FastifyReply, FastifyRequest } from 'fastify';
import type { Health } from './health';
import type { Metrics } from './metrics';

/** The server's shared parts, as route modules see them. */
export interface ServerContext {
  store: LedgerStore;
  keys: CheckpointKeys;
  signer: CheckpointSigner;
  metrics: Metrics;
  /** Path prefix without a trailing slash (`/consent`), or "". */
  prefix: string;
  /** Site origins allowed to write and to fetch receipts cross-origin. */
  corsOrigins: ReadonlySet<string>;
  /** The rate limit config of the visitor routes (an empty object when off). */
  limit: FastifyContextConfig;
  /** The preHandler that lets only auditors (a valid bearer token) through. */
  auditor: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
  checkpointIntervalMs: number;
  health: Health;
  /** The key of inbox tags (derived from the signing key). */
  tagKey: Buffer;
  /** The bound within which an acknowledged record is sealed (promised in each acknowledgement). */
  sealStallMs: number;
}

/** A plain JSON object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A notice hash: SHA-256 as 64 lowercase hex digits. */
export const HASH = /^[0-9a-f]{64}$/;
