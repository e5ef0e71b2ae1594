/**
 * What the server alone may say about a record, and the times it will not take on trust.
 * The browser's clock is the visitor's: the decision time inside the record id is kept as the
 * browser said it, but the server stamps its own receive time (`serverTime`) into what it seals,
 * and when the two differ by more than {@link CLOCK_SKEW_BOUND_MS} it seals the difference too
 * (`clockSkew`), so a reader sees a fast or slow clock instead of trusting it. Where a record sits
 * in the log is what orders a visitor's decisions, never a time the browser sent.
 */
import { type ConsentRecord, MAX_EXPIRY_DAYS } from '@allparty/core';
import { uuidv7Time } from '@allparty/ledger';

/** Beyond this difference between the record id's time and the server's, the skew is sealed with the record. */
export const CLOCK_SKEW_BOUND_MS = 5 * 60_000;
/** Record ids dated before this are refused outright. */
const EARLIEST = Date.UTC(2020, 0, 1);
/** Nor later than this ahead of the server's clock (beyond any device clock error worth keeping). */
const LATEST_AHEAD_MS = 86_400_000;
const DAY = 86_400_000;

/** Why the record's own times cannot be right, or null. Checked after the schema. */
export function timeProblem(record: ConsentRecord, now: number): string | null {
  const at = uuidv7Time(record.id);
  if (at < EARLIEST || at > now + LATEST_AHEAD_MS) return 'the time inside the record id is out of range';
  // The browser writes both from one clock at one moment.
  if (Math.abs(Date.parse(record.clientTime) - at) > 60_000)
    return '"clientTime" does not say the time inside the record id';
  if (record.expires !== undefined) {
    const expires = Date.parse(record.expires);
    if (!(expires > at) || expires > at + (MAX_EXPIRY_DAYS + 1) * DAY)
      return `"expires" is not within ${MAX_EXPIRY_DAYS} days after the decision`;
  }
  return null;
}

/** The server's own fields, written into the record it will seal. */
export function stampServerFields(
  record: ConsentRecord,
  now: number,
  found: { region: string; header: string } | null,
  ipHmac: string | null,
): void {
  record.serverTime = new Date(now).toISOString();
  const skew = uuidv7Time(record.id) - now;
  if (Math.abs(skew) > CLOCK_SKEW_BOUND_MS) record.clockSkew = skew;
  if (found) record.jurisdiction = { region: found.region, source: 'edge-header', header: found.header };
  if (ipHmac) record.ipHmac = ipHmac;
}
