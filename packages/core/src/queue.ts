import type { Consent } from './consent';
import { readCookie } from './cookie-storage';
import type { ConsentRecord, LoadEvent } from './record';
import { STORED_VALUE } from './storage';

/** Where the queue persists records until the log acknowledges them (localStorage in a browser). */
export interface QueueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Options for {@link createRecordQueue}. */
export interface RecordQueueOptions {
  /** The log server: a URL or a path (`/consent` → POST `/consent/v1/records`). */
  endpoint: string;
  /** Durable storage; null keeps the queue in memory only. @default localStorage */
  storage?: QueueStorage | null;
  /** @default globalThis.fetch */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Used on pagehide, when a fetch may not finish. null never beacons. @default navigator.sendBeacon */
  sendBeacon?: ((url: string, data: string) => boolean) | null;
  /** @default Date.now */
  now?: () => number;
  /** Storage key. @default "allparty.queue" */
  key?: string;
  /** The current consent cookie value, sent so a same-site log can set it with Set-Cookie. @default reads `config.cookie.name` */
  cookie?: () => string | null;
  /** Most records per request. @default 20 */
  maxBatch?: number;
  /** Retry delays: doubling from `initialMs` up to `maxMs`, with jitter. @default { initialMs: 1000, maxMs: 300000 } */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Where `pagehide` and `online` are heard. null listens to nothing. @default window */
  events?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null;
  /** Timers for retries. @default setTimeout / clearTimeout */
  timers?: { set(fn: () => void, ms: number): unknown; clear(handle: unknown): void };
  /** @default Math.random */
  random?: () => number;
  /** Where warnings go. @default console */
  console?: Pick<Console, 'warn'>;
}

/** The durable record queue. */
export interface RecordQueue {
  /** Sends what is queued now (one flush at a time); resolves when this attempt is over. */
  flush(): Promise<void>;
  /** Records not yet acknowledged by the log, oldest first. */
  pending(): ConsentRecord[];
  /** Stops listening to the consent and the page; queued records stay stored for the next page view. */
  stop(): void;
}

/** What the queue keeps in storage (`allparty.queue`). */
export interface StoredQueue {
  v: 1;
  records: ConsentRecord[];
  /** Notice texts of queued records, by hash, for when the log asks for them. */
  notices: Record<string, string>;
  /** Hashes the log asked for that have not been delivered yet. */
  want: string[];
  /**
   * Load-ledger entries of earlier page views that made no record (at most 1000, the oldest
   * kept): they ride along with the next record, in whichever page view it is made.
   */
  loads: LoadEvent[];
}

// A keepalive request (and a beacon) may carry at most 64 kB in total; stay under it.
const MAX_BYTES = 60_000;
const MAX_LOADS = 1000;

function empty(): StoredQueue {
  return { v: 1, records: [], notices: {}, want: [], loads: [] };
}

function parse(text: string | null): StoredQueue {
  if (!text) return empty();
  try {
    const value = JSON.parse(text) as Partial<StoredQueue>;
    if (value?.v !== 1 || !Array.isArray(value.records)) return empty();
    return {
      v: 1,
      records: value.records,
      notices: value.notices && typeof value.notices === 'object' ? value.notices : {},
      want: Array.isArray(value.want) ? value.want : [],
      loads: Array.isArray(value.loads) ? value.loads : [],
    };
  } catch {
    return empty();
  }
}

function defaultStorage(): QueueStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage blocked (privacy settings): fall back to memory
  }
}

/** The stored queue, with a memory fallback when storage is blocked or full. */
export interface QueueStore {
  /** The queue as stored now (plus records that could only be kept in memory). */
  load(): StoredQueue;
  /** Read-modify-write, so tabs sharing the storage merge rather than overwrite. */
  update(fn: (q: StoredQueue) => void): void;
}

/** Options for {@link createQueueStore}. */
export interface QueueStoreOptions {
  /** Durable storage; null keeps the queue in memory only. @default localStorage */
  storage?: QueueStorage | null;
  /** Storage key. @default "allparty.queue" */
  key?: string;
  /** Where warnings go. @default console */
  console?: Pick<Console, 'warn'>;
}

/**
 * The part of the queue that keeps records (R18). The embed's main bundle holds it (with
 * {@link recordWriter}), so a record is stored the moment it is made; the part that sends them
 * ({@link createQueueSender}) may come later, in a lazy chunk.
 */
export function createQueueStore(options: QueueStoreOptions = {}): QueueStore {
  const storage = options.storage === undefined ? defaultStorage() : options.storage;
  const key = options.key ?? 'allparty.queue';
  const out = options.console ?? console;
  let memory = empty();
  const load = (): StoredQueue => {
    if (!storage) return memory;
    try {
      const stored = parse(storage.getItem(key));
      // Records that could not be written (quota) still wait in memory.
      for (const r of memory.records) if (!stored.records.some((s) => s.id === r.id)) stored.records.push(r);
      return stored;
    } catch {
      return memory;
    }
  };
  const save = (q: StoredQueue) => {
    memory = q;
    if (!storage) return;
    try {
      storage.setItem(key, JSON.stringify(q));
      memory = { ...q, records: [] };
    } catch (error) {
      out.warn('allparty: could not store the record queue; records wait in memory', error);
    }
  };
  return {
    load,
    update(fn) {
      const q = load();
      fn(q);
      const referenced = new Set([...q.records.map((r) => r.notice.hash), ...q.want]);
      for (const h of Object.keys(q.notices)) if (!referenced.has(h)) delete q.notices[h];
      save(q);
    },
  };
}

/** Writes records to a {@link QueueStore}; see {@link recordWriter}. */
export interface RecordWriter {
  (record: ConsentRecord): void;
  /**
   * Stores this page view's load-ledger entries not yet sent, for the next record of a later page
   * view (call it on `pagehide`): the ledger of a page view that made no record is not lost.
   */
  keep(): void;
}

/**
 * Stores each record as it is made, with the load-ledger entries not yet sent (earlier page
 * views' first, then this one's; they ride along with the next record, at most 1000 a record)
 * and the notice text it was made under.
 */
export function recordWriter(
  consent: Consent,
  store: QueueStore,
  view: { path: string; start: string } = pageView(),
): RecordWriter {
  let shipped = 0;
  const unsent = () => {
    const loads = consent.ledger().slice(shipped);
    shipped += loads.length;
    return loads;
  };
  const write = (record: ConsentRecord) => {
    const mine = unsent();
    store.update((q) => {
      const waiting = [...q.loads, ...mine];
      const loads = waiting.slice(0, MAX_LOADS);
      q.loads = waiting.slice(MAX_LOADS, 2 * MAX_LOADS);
      const queued: ConsentRecord = loads.length ? { ...record, loads } : record;
      if (!q.records.some((r) => r.id === queued.id)) q.records.push(queued);
      const text = consent.noticeText(record.notice.hash);
      if (text !== undefined) q.notices[record.notice.hash] = text;
    });
  };
  return Object.assign(write, {
    keep() {
      const mine = unsent().map((entry) => ({ ...entry, page: view.path, start: view.start }));
      if (!mine.length) return;
      store.update((q) => {
        q.loads = [...q.loads, ...mine].slice(0, MAX_LOADS);
      });
    },
  });
}

/** This page view's path and start, for ledger entries kept for a later page view. */
function pageView(): { path: string; start: string } {
  const path = typeof location === 'undefined' ? '/' : location.pathname;
  const origin = typeof performance === 'undefined' ? Date.now() : performance.timeOrigin;
  return { path, start: new Date(Math.round(origin)).toISOString() };
}

/** The sending half of the queue, over a {@link QueueStore}. */
export interface QueueSender extends RecordQueue {
  /** Sends what is waiting, if anything. */
  start(): void;
  /** A record was just stored: send it now, unless backing off from a failing log. */
  queued(): void;
}

/**
 * Sends what a {@link QueueStore} holds to the log: removes a record only on the server's
 * per-id answer; retries with backoff, when the browser comes back online and on the next page
 * view; beacons on pagehide.
 */
export function createQueueSender(
  consent: Consent,
  store: QueueStore,
  options: RecordQueueOptions,
): QueueSender {
  const { load, update } = store;
  const base = options.endpoint.replace(/\/+$/, '');
  const recordsUrl = `${base}/v1/records`;
  const noticesUrl = `${base}/v1/notices`;
  const out = options.console ?? console;
  const doFetch =
    options.fetch ??
    (typeof fetch === 'function' ? (url: string, init: RequestInit) => fetch(url, init) : null);
  const beacon =
    options.sendBeacon !== undefined
      ? options.sendBeacon
      : typeof navigator !== 'undefined' && typeof navigator.sendBeacon === 'function'
        ? (url: string, data: string) => navigator.sendBeacon(url, data)
        : null;
  const events =
    options.events !== undefined ? options.events : typeof window !== 'undefined' ? window : null;
  const timers = options.timers ?? {
    set: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clear: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const maxBatch = options.maxBatch ?? 20;
  const initialMs = options.backoff?.initialMs ?? 1000;
  const maxMs = options.backoff?.maxMs ?? 300_000;
  const readConsentCookie =
    options.cookie ??
    (() => {
      if (typeof document === 'undefined') return null;
      return readCookie(document.cookie, consent.config.cookie.name);
    });

  const cookieValue = (): string | null => {
    try {
      const v = readConsentCookie();
      return v && STORED_VALUE.test(v) ? v : null;
    } catch {
      return null;
    }
  };

  const batchBody = (
    records: readonly ConsentRecord[],
    limit: number,
  ): { body: string; ids: string[] } | null => {
    const cookie = cookieValue();
    const take: ConsentRecord[] = [];
    let body = '';
    for (const r of records.slice(0, limit)) {
      const next = JSON.stringify({ records: [...take, r], ...(cookie ? { cookie } : {}) });
      if (take.length > 0 && next.length > MAX_BYTES) break;
      take.push(r);
      body = next;
    }
    return take.length ? { body, ids: take.map((r) => r.id) } : null;
  };

  let attempt = 0;
  let timer: unknown = null;
  let nextAttemptAt = 0;
  let stopped = false;
  let splitting = false;
  const retryLater = () => {
    if (stopped || timer !== null) return;
    const delay = Math.min(maxMs, initialMs * 2 ** attempt) * (0.5 + random() / 2);
    attempt++;
    nextAttemptAt = now() + delay;
    timer = timers.set(() => {
      timer = null;
      void flush();
    }, delay);
  };
  const succeeded = () => {
    attempt = 0;
    if (timer !== null) timers.clear(timer);
    timer = null;
  };

  const post = (url: string, body: string) => {
    if (!doFetch) throw new Error('no fetch');
    return doFetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
      keepalive: true,
      credentials: 'include',
    });
  };

  const sendNotices = async (hashes: readonly string[]) => {
    for (const hash of hashes) {
      const text = load().notices[hash] ?? consent.noticeText(hash);
      if (text === undefined) {
        update((q) => {
          q.want = q.want.filter((h) => h !== hash);
        });
        continue;
      }
      try {
        const res = await post(noticesUrl, JSON.stringify({ hash, text }));
        if (res.ok || (res.status >= 400 && res.status < 500 && res.status !== 429 && res.status !== 408))
          update((q) => {
            q.want = q.want.filter((h) => h !== hash);
          });
      } catch {
        // offline: the hash stays wanted and goes with the next flush
      }
    }
  };

  /** One attempt per call; true when it made progress and more may be sent. */
  const sendOnce = async (): Promise<boolean> => {
    const q = load();
    if (q.want.length) await sendNotices(q.want);
    const batch = batchBody(q.records, splitting ? 1 : maxBatch);
    if (!batch) {
      succeeded();
      return false;
    }
    let res: Response;
    try {
      res = await post(recordsUrl, batch.body);
    } catch {
      retryLater();
      return false;
    }
    let json: unknown = null;
    try {
      json = await res.json();
    } catch {
      json = null;
    }
    const results =
      json && typeof json === 'object' && Array.isArray((json as { results?: unknown }).results)
        ? ((json as { results: unknown[] }).results as Array<{
            id?: unknown;
            status?: unknown;
            reason?: unknown;
          }>)
        : null;
    if (results && results.length === batch.ids.length && res.status < 500) {
      const done = new Set<string>();
      results.forEach((r, i) => {
        const id = batch.ids[i]!;
        if (r.status === 'stored' || r.status === 'duplicate') done.add(id);
        else if (r.status === 'rejected') {
          // The log will never take it; keeping it would block the queue forever.
          out.warn(`allparty: the log refused record ${id}: ${String(r.reason)}`);
          done.add(id);
        }
      });
      const asked = (json as { notices?: unknown }).notices;
      const want = Array.isArray(asked) ? asked.filter((h): h is string => typeof h === 'string') : [];
      update((q) => {
        q.records = q.records.filter((r) => !done.has(r.id));
        for (const h of want) if (!q.want.includes(h)) q.want.push(h);
      });
      if (want.length) await sendNotices(want);
      if (done.size === 0) {
        retryLater();
        return false;
      }
      splitting = false;
      succeeded();
      return true;
    }
    if ([400, 413, 415, 422].includes(res.status)) {
      if (batch.ids.length > 1) {
        splitting = true; // one record in the batch is bad; find it by sending one at a time
        return true;
      }
      out.warn(`allparty: the log refused record ${batch.ids[0]} (HTTP ${res.status})`);
      update((q) => {
        q.records = q.records.filter((r) => r.id !== batch.ids[0]);
      });
      return true;
    }
    retryLater(); // 5xx, 429, 404 (a misconfigured endpoint keeps records), odd answers
    return false;
  };

  let inFlight: Promise<void> | null = null;
  const flush = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (!inFlight)
      inFlight = (async () => {
        try {
          while (!stopped && (await sendOnce()));
        } finally {
          inFlight = null;
        }
      })();
    return inFlight;
  };

  // On pagehide a fetch may be cut off: a beacon goes out instead. It gets no answer, so the
  // records stay queued and the next page view sends them again (a duplicate is acknowledged).
  const onPagehide = () => {
    const q = load();
    const batch = batchBody(q.records, maxBatch);
    if (batch && beacon) {
      try {
        beacon(recordsUrl, batch.body);
      } catch {
        // nothing more can be done while the page goes away
      }
    }
  };
  const onOnline = () => {
    succeeded();
    void flush();
  };
  events?.addEventListener('pagehide', onPagehide);
  events?.addEventListener('online', onOnline);

  return {
    flush,
    pending: () => load().records.slice(),
    start() {
      if (load().records.length || load().want.length) void flush();
    },
    queued() {
      // While backing off from a failing log, a new record waits for the scheduled retry.
      if (timer === null || now() >= nextAttemptAt) void flush();
    },
    stop() {
      stopped = true;
      events?.removeEventListener('pagehide', onPagehide);
      events?.removeEventListener('online', onOnline);
      if (timer !== null) timers.clear(timer);
      timer = null;
    },
  };
}

/**
 * Keeps every consent record until the log acknowledges it (R18): a record is written to
 * storage before it is sent, removed only on the server's per-id answer, and sent again on the
 * next page view, when the browser comes back online, or after a backoff. Ids are UUIDv7, so a
 * repeat is idempotent. The page view's load ledger rides along with the next record.
 */
export function createRecordQueue(consent: Consent, options: RecordQueueOptions): RecordQueue {
  const store = createQueueStore(options);
  const sender = createQueueSender(consent, store, options);
  const write = recordWriter(consent, store);
  const unsubscribe = consent.on('record', (record) => {
    write(record);
    sender.queued();
  });
  const events =
    options.events === undefined ? (typeof window === 'undefined' ? null : window) : options.events;
  const keep = () => write.keep();
  events?.addEventListener('pagehide', keep);
  sender.start();
  return {
    flush: sender.flush,
    pending: sender.pending,
    stop() {
      unsubscribe();
      events?.removeEventListener('pagehide', keep);
      sender.stop();
    },
  };
}
