import type { PurposeId } from './purposes';
import type { DecisionMethod, RecordEvent } from './state';

/** The record format version; the server refuses any other. */
export const RECORD_SCHEMA = 'allparty.consent-record/1';

/**
 * A consent record (R18): one decision, as the browser reports it. The server adds
 * `serverTime` and its jurisdiction finding; the ledger seals it into the Merkle tree.
 * Never carries an IP address, typed text, chat contents, replay data or a query string.
 */
export interface ConsentRecord {
  schema: typeof RECORD_SCHEMA;
  /** UUIDv7; retries keep it, so ingest is idempotent. */
  id: string;
  /** Pseudonymous subject id (first-party, random). */
  subject: string;
  /** The subject's previous record id, or null for the first. */
  previous: string | null;
  /** ISO 8601 time on the visitor's clock. */
  clientTime: string;
  event: RecordEvent;
  method: DecisionMethod;
  /** Purposes decided by this event. */
  purposes: Record<PurposeId, boolean>;
  /** Vendors decided by this event. */
  vendors: Record<string, boolean>;
  /** The notice shown: its id, version label, language and SHA-256 of the exact rendered text. */
  notice: { id: string; version: string; language: string; hash: string };
  policy: { url: string; version: string } | null;
  /** Data controller (ISO/IEC TS 27560 / Kantara CR "piiControllers"). */
  controller: { name: string; contact?: string; email?: string; address?: string; phone?: string } | null;
  /** Where the visitor was found to be and how (`config` hint, `edge-header` on the server, or `unknown`). */
  jurisdiction: {
    region: string | null;
    source: 'config' | 'edge-header' | 'unknown';
    /** The edge header the log server read it from (`cf-ipcountry`), when `source` is `edge-header`. */
    header?: string;
  };
  /** Whether Global Privacy Control was on. */
  gpc: boolean;
  sdk: { version: string; adapters: Record<string, string> };
  /** Page origin and path; never the query string or fragment. */
  page: { origin: string; path: string };
  /** ISO 8601 time this decision lapses and is asked again (R30; Kantara CR "termination"), when the SDK sets it. */
  expires?: string;
  /** Load ledger entries of the page view, when any ride along (R23). */
  loads?: LoadEvent[];
  /** Set by the log server (never by the browser): ISO 8601 time it received the record. */
  serverTime?: string;
  /**
   * Set by the log server when the record id's time and its receive time differ by more than five
   * minutes: id time minus server time, in ms (positive: the visitor's clock was ahead).
   */
  clockSkew?: number;
  /** Set by the log server when configured: hex HMAC-SHA-256 of the sender's IP under a server key (R5). */
  ipHmac?: string;
}

/** The kinds of load-ledger entries. */
export type LoadEventKind = 'release' | 'request' | 'held' | 'violation' | 'stop' | 'reload' | 'settings';

/** One load-ledger entry (R23, R25): what a vendor loaded or tried to load, and when. */
export interface LoadEvent {
  kind: LoadEventKind;
  /** Adapter id, or null for an unregistered host. */
  vendor: string | null;
  host: string;
  /** How the request was made: script, iframe, img, link, fetch, xhr, beacon, websocket, eventsource, worker, resource. */
  via: string;
  /** ms since navigation start (performance.now()). */
  t: number;
  /** The record that allowed it (for `release`, `request` and `settings`), else null. */
  record: string | null;
  /**
   * `settings` entries (R16): the vendor's live privacy settings as its adapter read them once the
   * vendor had started (`maskInputs`, `maskText`, `blockMedia`): true on, false off, null unreadable.
   */
  settings?: Record<string, boolean | null>;
  /**
   * `settings` entries: the settings weaker than the site's declared minimum. Any at all means the
   * adapter refused the vendor: stopped, purged, and its hosts held again for the page view.
   */
  weaker?: string[];
  /**
   * Entries of an earlier page view that made no record, sent with a later one: that page view's
   * path (`t` counts from its start). Absent for the record's own page view.
   */
  page?: string;
  /** With `page`: when that page view started (ISO 8601), the origin of its `t`. */
  start?: string;
}
