/** Small helpers the commands share: record parsing, times, key fingerprints. */
import { createHash } from 'node:crypto';
import type { ConsentRecord, LoadEvent } from '@allparty/core';

// Shared with the ledger, which builds receipts with them.
export { keyFingerprint, parseRecord, publicKeyPem } from '@allparty/ledger';

/** The load ledger entries a record carries (none when absent or malformed). */
export function loadsOf(record: ConsentRecord): LoadEvent[] {
  return Array.isArray(record.loads) ? record.loads : [];
}

/** A decision method as one short label: `control:accept-all`, `api (user activation)`, `gpc`, `expiry`. */
export function methodLabel(method: ConsentRecord['method']): string {
  switch (method.type) {
    case 'control':
      return `control:${method.control}`;
    case 'api':
      return method.userActivation ? 'api (user activation)' : 'api (no user activation)';
    default:
      return method.type;
  }
}

/** Jurisdiction as one label: the region, or `unknown`. */
export function regionLabel(record: ConsentRecord): string {
  return record.jurisdiction.region ?? 'unknown';
}

/** The decision time of a UUIDv7 record id, ms since the epoch. */
export function idTime(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** ISO 8601 in UTC with milliseconds. */
export function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : 'invalid time';
}

/** The UTC day (`YYYY-MM-DD`) of a time in ms. */
export function utcDay(ms: number): string {
  return iso(ms).slice(0, 10);
}

/** Parses a time option: ISO 8601 (a bare date is midnight UTC) or ms since the epoch. */
export function parseTime(value: string, name: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n))
    throw new UsageError(`${name}: "${value}" is not an ISO 8601 time or a number of ms`);
  return n;
}

/** A mistake in how the tool was called (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** SHA-256 hex of a UTF-8 string (notice texts are stored under this hash). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Counts into a map. */
export function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** A map's entries sorted by count (descending), then key. */
export function byCount(map: ReadonlyMap<string, number>): Array<[string, number]> {
  return [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
