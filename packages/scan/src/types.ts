/** The four visits a scan makes to every page, in this order. */
export type StateId = 'new-visitor' | 'reject' | 'gpc' | 'accept';

export const STATE_IDS: readonly StateId[] = ['new-visitor', 'reject', 'gpc', 'accept'];

export const STATE_LABELS: Record<StateId, string> = {
  'new-visitor': '1 new visitor, no interaction',
  reject: '2 after "Reject all"',
  gpc: '3 Global Privacy Control on',
  accept: '4 after "Accept all"',
};

/** States in which any request to a replay, chat, analytics or advertising host is a finding. */
export const STRICT_STATES: ReadonlySet<StateId> = new Set(['new-visitor', 'reject', 'gpc']);

/** Purposes whose hosts must stay silent until an affirmative grant. */
export const TRACKING_PURPOSES: ReadonlySet<string> = new Set(['replay', 'chat', 'analytics', 'advertising']);

/**
 * Where in a state a request happened: before the click (`load`), after it (`click`), or on the
 * second page view with the decision stored (`revisit`).
 */
export type Phase = 'load' | 'click' | 'revisit';

/** What a host is, as far as the vendor manifests, the page's config and third-party-web know. */
export interface HostClass {
  host: string;
  /** allparty adapter id, when a manifest (or the page's `vendors.X.hosts`) declares the host. */
  vendor: string | null;
  /** Display name: the adapter's, else third-party-web's entity name. */
  name: string | null;
  /** third-party-web category (`analytics`, `ad`, `cdn`, …) or the adapter's category. */
  category: string | null;
  purposes: string[];
  /** A replay, chat, analytics or advertising host (or a host the page itself declares for a vendor). */
  tracker: boolean;
  /** Where the classification came from. */
  source: 'config' | 'manifest' | 'third-party-web' | null;
  /** Whether allparty has an adapter for the vendor. */
  adapter: boolean;
  /** Whether the page's `#allparty-config` lists the vendor (or allows the host). */
  configured: boolean;
}

/** One step of an initiator chain, nearest first. */
export interface InitiatorStep {
  /** `script` (a stack frame), `parser` (an element in the HTML), `preload`, `frame`, `other`… */
  type: string;
  url: string | null;
  line: number | null;
  column: number | null;
  function: string | null;
}

export interface ScanRequest {
  url: string;
  host: string;
  method: string;
  /** Playwright's resource type: script, image, fetch, xhr, ping, websocket, document, … */
  type: string;
  phase: Phase;
  /** ms since the state's first navigation started. */
  t: number;
  /** ms since the click (null before it, or in states without one). */
  sinceClick: number | null;
  thirdParty: boolean;
  /** Answered by a local stand-in instead of the network. */
  standIn: boolean;
  frameUrl: string | null;
  initiator: InitiatorStep[];
  classification: HostClass;
}

export interface ScanCookie {
  name: string;
  domain: string;
  path: string;
  /** Seconds since the epoch, -1 for a session cookie. */
  expires: number;
  phase: Phase;
  /** The vendor whose manifest declares the cookie, if any. */
  vendor: string | null;
}

export interface ScanStorageKey {
  storage: 'local' | 'session';
  origin: string;
  key: string;
  phase: Phase;
  vendor: string | null;
}

/** A request the page's allparty guard held (from `allparty.ledger()`), so it never left the page. */
export interface HeldRequest {
  host: string;
  vendor: string | null;
  via: string;
  t: number;
  kind: string;
  phase: Phase;
  classification: HostClass;
}

export interface Finding {
  /** Index into the state's `requests`. */
  request: number;
  url: string;
  host: string;
  vendor: string | null;
  name: string | null;
  purposes: string[];
  phase: Phase;
  t: number;
  sinceClick: number | null;
  initiator: InitiatorStep[];
  /** Screenshot taken when the request was seen, relative to the report directory. */
  screenshot: string | null;
}

export interface ControlResult {
  selector: string;
  found: boolean;
  clicked: boolean;
  /** ms since navigation when clicked. */
  t: number | null;
}

export interface StateResult {
  id: StateId;
  label: string;
  pass: boolean;
  /** The page could not be scanned in this state (navigation failed); a message. */
  error: string | null;
  control: ControlResult | null;
  durationMs: number;
  requests: ScanRequest[];
  held: HeldRequest[];
  cookies: ScanCookie[];
  storage: ScanStorageKey[];
  findings: Finding[];
  /** Screenshots of the page (the banner on load, after the click, on revisit), relative paths. */
  screenshots: Array<{ phase: Phase; path: string }>;
  /** The HAR of this state, relative to the report directory. */
  har: string | null;
  notes: string[];
}

export interface PageResult {
  url: string;
  /** Whether the page carries an allparty config. */
  allparty: boolean;
  /** Vendors the page's config lists. */
  configuredVendors: string[];
  states: StateResult[];
  pass: boolean;
}

export interface HostSummary extends HostClass {
  /** States (and pages) it was requested in. */
  states: StateId[];
  pages: string[];
  requests: number;
  held: number;
}

export interface AllowSuggestion {
  host: string;
  name: string | null;
  category: string | null;
  /** `known`: third-party-web says it is not a tracker; `unknown`: in no dataset, review it. */
  reason: 'known' | 'unknown';
}

export interface AdapterSuggestion {
  /** The allparty adapter id, or null when there is none. */
  vendor: string | null;
  name: string;
  purposes: string[];
  hosts: string[];
  /** `configure`: allparty has an adapter, the page does not list it; `missing`: no adapter yet. */
  action: 'configure' | 'missing';
  pages: string[];
}

export interface ScanReport {
  tool: 'allparty-scan';
  version: string;
  startedAt: string;
  finishedAt: string;
  browser: { executable: string; version: string };
  options: { standIns: boolean; settleMs: number; revisit: boolean; states: StateId[] };
  pass: boolean;
  totals: { pages: number; states: number; requests: number; findings: number; errors: number };
  pages: PageResult[];
  hosts: HostSummary[];
  suggestions: { allow: AllowSuggestion[]; adapters: AdapterSuggestion[] };
}
