/** `export`: records and the notice texts they name, for a time range, as JSONL or CSV. */
import type { ConsentRecord } from '@allparty/core';
import { type AuditStore, recordsInRange } from './source';
import { idTime, iso, loadsOf, methodLabel, parseRecord } from './util';

/** Where exported text goes; resolves when the chunk is accepted. */
export type Sink = (chunk: string) => Promise<void> | void;

/** Options for {@link exportRecords}. */
export interface ExportRecordsOptions {
  format: 'jsonl' | 'csv';
  /** Decision time lower bound, ms (inclusive). */
  from?: number;
  /** Decision time upper bound, ms (exclusive). */
  to?: number;
}

/** CSV columns, in order. */
export const CSV_COLUMNS = [
  'position',
  'id',
  'decided',
  'client_time',
  'server_time',
  'subject',
  'previous',
  'event',
  'method',
  'purposes_granted',
  'purposes_refused',
  'vendors_granted',
  'vendors_refused',
  'gpc',
  'jurisdiction',
  'jurisdiction_source',
  'notice_id',
  'notice_version',
  'notice_language',
  'notice_hash',
  'notice_text',
  'policy_url',
  'policy_version',
  'controller',
  'page',
  'expires',
  'loads',
  'violations',
] as const;

/** One CSV field, quoted when it must be (RFC 4180); a leading = + - @ is prefixed so spreadsheets do not run it. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function keysWhere(m: Record<string, boolean>, v: boolean): string {
  return Object.keys(m)
    .filter((k) => m[k] === v)
    .join(';');
}

/** The CSV row of one record. */
export function csvRow(seq: number | null, r: ConsentRecord, noticeText: string | null): string {
  const loads = loadsOf(r);
  const cells: Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null | undefined> = {
    position: seq,
    id: r.id,
    decided: iso(idTime(r.id)),
    client_time: r.clientTime,
    server_time: r.serverTime,
    subject: r.subject,
    previous: r.previous,
    event: r.event,
    method: methodLabel(r.method),
    purposes_granted: keysWhere(r.purposes, true),
    purposes_refused: keysWhere(r.purposes, false),
    vendors_granted: keysWhere(r.vendors, true),
    vendors_refused: keysWhere(r.vendors, false),
    gpc: r.gpc,
    jurisdiction: r.jurisdiction.region ?? 'unknown',
    jurisdiction_source: r.jurisdiction.source,
    notice_id: r.notice.id,
    notice_version: r.notice.version,
    notice_language: r.notice.language,
    notice_hash: r.notice.hash,
    notice_text: noticeText,
    policy_url: r.policy?.url,
    policy_version: r.policy?.version,
    controller: r.controller?.name,
    page: r.page ? `${r.page.origin}${r.page.path}` : null,
    expires: r.expires,
    loads: loads.length,
    violations: loads.filter((e) => e.kind === 'violation').length,
  };
  return `${CSV_COLUMNS.map((c) => csvField(cells[c])).join(',')}\r\n`;
}

/**
 * Writes the records decided in the range (oldest first; sealed and still pending) and the
 * notice texts they name. JSONL: one `{"type":"record","position":…,"record":…}` line per record
 * (the record as its exact stored bytes), then one `{"type":"notice","hash":…,"text":…}` per
 * text. CSV: a header and one row per record, the notice text in its own column.
 */
export async function exportRecords(
  store: AuditStore,
  sink: Sink,
  options: ExportRecordsOptions,
): Promise<{ records: number; notices: number }> {
  const notices = new Map<string, string | null>();
  const notice = async (hash: string) => {
    if (!notices.has(hash)) notices.set(hash, await store.getNotice(hash));
    return notices.get(hash) ?? null;
  };
  let records = 0;
  if (options.format === 'csv') await sink(`${CSV_COLUMNS.join(',')}\r\n`);
  let buffer = '';
  for await (const row of recordsInRange(store, {
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.to !== undefined ? { to: options.to } : {}),
  })) {
    const record = parseRecord(row.body);
    if (!record) continue;
    records++;
    if (options.format === 'csv') buffer += csvRow(row.seq, record, await notice(record.notice.hash));
    else {
      await notice(record.notice.hash);
      buffer += `{"type":"record","position":${row.seq === null ? 'null' : row.seq},"record":${row.body.toString('utf8')}}\n`;
    }
    if (buffer.length > 1 << 16) {
      await sink(buffer);
      buffer = '';
    }
  }
  if (options.format === 'jsonl')
    for (const [hash, text] of [...notices].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
      if (text !== null) buffer += `${JSON.stringify({ type: 'notice', hash, text })}\n`;
  if (buffer) await sink(buffer);
  return { records, notices: [...notices.values()].filter((t) => t !== null).length };
}
