import { Window } from 'happy-dom';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LoadEvent } from '../record';
import { createGuard, type Guard } from './guard';

// happy-dom shares element prototypes between windows, so the hooks are installed once for
// this file; each test varies what is granted.
const calls = {
  fetch: [] as string[],
  beacon: [] as string[],
  xhr: [] as string[],
  ws: [] as string[],
  es: [] as string[],
  worker: [] as string[],
};
const granted = new Set<string>();
const ledger: LoadEvent[] = [];
const warn = vi.fn();
let win: typeof globalThis;
let guard: Guard;

const vendors = [
  { id: 'hotjar', hosts: ['static.hotjar.com', '*.hotjar.com', '*.hotjar.io'] },
  { id: 'meta-pixel', hosts: ['connect.facebook.net', 'www.facebook.com/tr'] },
  { id: 'fullstory', hosts: ['edge.fullstory.com'] }, // known, but not configured by this site
  { id: 'google-analytics-4', hosts: ['metrics.shop.example'] }, // the site's own server-side tagging proxy
];

beforeAll(() => {
  win = new Window({
    url: 'https://shop.example/page',
    settings: {
      disableJavaScriptFileLoading: true,
      disableIframePageLoading: true,
      disableCSSFileLoading: true,
    },
  }) as unknown as typeof globalThis;
  const w = win as unknown as Record<string, unknown>;
  w.fetch = (input: unknown) => {
    calls.fetch.push(
      typeof input === 'object' && input && 'url' in input ? String(input.url) : String(input),
    );
    return Promise.resolve('ok');
  };
  win.Navigator.prototype.sendBeacon = (url: string | URL) => {
    calls.beacon.push(String(url));
    return true;
  };
  const open = win.XMLHttpRequest.prototype.open;
  win.XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, url: string | URL) {
    calls.xhr.push(String(url));
    return (open as (m: string, u: string) => void).call(this, method, 'https://shop.example/noop');
  } as typeof open;
  const fake = (list: string[]) => {
    function Fake(this: { url: string }, url: string) {
      this.url = url;
      list.push(url);
    }
    Fake.prototype = Object.create(win.EventTarget.prototype);
    return Fake;
  };
  w.WebSocket = fake(calls.ws);
  w.EventSource = fake(calls.es);
  w.Worker = fake(calls.worker);
  guard = createGuard({
    vendors,
    configured: new Set(['hotjar', 'meta-pixel', 'google-analytics-4']),
    isGranted: (v) => granted.has(v),
    recordFor: () => 'rec-1',
    allow: ['fonts.gstatic.com', '*.shop-cdn.example'],
    onLoad: (e) => ledger.push(e),
    console: { warn, info: vi.fn() },
    page: () => ({ hostname: 'shop.example', base: 'https://shop.example/page' }),
  });
  guard.install(win as unknown as globalThis.Window);
});

afterEach(() => {
  granted.clear();
  for (const list of Object.values(calls)) list.length = 0;
  ledger.length = 0;
  warn.mockClear();
  win.document.body.innerHTML = '';
});

const doc = () => win.document;

describe('classify', () => {
  it.each([
    ['/api/cart', 'pass'],
    ['cart.json', 'pass'],
    ['https://shop.example/a', 'pass'],
    ['https://cdn.shop.example/a.js', 'pass'], // same site
    ['https://fonts.gstatic.com/x.woff2', 'pass'], // allowed
    ['https://img.shop-cdn.example/x.png', 'pass'], // allowed wildcard
    ['data:text/javascript,1', 'pass'],
    ['blob:https://shop.example/0f0e', 'pass'],
    ['javascript:void 0', 'pass'],
    ['about:blank', 'pass'],
    ['https://static.hotjar.com/c/hotjar-1.js', 'hold'],
    ['//static.hotjar.com/c/hotjar-1.js', 'hold'], // protocol-relative
    ['\\\\static.hotjar.com/c/hotjar-1.js', 'hold'], // backslashes read as slashes
    ['/\t/static.hotjar.com/c.js', 'hold'], // tabs dropped by URL parsing
    ['  https://STATIC.HOTJAR.COM:443/c.js', 'hold'],
    ['wss://ws.hotjar.com/socket', 'hold'],
    ['https://edge.fullstory.com/s/fs.js', 'hold'], // known vendor, not configured: never released
    ['https://unknown-tracker.example/p', 'hold'], // unregistered, policy "block"
    ['https://metrics.shop.example/g/collect', 'hold'], // a vendor route on the site's own domain
  ])('%s → %s', (url, action) => {
    expect(guard.classify(url).action).toBe(action);
  });

  it("a vendor route declared on the page's own host is held, even as a relative URL", () => {
    const own = createGuard({
      vendors: [{ id: 'meta-pixel', hosts: ['shop.example/tr', 'metrics.shop.example'] }],
      configured: new Set(['meta-pixel']),
      isGranted: () => false,
      page: () => ({ hostname: 'shop.example', base: 'https://shop.example/page' }),
      console: { warn: vi.fn(), info: vi.fn() },
    });
    expect(own.classify('/tr?id=1&ev=PageView').action).toBe('hold');
    expect(own.classify('tr/x').action).toBe('hold');
    expect(own.classify('/img/a.png').action).toBe('pass');
    expect(own.classify('page2.html').action).toBe('pass');
    // Only a route on another host of the site: the page's own paths keep the fast path.
    const other = createGuard({
      vendors: [{ id: 'meta-pixel', hosts: ['metrics.shop.example'] }],
      configured: new Set(['meta-pixel']),
      isGranted: () => false,
      page: () => ({ hostname: 'shop.example', base: 'https://shop.example/page' }),
    });
    expect(other.classify('/tr?id=1').action).toBe('pass');
  });

  it('names the vendor a host belongs to, and allows it once granted', () => {
    expect(guard.classify('https://in.hotjar.io/api')).toEqual({
      action: 'hold',
      vendor: 'hotjar',
      host: 'in.hotjar.io',
    });
    granted.add('hotjar');
    expect(guard.classify('https://in.hotjar.io/api').action).toBe('allow');
    granted.add('fullstory');
    expect(guard.classify('https://edge.fullstory.com/s/fs.js').action).toBe('hold');
  });

  it('policy "report" lets an unregistered host through but still holds known vendors', () => {
    const g = createGuard({
      vendors,
      configured: new Set(['hotjar']),
      isGranted: () => false,
      unregistered: 'report',
      page: () => ({ hostname: 'shop.example', base: 'https://shop.example/' }),
    });
    expect(g.classify('https://unknown-tracker.example/p').action).toBe('report');
    expect(g.classify('https://static.hotjar.com/c.js').action).toBe('hold');
  });
});

describe('network hooks', () => {
  it('fetch to a vendor is refused like a network error; first-party fetch goes through', async () => {
    await expect(win.fetch('https://in.hotjar.com/api/v2/client', { method: 'POST' })).rejects.toThrow(
      TypeError,
    );
    await expect(win.fetch(new win.Request('https://in.hotjar.com/r'))).rejects.toThrow(TypeError);
    await win.fetch('/api/cart');
    expect(calls.fetch).toEqual(['/api/cart']);
    expect(ledger).toContainEqual(
      expect.objectContaining({ kind: 'held', vendor: 'hotjar', via: 'fetch', host: 'in.hotjar.com' }),
    );
    granted.add('hotjar');
    await win.fetch('https://in.hotjar.com/api/v2/client');
    expect(calls.fetch).toContain('https://in.hotjar.com/api/v2/client');
    expect(ledger).toContainEqual(
      expect.objectContaining({ kind: 'request', vendor: 'hotjar', via: 'fetch', record: 'rec-1' }),
    );
  });

  it('XMLHttpRequest to a vendor is opened to an invalid data: URL instead', () => {
    const x = new win.XMLHttpRequest();
    x.open('POST', 'https://in.hotjar.com/api/xhr');
    const y = new win.XMLHttpRequest();
    y.open('GET', '/first-party');
    expect(calls.xhr).toEqual(['data:', '/first-party']);
  });

  it('sendBeacon to a vendor returns false and sends nothing', () => {
    expect(win.navigator.sendBeacon('https://www.facebook.com/tr?ev=PageView', 'x')).toBe(false);
    expect(win.navigator.sendBeacon('https://www.facebook.com/other', 'x')).toBe(false); // unregistered path on a third-party host
    expect(win.navigator.sendBeacon('/collect', 'x')).toBe(true);
    expect(calls.beacon).toEqual(['/collect']);
  });

  it('WebSocket to a vendor gives a closed socket that fires error and close, and opens nothing', async () => {
    const ws = new win.WebSocket('wss://ws.hotjar.com/api') as unknown as WebSocket;
    expect(calls.ws).toEqual([]);
    expect(ws).toBeInstanceOf(win.WebSocket);
    expect(ws.readyState).toBe(3);
    const events: string[] = [];
    ws.onerror = () => events.push('onerror');
    ws.addEventListener('close', () => events.push('close'));
    await new Promise((r) => setTimeout(r, 10));
    // (happy-dom also calls on* properties from dispatchEvent; Chromium's exact-once is an e2e test)
    expect(events[0]).toBe('onerror');
    expect(events.at(-1)).toBe('close');
    granted.add('hotjar');
    new win.WebSocket('wss://ws.hotjar.com/api');
    expect(calls.ws).toEqual(['wss://ws.hotjar.com/api']);
  });

  it('EventSource and Worker from a vendor are refused', () => {
    const es = new win.EventSource('https://in.hotjar.com/stream') as unknown as EventSource;
    expect(es.readyState).toBe(2);
    expect(() => new win.Worker('https://static.hotjar.com/worker.js')).toThrow(/held a worker/);
    new win.Worker('/my-worker.js');
    expect(calls.es).toEqual([]);
    expect(calls.worker).toEqual(['/my-worker.js']);
  });
});

describe('element hooks', () => {
  it('script.src to a vendor leaves the script inert until the grant, then releases it', () => {
    const s = doc().createElement('script');
    s.src = 'https://static.hotjar.com/c/hotjar-1.js';
    doc().head.appendChild(s);
    expect(s.hasAttribute('src')).toBe(false);
    expect(s.getAttribute('data-allparty-held-src')).toBe('https://static.hotjar.com/c/hotjar-1.js');
    expect(s.src).toBe('https://static.hotjar.com/c/hotjar-1.js'); // vendor code reading it back sees its URL
    expect(guard.heldCount()).toBeGreaterThan(0);
    granted.add('hotjar');
    guard.release(['hotjar']);
    expect(s.getAttribute('src')).toBe('https://static.hotjar.com/c/hotjar-1.js');
    expect(s.hasAttribute('data-allparty-held-src')).toBe(false);
    expect(ledger).toContainEqual(
      expect.objectContaining({ kind: 'release', vendor: 'hotjar', via: 'script' }),
    );
  });

  it('setAttribute, any case, and setAttributeNS are held the same way', () => {
    const a = doc().createElement('script');
    a.setAttribute('SRC', 'https://static.hotjar.com/a.js');
    const b = doc().createElement('iframe');
    b.setAttributeNS(null, 'src', 'https://vars.hotjar.com/box.html');
    expect(a.hasAttribute('src')).toBe(false);
    expect(b.hasAttribute('src')).toBe(false);
    const ok = doc().createElement('script');
    ok.setAttribute('src', '/app.js');
    expect(ok.getAttribute('src')).toBe('/app.js');
  });

  it('pixels (img, new Image) are data: dropped, never released later', () => {
    const img = new win.Image();
    img.src = 'https://www.facebook.com/tr?id=1&ev=PageView';
    expect(img.hasAttribute('src')).toBe(false);
    granted.add('meta-pixel');
    guard.release(['meta-pixel']);
    expect(img.hasAttribute('src')).toBe(false);
    expect(ledger).toContainEqual(
      expect.objectContaining({ kind: 'held', vendor: 'meta-pixel', via: 'img' }),
    );
  });

  it('iframes and link hints to a vendor are held', () => {
    const f = doc().createElement('iframe');
    f.src = 'https://vars.hotjar.com/box.html';
    const l = doc().createElement('link');
    l.rel = 'preconnect';
    l.href = 'https://static.hotjar.com';
    doc().body.append(f, l);
    expect(f.hasAttribute('src')).toBe(false);
    expect(l.hasAttribute('href')).toBe(false);
  });

  it('innerHTML, outerHTML, insertAdjacentHTML, createContextualFragment and DOMParser are neutralised', () => {
    const body = doc().body;
    body.innerHTML = '<img src="https://px.hotjar.com/a.gif"><p id="p">x</p>';
    body.insertAdjacentHTML('beforeend', '<iframe src="https://vars.hotjar.com/b"></iframe>');
    doc().getElementById('p')!.outerHTML = '<script src="https://static.hotjar.com/c.js"></script>';
    const frag = doc()
      .createRange()
      .createContextualFragment('<script src="https://static.hotjar.com/d.js"></script>');
    const parsed = new win.DOMParser().parseFromString(
      '<img src="https://px.hotjar.com/e.gif">',
      'text/html',
    );
    expect(body.innerHTML).not.toMatch(/ (src)="https:\/\/[a-z.]*hotjar/);
    expect(body.querySelectorAll('[data-allparty-held-src]')).toHaveLength(3);
    expect(frag.querySelector('script')!.hasAttribute('src')).toBe(false);
    expect(parsed.querySelector('img')!.hasAttribute('src')).toBe(false);
  });

  it('frames in markup set with innerHTML or insertAdjacentHTML are released on a grant; pixels are not', () => {
    const box = doc().createElement('div');
    doc().body.appendChild(box);
    box.innerHTML =
      '<iframe src="https://vars.hotjar.com/ih.html"></iframe><img src="https://px.hotjar.com/ih.gif">';
    box.insertAdjacentHTML('afterend', '<p><iframe src="https://vars.hotjar.com/iah.html"></iframe></p>');
    const frames = [...doc().body.querySelectorAll('iframe')];
    expect(frames.map((f) => f.hasAttribute('src'))).toEqual([false, false]);
    granted.add('hotjar');
    guard.release(['hotjar']);
    expect(frames.map((f) => f.getAttribute('src'))).toEqual([
      'https://vars.hotjar.com/ih.html',
      'https://vars.hotjar.com/iah.html',
    ]);
    expect(box.querySelector('img')!.hasAttribute('src')).toBe(false);
  });

  it('setAttributeNode with a vendor URL is held', () => {
    const tpl = doc().createElement('template');
    tpl.content.appendChild(doc().createElement('img'));
    const img = tpl.content.firstChild as HTMLImageElement;
    const attr = doc().createAttribute('src');
    attr.value = 'https://px.hotjar.com/z.gif';
    img.setAttributeNode(attr);
    expect(img.hasAttribute('src')).toBe(false);
  });

  it('unregistered hosts are named once in the console', async () => {
    await expect(win.fetch('https://unknown-tracker.example/a')).rejects.toThrow();
    await expect(win.fetch('https://unknown-tracker.example/b')).rejects.toThrow();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(
      /unknown-tracker\.example, a third-party host no configured vendor declares/,
    );
  });

  it('a known vendor the site did not configure is named with its adapter', () => {
    const s = doc().createElement('script');
    s.src = 'https://edge.fullstory.com/s/fs.js';
    expect(
      warn.mock.calls.some((c) => /"fullstory" adapter, which is not in "vendors"/.test(String(c[0]))),
    ).toBe(true);
  });

  it('a granted vendor script built detached is in the ledger once inserted, not before', async () => {
    granted.add('hotjar');
    ledger.length = 0;
    const s = doc().createElement('script');
    s.src = 'https://ledger-once.hotjar.com/c/granted.js';
    const kept = doc().createElement('script');
    kept.src = 'https://script.hotjar.com/kept.js';
    doc().head.appendChild(s);
    await Promise.resolve();
    const requests = ledger.filter((e) => e.kind === 'request').map((e) => [e.host, e.via]);
    expect(requests).toContainEqual(['ledger-once.hotjar.com', 'script']);
    expect(requests.map(([host]) => host)).not.toContain('script.hotjar.com');
    s.remove();
    granted.delete('hotjar');
  });

  it('withdrawal: frames given a URL while granted are held again and new requests refused at once', async () => {
    granted.add('hotjar');
    const f = doc().createElement('iframe');
    f.src = 'https://vars.hotjar.com/box.html';
    expect(f.getAttribute('src')).toBe('https://vars.hotjar.com/box.html');
    const g = doc().createElement('iframe');
    doc().body.appendChild(g);
    granted.delete('hotjar');
    g.src = 'https://vars.hotjar.com/late.html';
    expect(g.hasAttribute('src')).toBe(false);
    await expect(win.fetch('https://in.hotjar.com/after')).rejects.toThrow();
    guard.stop(['hotjar']);
    expect(ledger).toContainEqual(expect.objectContaining({ kind: 'stop', vendor: 'hotjar' }));
    // Given its URL while granted but not inserted yet: held again, so inserting it loads nothing.
    expect(f.hasAttribute('src')).toBe(false);
    expect(f.getAttribute('data-allparty-held-src')).toBe('https://vars.hotjar.com/box.html');
  });
});
