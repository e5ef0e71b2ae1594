import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Whether an Authorization header carries one of `tokens` as a bearer token (constant time per token). */
export function tokenMatches(header: string | undefined, tokens: readonly string[]): boolean {
  // The scheme name is case-insensitive (RFC 9110 § 11.1).
  const m = /^bearer +(\S+) *$/i.exec(header ?? '');
  if (!m) return false;
  const given = createHash('sha256').update(m[1]!).digest();
  let ok = false;
  for (const t of tokens) if (timingSafeEqual(given, createHash('sha256').update(t).digest())) ok = true;
  return ok;
}

/** The preHandler of auditor routes: a valid bearer token, or 401. */
export function auditorGuard(tokens: readonly string[]) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (tokens.length === 0)
      return reply.code(401).send({ error: 'auditor reads are disabled (no auditor token configured)' });
    if (!tokenMatches(req.headers.authorization, tokens))
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'a valid bearer token is required' });
    return undefined;
  };
}
