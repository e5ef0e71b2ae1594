/**
 * The consent cookie the log echoes with Set-Cookie (a server-set cookie outlives the
 * seven-day cap some browsers put on cookies written by script). It is echoed only when it is
 * exactly the state the batch's own record leaves behind: the record it names is in the batch,
 * under the same subject, and the cookie grants nothing that record did not grant. Anything
 * else — a refusal sent with an all-granted cookie, another visitor's cookie — is not echoed:
 * the checksum inside the value is public, so the value alone proves nothing.
 */
import { type ConsentRecord, decodeState } from '@allparty/core';

/** How the cookie is set. */
export interface CookieSettings {
  name: string;
  domain: string | null;
  maxAgeDays: number;
}

/** Whether `value` is the state that one of `records` (all stored by this request) leaves behind. */
export function cookieMatches(value: string, records: readonly ConsentRecord[]): boolean {
  const state = decodeState(value);
  if (!state) return false;
  const record = records.find((r) => r.id === state.lastRecord);
  if (!record || record.subject !== state.subject) return false;
  for (const [purpose, decision] of Object.entries(state.purposes))
    if (decision.granted && record.purposes[purpose] !== true) return false;
  for (const [vendor, granted] of Object.entries(state.vendors))
    if (granted && record.vendors[vendor] !== true) return false;
  for (const [purpose, granted] of Object.entries(record.purposes))
    if (state.purposes[purpose] !== undefined && state.purposes[purpose].granted !== granted) return false;
  return true;
}

/** The Set-Cookie header value. */
export function setCookieHeader(value: string, c: CookieSettings, secure: boolean): string {
  const parts = [
    `${c.name}=${value}`,
    'Path=/',
    `Max-Age=${Math.round(c.maxAgeDays * 86_400)}`,
    'SameSite=Lax',
  ];
  if (c.domain) parts.push(`Domain=${c.domain}`);
  if (secure) parts.push('Secure');
  return parts.join('; ');
}
