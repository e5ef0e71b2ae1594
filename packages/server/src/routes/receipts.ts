/**
 * `POST /v1/receipts/latest`: a visitor's receipt of their latest decision (R20; Kantara CR
 * v1.1 § 4.7), for the banner's "Download my consent receipt". No auditor token: the capability
 * is what only the visitor's browser holds — its pseudonymous subject id (128 random bits) and
 * the id of one of its records, which must be that subject's. Anyone without both learns
 * nothing, not even whether the record exists, and cannot list anybody's records.
 */
import {
  ReceiptUnavailableError,
  receiptFromStore,
  receiptHtml,
  receiptJson,
  SUBJECT_ID,
  UUID,
} from '@allparty/ledger';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context';
import { originAllowed } from '../origin';

/** Registers the route on the server's Fastify instance. */
export function registerReceiptRoute(app: FastifyInstance, ctx: ServerContext): void {
  const o = { ...ctx, publicKey: ctx.keys.publicKey };
  const retryAfter = Math.max(1, Math.ceil(o.checkpointIntervalMs / 1000));
  app.post(`${o.prefix}/v1/receipts/latest`, { config: o.limit }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    if (!originAllowed(req, o.corsOrigins))
      return reply.code(403).send({ error: 'receipts are served to the configured site origins only' });
    const body = req.body;
    const subject = typeof body === 'object' && body !== null && 'subject' in body ? body.subject : null;
    const recordId = typeof body === 'object' && body !== null && 'record' in body ? body.record : null;
    if (
      typeof subject !== 'string' ||
      !SUBJECT_ID.test(subject) ||
      typeof recordId !== 'string' ||
      !UUID.test(recordId)
    )
      return reply.code(400).send({
        error: 'the body must be { "subject": "<subject id>", "record": "<id of one of its records>" }',
      });
    // The named record must be this subject's; "no such record" and "someone else's" answer alike.
    const named = await o.store.recordById(recordId);
    if (!named || named.subject !== subject)
      return reply.code(404).send({ error: 'no record of this visitor in the log (yet)' });
    // Newest by log position: a record dated ahead by a fast clock (or a forged one) is not
    // "latest" over a withdrawal the log received after it.
    const latest = (await o.store.latestOfSubject(subject)) ?? named;
    try {
      const receipt = await receiptFromStore(o.store, latest.id, { publicKey: o.publicKey });
      reply.header('x-allparty-receipt-record', latest.id);
      reply.header('access-control-expose-headers', 'x-allparty-receipt-record, content-disposition');
      const json = /^application\/json\b/.test(req.headers.accept ?? '');
      return reply
        .type(json ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="consent-receipt-${latest.id}.${json ? 'json' : 'html'}"`,
        )
        .send(json ? receiptJson(receipt) : receiptHtml(receipt));
    } catch (error) {
      if (!(error instanceof ReceiptUnavailableError) || error.reason === 'unknown') throw error;
      // Sealing takes a moment and a checkpoint is signed every few seconds: the newest decision
      // gets its receipt then. An older one is not served in its place, so a receipt never shows
      // a choice the visitor has since changed.
      return reply
        .code(409)
        .header('retry-after', String(retryAfter))
        .send({
          error: `your latest decision is not in a signed checkpoint yet; try again in ${retryAfter} s`,
          reason: error.reason,
          record: latest.id,
          retryAfter,
        });
    }
  });
}
