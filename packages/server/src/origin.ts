/**
 * Where a browser request comes from. A page of a configured site origin, or of the log's own
 * origin, may write records and ask for receipts; any other page may not — not even with a
 * "simple" text/plain request, which a cross-site `<form>` can send without a preflight.
 * Browsers name the page in `Origin` on every POST and say how it relates to the log in
 * `Sec-Fetch-Site`; a request with neither comes from no page at all (curl, a server-side relay)
 * and cannot carry a visitor's cookie, so it is let through to the route's own checks.
 */
import type { FastifyRequest } from 'fastify';

/** Whether `req` comes from a page allowed to write to this log (or from no page). */
export function originAllowed(req: FastifyRequest, allowed: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  if (site === 'same-origin') return true;
  if (origin === undefined) return site === undefined || site === 'none';
  if (allowed.has(origin)) return true;
  try {
    return new URL(origin).host === req.host;
  } catch {
    // `Origin: null` (a sandboxed frame, a data: page) or garbage: never an allowed page.
    return false;
  }
}
