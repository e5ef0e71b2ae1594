import { hotjar } from '@allparty/test-utils/vendors';
import { describe, expect, it, vi } from 'vitest';
import { parseConfig } from './config';
import { createConsent } from './consent';
import {
  createQueueSender,
  createQueueStore,
  createRecordQueue,
  type RecordQueueOptions,
  recordWriter,
} from './queue';
import type { ConsentRecord } from './record';
import { memoryStorage } from './storage';
import type { VendorDescriptor } from './vendor';

const vendors: VendorDescriptor[] = [hotjar];

function consentFor() {
  const parsed = parseConfig(
    { vendors: { hotjar: { siteId: '1' } }, log: { endpoint: '/consent' } },
    { vendors },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const consent = createConsent({
    config: parsed.config,
    vendors,
    storage: memoryStorage(),
    userActivation: () => true,
    gpc: () => false,
    page: () => ({ origin: 'https://shop.example', path: '/' }),
    console: { warn: vi.fn(), error: vi.fn(), info: vi.fn() },
  });
  consent.setNotice('We use Hotjar to record your clicks and typing.', 'en');
  return consent;
}

type Call = { url: string; body: Record<string, unknown> };

/** A fake log: answers from a script of handlers, records every request. */
function fakeLog(handler: (call: Call, n: number) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    const call = { url, body: JSON.parse(String(init.body)) as Record<string, unknown> };
    calls.push(call);
    return handler(call, calls.length);
  });
  return { calls, fetch };
}

const ack = (call: Call, status: 'stored' | 'duplicate' | 'rejected' = 'stored', notices: string[] = []) =>
  Response.json({
    results: (call.body.records as ConsentRecord[]).map((r) => ({ id: r.id, status, reason: 'bad' })),
    notices,
  });

function storage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
  };
}

function manualTimers() {
  const queue: Array<{ fn: () => void; ms: number }> = [];
  return {
    queue,
    set: (fn: () => void, ms: number) => {
      const t = { fn, ms };
      queue.push(t);
      return t;
    },
    clear: (h: unknown) => {
      const i = queue.indexOf(h as { fn: () => void; ms: number });
      if (i >= 0) queue.splice(i, 1);
    },
    runNext() {
      const t = queue.shift();
      t?.fn();
      return t;
    },
  };
}

const base = (over: Partial<RecordQueueOptions>): RecordQueueOptions => ({
  endpoint: '/consent',
  events: new EventTarget(),
  sendBeacon: null,
  random: () => 1,
  console: { warn: vi.fn() },
  ...over,
});

describe('createRecordQueue', () => {
  it('stores a record before sending it and removes it only when the log acknowledges its id', async () => {
    const store = storage();
    const consent = consentFor();
    let storedAtSend: ConsentRecord[] = [];
    const log = fakeLog((call) => {
      storedAtSend = JSON.parse(store.map.get('allparty.queue') ?? '{}').records;
      return ack(call);
    });
    const queue = createRecordQueue(consent, base({ storage: store, fetch: log.fetch }));
    consent.acceptAll();
    await queue.flush();
    expect(log.calls[0]!.url).toBe('/consent/v1/records');
    const sent = (log.calls[0]!.body.records as ConsentRecord[])[0]!;
    expect(storedAtSend.map((r) => r.id)).toEqual([sent.id]);
    expect(log.fetch.mock.calls[0]![1]).toMatchObject({ method: 'POST', keepalive: true });
    expect(queue.pending()).toEqual([]);
  });

  it('keeps a record the log did not acknowledge (per-id answers)', async () => {
    const consent = consentFor();
    let up = false;
    const log = fakeLog((call) => {
      const records = call.body.records as ConsentRecord[];
      if (!up) return new Response('', { status: 503 });
      // The log answers for the first record only; the other gets no acknowledgement.
      return Response.json({
        results: records.map((r) => ({ id: r.id, status: r.event === 'given' ? 'stored' : 'pending' })),
      });
    });
    const queue = createRecordQueue(
      consent,
      base({ storage: storage(), fetch: log.fetch, timers: manualTimers() }),
    );
    consent.acceptAll();
    consent.withdraw();
    await queue.flush();
    expect(queue.pending()).toHaveLength(2);
    const before = log.calls.length;
    up = true;
    await queue.flush();
    expect((log.calls[before]!.body.records as unknown[]).length).toBe(2);
    expect(queue.pending().map((r) => r.event)).toEqual(['withdrawn']);
  });

  it('re-sends after a 503, with backoff, and then forgets the record', async () => {
    const timers = manualTimers();
    const consent = consentFor();
    const log = fakeLog((call, n) => (n === 1 ? new Response('busy', { status: 503 }) : ack(call)));
    const queue = createRecordQueue(consent, base({ storage: storage(), fetch: log.fetch, timers }));
    consent.acceptAll();
    await queue.flush();
    expect(queue.pending()).toHaveLength(1);
    expect(timers.queue).toHaveLength(1);
    expect(timers.queue[0]!.ms).toBe(1000);
    timers.runNext();
    await queue.flush();
    expect(log.calls).toHaveLength(2);
    expect(log.calls[1]!.body.records).toEqual(log.calls[0]!.body.records);
    expect(queue.pending()).toEqual([]);
  });

  it('doubles the delay while the log keeps failing', async () => {
    const timers = manualTimers();
    const consent = consentFor();
    const log = fakeLog(() => new Response('down', { status: 503 }));
    const queue = createRecordQueue(consent, base({ storage: storage(), fetch: log.fetch, timers }));
    consent.acceptAll();
    await queue.flush();
    const delays = [];
    for (let i = 0; i < 4; i++) {
      delays.push(timers.queue[0]!.ms);
      timers.runNext();
      await queue.flush();
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000]);
    expect(queue.pending()).toHaveLength(1);
  });

  it('waits while offline and sends when the browser comes back online', async () => {
    const events = new EventTarget();
    const consent = consentFor();
    let online = false;
    const log = fakeLog((call) => ack(call));
    const fetch = vi.fn(async (url: string, init: RequestInit) => {
      if (!online) throw new TypeError('Failed to fetch');
      return log.fetch(url, init);
    });
    const queue = createRecordQueue(
      consent,
      base({ storage: storage(), fetch, events, timers: manualTimers() }),
    );
    consent.acceptAll();
    await queue.flush();
    expect(queue.pending()).toHaveLength(1);
    online = true;
    events.dispatchEvent(new Event('online'));
    await queue.flush();
    expect(log.calls).toHaveLength(1);
    expect(queue.pending()).toEqual([]);
  });

  it('sends what an earlier page view left, as soon as it is created', async () => {
    const store = storage();
    const consent = consentFor();
    const first = createRecordQueue(
      consent,
      base({ storage: store, fetch: async () => new Response('', { status: 503 }), timers: manualTimers() }),
    );
    consent.acceptAll();
    await first.flush();
    first.stop();
    const log = fakeLog((call) => ack(call, 'duplicate'));
    const next = createRecordQueue(consentFor(), base({ storage: store, fetch: log.fetch }));
    await next.flush();
    expect(log.calls).toHaveLength(1);
    expect(next.pending()).toEqual([]);
  });

  it('beacons on pagehide and keeps the records until an answer comes', async () => {
    const events = new EventTarget();
    const beacon = vi.fn(() => true);
    const consent = consentFor();
    const queue = createRecordQueue(
      consent,
      base({
        storage: storage(),
        fetch: async () => new Response('', { status: 503 }),
        events,
        sendBeacon: beacon,
        timers: manualTimers(),
      }),
    );
    consent.acceptAll();
    await queue.flush();
    events.dispatchEvent(new Event('pagehide'));
    expect(beacon).toHaveBeenCalledTimes(1);
    const [url, data] = beacon.mock.calls[0] as unknown as [string, string];
    expect(url).toBe('/consent/v1/records');
    expect(JSON.parse(data).records[0].id).toBe(queue.pending()[0]!.id);
    expect(queue.pending()).toHaveLength(1);
  });

  it('attaches the load ledger to the next record, each entry once', async () => {
    const consent = consentFor();
    const log = fakeLog((call) => ack(call));
    const queue = createRecordQueue(consent, base({ storage: storage(), fetch: log.fetch }));
    consent.addLoad({
      kind: 'held',
      vendor: 'hotjar',
      host: 'static.hotjar.com',
      via: 'script',
      t: 5,
      record: null,
    });
    consent.acceptAll();
    consent.addLoad({
      kind: 'release',
      vendor: 'hotjar',
      host: 'static.hotjar.com',
      via: 'script',
      t: 9,
      record: 'x',
    });
    consent.withdraw();
    consent.rejectAll();
    await queue.flush();
    const sent = log.calls.flatMap((c) => c.body.records as ConsentRecord[]);
    expect(sent.map((r) => r.loads?.map((l) => l.kind))).toEqual([['held'], ['release'], undefined]);
  });

  it('keeps the ledger of a page view that made no record, and sends it with the next record of a later page view (D5)', async () => {
    const stored = storage();
    const held = (t: number) => ({
      kind: 'held' as const,
      vendor: 'hotjar',
      host: 'static.hotjar.com',
      via: 'fetch',
      t,
      record: null,
    });
    // Page view 1: a held request, no decision; the page goes away.
    const first = consentFor();
    const store1 = createQueueStore({ storage: stored });
    const write1 = recordWriter(first, store1, { path: '/product', start: '2026-06-01T10:00:00.000Z' });
    first.addLoad(held(5));
    first.addLoad(held(7));
    write1.keep();
    write1.keep(); // a second pagehide adds nothing
    expect(store1.load().loads.map((l) => [l.t, l.page])).toEqual([
      [5, '/product'],
      [7, '/product'],
    ]);
    // Page view 2: its own entry, then a decision; the record carries both views' entries, once.
    const second = consentFor();
    const log = fakeLog((call) => ack(call));
    const queue = createRecordQueue(second, base({ storage: stored, fetch: log.fetch }));
    second.addLoad(held(3));
    second.acceptAll();
    second.rejectAll();
    await queue.flush();
    const sent = log.calls.flatMap((c) => c.body.records as ConsentRecord[]);
    expect(sent[0]!.loads).toEqual([
      { ...held(5), page: '/product', start: '2026-06-01T10:00:00.000Z' },
      { ...held(7), page: '/product', start: '2026-06-01T10:00:00.000Z' },
      held(3),
    ]);
    expect(sent[1]!.loads).toBeUndefined();
    expect(createQueueStore({ storage: stored }).load().loads).toEqual([]);
  });

  it('keeps at most 1000 waiting ledger entries, the oldest first', () => {
    const stored = storage();
    const consent = consentFor();
    const store = createQueueStore({ storage: stored });
    const write = recordWriter(consent, store, { path: '/', start: '2026-06-01T10:00:00.000Z' });
    for (let t = 0; t < 1200; t++)
      consent.addLoad({
        kind: 'held',
        vendor: 'hotjar',
        host: 'static.hotjar.com',
        via: 'img',
        t,
        record: null,
      });
    write.keep();
    const loads = store.load().loads;
    expect(loads).toHaveLength(1000);
    expect(loads[0]!.t).toBe(0);
  });

  it('sends the notice text when the log has not seen its hash', async () => {
    const consent = consentFor();
    const log = fakeLog((call) =>
      call.url.endsWith('/v1/notices')
        ? Response.json({ status: 'stored' })
        : ack(call, 'stored', [(call.body.records as ConsentRecord[])[0]!.notice.hash]),
    );
    const queue = createRecordQueue(consent, base({ storage: storage(), fetch: log.fetch }));
    consent.acceptAll();
    await queue.flush();
    const notice = log.calls.find((c) => c.url === '/consent/v1/notices');
    expect(notice?.body).toEqual({
      hash: (log.calls[0]!.body.records as ConsentRecord[])[0]!.notice.hash,
      text: 'We use Hotjar to record your clicks and typing.',
    });
  });

  it('sends the consent cookie value so a same-site log can set it, and nothing that is not one', async () => {
    const consent = consentFor();
    const log = fakeLog((call) => ack(call));
    let cookie = '1.eyJzIjoiYSJ9.0123456789ab';
    const queue = createRecordQueue(
      consent,
      base({ storage: storage(), fetch: log.fetch, cookie: () => cookie }),
    );
    consent.acceptAll();
    await queue.flush();
    expect(log.calls[0]!.body.cookie).toBe(cookie);
    cookie = 'garbage; Domain=evil';
    consent.rejectAll();
    await queue.flush();
    expect(log.calls[1]!.body).not.toHaveProperty('cookie');
  });

  it('reads the consent cookie as the cookie storage does (quoted values too)', async () => {
    const consent = consentFor();
    const log = fakeLog((call) => ack(call));
    const value = '1.eyJzIjoiYSJ9.0123456789ab';
    // A proxy or framework that rewrites cookies may quote the value; both readers drop the quotes.
    // biome-ignore lint/suspicious/noDocumentCookie: the test writes the cookie as a proxy would leave it
    document.cookie = `allparty="${encodeURIComponent(value)}"; path=/`;
    try {
      const queue = createRecordQueue(consent, base({ storage: storage(), fetch: log.fetch }));
      consent.acceptAll();
      await queue.flush();
      expect(log.calls[0]!.body.cookie).toBe(value);
    } finally {
      // biome-ignore lint/suspicious/noDocumentCookie: clears the test's cookie
      document.cookie = 'allparty=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT';
    }
  });

  it('drops a record the log rejects, with a warning, and finds a bad record in a refused batch', async () => {
    const warn = vi.fn();
    const consent = consentFor();
    const down = createRecordQueue(
      consent,
      base({
        storage: storage(),
        fetch: async () => new Response('', { status: 503 }),
        timers: manualTimers(),
      }),
    );
    consent.acceptAll();
    consent.withdraw();
    await down.flush();
    down.stop();
    const [good, bad] = down.pending();
    const log = fakeLog((call) => {
      const ids = (call.body.records as ConsentRecord[]).map((r) => r.id);
      if (ids.includes(bad!.id)) return new Response('{"error":"malformed"}', { status: 400 });
      return ack(call);
    });
    const shared = storage();
    shared.setItem('allparty.queue', JSON.stringify({ v: 1, records: [good, bad], notices: {}, want: [] }));
    const queue = createRecordQueue(
      consentFor(),
      base({ storage: shared, fetch: log.fetch, console: { warn } }),
    );
    await queue.flush();
    expect(queue.pending()).toEqual([]);
    expect(log.calls.map((c) => (c.body.records as unknown[]).length)).toEqual([2, 1, 1]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(bad!.id));
  });

  it('keeps records when the endpoint is missing (404), rather than losing them', async () => {
    const consent = consentFor();
    const queue = createRecordQueue(
      consent,
      base({
        storage: storage(),
        fetch: async () => new Response('no', { status: 404 }),
        timers: manualTimers(),
      }),
    );
    consent.acceptAll();
    await queue.flush();
    expect(queue.pending()).toHaveLength(1);
  });
});

describe('the queue in two parts (the embed stores at once, sends from a lazy chunk)', () => {
  it('a record stored before the sender exists is sent, with its load-ledger entries, once it starts', async () => {
    const store = storage();
    const consent = consentFor();
    const kept = createQueueStore({ storage: store });
    const write = recordWriter(consent, kept);
    consent.on('record', write);
    consent.addLoad({
      kind: 'held',
      vendor: 'hotjar',
      host: 'static.hotjar.com',
      via: 'script',
      t: 1,
      record: null,
    });
    consent.acceptAll();
    const stored = JSON.parse(store.map.get('allparty.queue') ?? '{}');
    expect(stored.records).toHaveLength(1);
    expect(stored.records[0].loads).toHaveLength(1);
    expect(Object.keys(stored.notices)).toEqual([stored.records[0].notice.hash]);

    const log = fakeLog((call) => ack(call));
    const sender = createQueueSender(consent, kept, base({ fetch: log.fetch }));
    sender.start();
    await sender.flush();
    expect((log.calls[0]!.body.records as ConsentRecord[]).map((r) => r.id)).toEqual([stored.records[0].id]);
    expect(sender.pending()).toEqual([]);
  });

  it('keeps records in memory when storage is blocked, and the sender still gets them', async () => {
    const consent = consentFor();
    const warn = vi.fn();
    const kept = createQueueStore({
      storage: {
        getItem: () => null,
        setItem: () => {
          throw new Error('quota');
        },
      },
      console: { warn },
    });
    consent.on('record', recordWriter(consent, kept));
    consent.rejectAll();
    expect(warn).toHaveBeenCalled();
    expect(kept.load().records.map((r) => r.event)).toEqual(['refused']);
    const log = fakeLog((call) => ack(call));
    const sender = createQueueSender(consent, kept, base({ fetch: log.fetch }));
    sender.queued();
    await sender.flush();
    expect(log.calls).toHaveLength(1);
  });
});
