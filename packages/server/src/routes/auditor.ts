/**
 * Auditor reads, behind a bearer token: records by query or id (with an inclusion proof),
 * checkpoints, consistency proofs between tree sizes, and notice texts.
 */
import { consistencyProofBetween, inclusionProofAt, leafHash } from '@allparty/ledger';
import type { FastifyInstance } from 'fastify';
import { HASH, isObject, type ServerContext } from '../context';

/** A time bound from a query: ms or ISO 8601, within the range of dates (8.64e15 ms either way). */
const parseTime = (v: unknown): number | undefined | null => {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return null;
  const t = /^\d{1,16}$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(t) && Math.abs(t) <= 8.64e15 ? t : null;
};
const decode = (body: Buffer): unknown => JSON.parse(body.toString('utf8'));

/** Registers the auditor routes. */
export function registerAuditorRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store, keys, prefix, auditor } = ctx;

  app.get(`${prefix}/v1/records`, { preHandler: auditor }, async (req, reply) => {
    const q = isObject(req.query) ? req.query : {};
    const from = parseTime(q.from);
    const to = parseTime(q.to);
    if (from === null || to === null)
      return reply.code(400).send({ error: '"from" and "to" are ISO 8601 times or ms' });
    const limitN = q.limit === undefined ? 1000 : Number(q.limit);
    if (!Number.isInteger(limitN) || limitN < 1 || limitN > 10_000)
      return reply.code(400).send({ error: '"limit" is 1 to 10000' });
    if (q.subject !== undefined && typeof q.subject !== 'string')
      return reply.code(400).send({ error: 'one "subject"' });
    const rows = await store.records({
      ...(typeof q.subject === 'string' ? { subject: q.subject } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      limit: limitN,
    });
    return { records: rows.map((r) => ({ seq: r.seq, sealed: r.seq !== null, record: decode(r.body) })) };
  });

  app.get<{ Params: { id: string } }>(
    `${prefix}/v1/records/:id`,
    { preHandler: auditor },
    async (req, reply) => {
      const row = await store.recordById(req.params.id);
      if (!row) return reply.code(404).send({ error: 'no such record' });
      const checkpoint = await store.latestCheckpoint('seal');
      const leaf = leafHash(row.body).toString('base64');
      const base = { record: decode(row.body), seq: row.seq, leafHash: leaf, checkpoint };
      if (row.seq === null || !checkpoint || row.seq >= checkpoint.size)
        return { ...base, proof: null, status: 'pending' };
      const hashes = await inclusionProofAt(store, row.seq, checkpoint.size);
      return {
        ...base,
        proof: {
          leafIndex: row.seq,
          treeSize: checkpoint.size,
          hashes: hashes.map((h) => h.toString('base64')),
        },
        status: 'sealed',
      };
    },
  );

  app.get(`${prefix}/v1/checkpoints/latest`, { preHandler: auditor }, async (_req, reply) => {
    const checkpoint = await store.latestCheckpoint('seal');
    if (!checkpoint) return reply.code(404).send({ error: 'no checkpoint yet' });
    return { checkpoint, publicKey: keys.publicKeyPem };
  });

  // Paged: `?offset=N&limit=M` (at most 1000 a page); `next` is the offset of the next page, if any.
  app.get(`${prefix}/v1/checkpoints`, { preHandler: auditor }, async (req, reply) => {
    const q = isObject(req.query) ? req.query : {};
    const offset = q.offset === undefined ? 0 : Number(q.offset);
    const limit = q.limit === undefined ? 1000 : Number(q.limit);
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || limit > 1000)
      return reply.code(400).send({ error: '"offset" is 0 or more, "limit" 1 to 1000' });
    const checkpoints = await store.checkpoints({ offset, limit: limit + 1 });
    return {
      checkpoints: checkpoints.slice(0, limit),
      next: checkpoints.length > limit ? offset + limit : null,
      publicKey: keys.publicKeyPem,
    };
  });

  app.get(`${prefix}/v1/checkpoints/consistency`, { preHandler: auditor }, async (req, reply) => {
    const q = isObject(req.query) ? req.query : {};
    const first = Number(q.from);
    const second = Number(q.to);
    const latest = await store.latestCheckpoint('seal');
    const pruned = (await store.latestCheckpoint('prune'))?.size ?? 0;
    if (!Number.isInteger(first) || !Number.isInteger(second) || first > second || first < 0)
      return reply.code(400).send({ error: '"from" and "to" are tree sizes, from ≤ to' });
    if (!latest || second > latest.size)
      return reply.code(400).send({ error: '"to" is beyond the latest checkpoint' });
    if (first > 0 && first < pruned)
      return reply.code(410).send({ error: `sizes below ${pruned} were pruned` });
    const proof = await consistencyProofBetween(store, first, second);
    return { from: first, to: second, proof: proof.map((h) => h.toString('base64')) };
  });

  app.get<{ Params: { hash: string } }>(
    `${prefix}/v1/notices/:hash`,
    { preHandler: auditor },
    async (req, reply) => {
      const text = HASH.test(req.params.hash) ? await store.getNotice(req.params.hash) : null;
      if (text === null) return reply.code(404).send({ error: 'no such notice' });
      return { hash: req.params.hash, text };
    },
  );
}
