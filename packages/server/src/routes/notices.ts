/** `POST /v1/notices`: the text of a notice the log asked for, stored once per SHA-256. */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HASH, isObject, type ServerContext } from '../context';
import { originAllowed } from '../origin';
import type { KnownNotices } from './records';

/** Registers the notice upload route. */
export function registerNoticesRoute(app: FastifyInstance, ctx: ServerContext, known: KnownNotices): void {
  app.post(`${ctx.prefix}/v1/notices`, { config: ctx.limit }, async (req, reply) => {
    if (!originAllowed(req, ctx.corsOrigins))
      return reply.code(403).send({ error: 'notices are taken from the configured site origins only' });
    const body = req.body;
    if (!isObject(body) || typeof body.hash !== 'string' || typeof body.text !== 'string')
      return reply
        .code(400)
        .send({ error: 'the body must be { "hash": "<sha256 hex>", "text": "<notice text>" }' });
    if (!HASH.test(body.hash))
      return reply.code(400).send({ error: '"hash" must be 64 lowercase hex digits' });
    if (body.text.length > 100_000)
      return reply.code(400).send({ error: '"text" is longer than 100000 characters' });
    if (createHash('sha256').update(body.text, 'utf8').digest('hex') !== body.hash)
      return reply.code(400).send({ error: 'SHA-256 of "text" does not equal "hash"' });
    const result = await ctx.store.putNotice(body.hash, body.text);
    ctx.metrics.notices.inc({ result });
    if (result === 'unreferenced')
      return reply
        .code(409)
        .send({ error: 'no record in the log refers to this notice; send the record first' });
    known.remember(body.hash);
    return reply.send({ hash: body.hash, status: result });
  });
}
