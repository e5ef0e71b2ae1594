/** Reading stored record bytes back, for tools that show or re-check them. */
import type { ConsentRecord } from '@allparty/core';

/** Parses stored record bytes; null when they are not a JSON object with the fields the tools read. */
export function parseRecord(body: Uint8Array): ConsentRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const r = value as Partial<ConsentRecord>;
  if (typeof r.id !== 'string' || typeof r.subject !== 'string' || typeof r.event !== 'string') return null;
  if (!r.method || typeof r.method !== 'object') return null;
  if (!r.purposes || typeof r.purposes !== 'object' || !r.vendors || typeof r.vendors !== 'object')
    return null;
  if (!r.notice || typeof r.notice !== 'object' || !r.jurisdiction || typeof r.jurisdiction !== 'object')
    return null;
  return r as ConsentRecord;
}
