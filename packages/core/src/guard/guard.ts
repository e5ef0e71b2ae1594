import type { LoadEvent } from '../record';
import { compileHostTable, type HostTable, hostHasVendorRules, matchHost, siteOf } from './hosts';
import {
  HELD_PREFIX,
  importedUrls,
  neutralizeCss,
  neutralizeHtml,
  openTagAt,
  type Rewrite,
  srcsetUrls,
} from './html';
import { type WorkerRule, type WorkerState, workerGuard } from './worker';

/**
 * The guard: from the first script in <head>, it holds every request to a vendor host until
 * that vendor is granted — however the request is made (elements created by the parser or by
 * script, innerHTML and document.write, fetch, XHR, sendBeacon, WebSocket, EventSource,
 * workers, same-origin frames). Held code and frames are released in order on a grant; held
 * data requests (beacons, pixels, fetch/XHR) are dropped, never replayed: sending data
 * captured before consent later is the retroactive consent *Javier v. Assurance IQ* rejects.
 */

/** How a request was made, as the ledger reports it. */
export type Via =
  | 'script'
  | 'iframe'
  | 'img'
  | 'link'
  | 'media'
  | 'object'
  | 'fetch'
  | 'xhr'
  | 'beacon'
  | 'websocket'
  | 'eventsource'
  | 'worker'
  | 'style'
  | 'resource';

/** The guard's decision for one URL. */
export interface Verdict {
  /** `pass`: not ours to hold (first party, allowed, not a network URL); `allow`: a granted vendor. */
  action: 'pass' | 'allow' | 'hold' | 'report';
  /** Vendor id, or null (first party, allowed or unregistered). */
  vendor: string | null;
  host: string;
}

/** Options for {@link createGuard}. */
export interface GuardOptions {
  /** Host patterns of every known vendor (configured or not): all are held until granted. */
  vendors: ReadonlyArray<{ id: string; hosts: readonly string[] }>;
  /** Vendor ids the site configured; only these can ever be released. */
  configured: ReadonlySet<string>;
  /** Whether a configured vendor is granted right now. */
  isGranted: (vendor: string) => boolean;
  /** The consent record that granted a vendor, for the ledger. */
  recordFor?: (vendor: string) => string | null;
  /** First-party-like host patterns left alone (the site's CDN, fonts, the log endpoint). @default [] */
  allow?: readonly string[];
  /** Third-party hosts no configured vendor declares: held, or only reported. @default "block" */
  unregistered?: 'block' | 'report';
  /** Receives every ledger entry. */
  onLoad?: (entry: LoadEvent) => void;
  /** Names a known tracker for an unregistered host (debug builds); returns a hint or null. */
  recognize?: (host: string) => string | null;
  /** @default console */
  console?: Pick<Console, 'warn' | 'info'>;
  /** Called when an element that may be tagged (`data-allparty`) is inserted by script. */
  onInsert?: () => void;
  /** The page's host name and base URL. @default location.hostname and document.baseURI */
  page?: () => { hostname: string; base: string };
}

/** A held element waiting for its vendor. */
interface Held {
  el: Element;
  vendor: string;
  /** Attribute name → held value. */
  attrs: Map<string, string>;
  /** A parser-inserted or `async = false` script: executed in order with the others. */
  ordered: boolean;
}

/** The guard instance. */
export interface Guard {
  /** Classifies a URL (relative URLs resolve against the document). */
  classify(url: string): Verdict;
  /** Installs the hooks into a window (the page, and same-origin frames automatically). */
  install(win: Window): void;
  /** Releases held elements of newly granted vendors, scripts in order. */
  release(vendors: readonly string[]): void;
  /** Holds vendors again after a withdrawal: removes their frames; new requests are refused by `classify`. */
  stop(vendors: readonly string[]): void;
  /** Ledger entries so far. */
  ledger(): LoadEvent[];
  /** Elements currently held (for tests and the debug build). */
  heldCount(): number;
}

type Win = Window & typeof globalThis;

const PASS: Verdict = Object.freeze({ action: 'pass', vendor: null, host: '' });

/** Ledger entries kept per page view at most. */
const MAX_ENTRIES = 5000;

const NETWORK = /^(https?|wss?):$/;
/** Which attributes of which elements make the browser fetch, and what they are. */
const URL_ATTRS: Record<string, { attrs: readonly string[]; via: Via; code: boolean }> = {
  script: { attrs: ['src', 'href', 'xlink:href'], via: 'script', code: true },
  iframe: { attrs: ['src'], via: 'iframe', code: true },
  frame: { attrs: ['src'], via: 'iframe', code: true },
  img: { attrs: ['src', 'srcset'], via: 'img', code: false },
  image: { attrs: ['href', 'xlink:href'], via: 'img', code: false },
  input: { attrs: ['src'], via: 'img', code: false },
  source: { attrs: ['src', 'srcset'], via: 'media', code: false },
  video: { attrs: ['src', 'poster'], via: 'media', code: true },
  audio: { attrs: ['src'], via: 'media', code: true },
  track: { attrs: ['src'], via: 'media', code: false },
  embed: { attrs: ['src'], via: 'object', code: true },
  object: { attrs: ['data'], via: 'object', code: true },
  link: { attrs: ['href', 'imagesrcset'], via: 'link', code: true },
  feImage: { attrs: ['href', 'xlink:href'], via: 'img', code: false },
  // A <base> on a vendor host would make every relative URL a vendor URL.
  base: { attrs: ['href'], via: 'resource', code: false },
  // The legacy `background` attribute is an image.
  body: { attrs: ['background'], via: 'img', code: false },
  table: { attrs: ['background'], via: 'img', code: false },
  thead: { attrs: ['background'], via: 'img', code: false },
  tbody: { attrs: ['background'], via: 'img', code: false },
  tfoot: { attrs: ['background'], via: 'img', code: false },
  tr: { attrs: ['background'], via: 'img', code: false },
  td: { attrs: ['background'], via: 'img', code: false },
  th: { attrs: ['background'], via: 'img', code: false },
};
/** Every attribute name an attribute write is checked for. */
const WATCHED = new Set(['style', 'srcdoc', ...Object.values(URL_ATTRS).flatMap((s) => s.attrs)]);
/** Elements whose URL is a document the browser parses (a data:, blob: or javascript: one included). */
const FRAMES = /^(iframe|frame|object|embed)$/;
/** `javascript:` frame URLs that make no document: blank frames, as old code writes them. */
const BLANK_JS = /^javascript:\s*(void\(?0\)?|false|undefined|''|""|)\s*;?\s*$/i;
const isSrcset = (attr: string) => attr === 'srcset' || attr === 'imagesrcset';

/** Every tag in URL_ATTRS, as a selector. */
const SELECTOR = Object.keys(URL_ATTRS).join(',');

/** What a scan looks at: elements that can fetch, templates' content, and tagged elements. */
const SCANNED = `${SELECTOR},template,[data-allparty]`;

/** The attribute a held URL attribute's value is kept in. */
const HELD_NAMES: Record<string, string> = {};
const heldName = (attr: string) => (HELD_NAMES[attr] ??= HELD_PREFIX + attr.replace(':', '-'));

/** Creates a guard. Call `install(window)` as the very first thing on the page. */
export function createGuard(options: GuardOptions): Guard {
  const out = options.console ?? console;
  const { table } = compileHostTable([
    ...options.vendors.map((v) => ({ owner: v.id, patterns: v.hosts })),
    { owner: null, patterns: options.allow ?? [] },
  ]);
  const vendorTable: HostTable = table;
  const policy = options.unregistered ?? 'block';
  const entries: LoadEvent[] = [];
  const held: Held[] = [];
  const heldByElement = new WeakMap<Element, Held>();
  /** Vendor → time it was granted (performance.now()), for violation detection. */
  const grantedAt = new Map<string, number>();
  /** "vendor host" pairs whose first request is already in the ledger. */
  const seen = new Set<string>();
  const warned = new Set<string>();
  const installed = new WeakSet<object>();
  /** Frames of released vendors, removed again on withdrawal. */
  const liveFrames: Array<{ el: Element; vendor: string }> = [];
  let origSetAttribute: (this: Element, name: string, value: string) => void;
  let origRemoveAttribute: (this: Element, name: string) => void;
  /** The native `contentWindow` getters, by element name: the wrapped ones call back here. */
  const frameWindow: Record<string, (() => unknown) | undefined> = {};

  const now = () => (typeof performance !== 'undefined' ? performance.now() : 0);
  const record = (entry: Omit<LoadEvent, 't'>) => {
    // Bounded: a vendor beaconing on a timer must not grow the ledger without end.
    if (entries.length >= MAX_ENTRIES) return;
    const full = { ...entry, t: Math.round(now()) };
    entries.push(full);
    options.onLoad?.(full);
  };

  for (const id of options.configured) if (options.isGranted(id)) grantedAt.set(id, 0);

  const page = options.page ?? (() => ({ hostname: location.hostname, base: document.baseURI }));
  let lastHost = '';
  let lastSite = '';
  const pageSite = (hostname: string) => {
    if (hostname !== lastHost) {
      lastHost = hostname;
      lastSite = siteOf(hostname);
    }
    return lastSite;
  };

  // Workers built from blob: and data: URLs decide with a snapshot of the host rules, made
  // when the first one is built (a rule for a host and its subdomains sits in both maps).
  let workerRules: WorkerRule[] | undefined;
  const allowedNow = () => [...options.configured].filter((v) => options.isGranted(v));
  const workerState = (): WorkerState => {
    workerRules ??= [...new Set([...vendorTable.exact.values(), ...vendorTable.suffix.values()].flat())].map(
      (r) => [r.host, r.scope === 'exact' ? 0 : r.scope === 'sub' ? 1 : 2, r.port, r.path, r.owner],
    );
    const hostname = page().hostname.toLowerCase();
    return {
      $rules$: workerRules,
      $configured$: [...options.configured],
      $allowed$: allowedNow(),
      $pageHost$: hostname,
      $pageSite$: pageSite(hostname),
      $blockUnregistered$: policy === 'block' ? 1 : 0,
    };
  };
  const blobs = new Map<string, Blob>();
  const workerLinks: Array<(allowed: string[]) => void> = [];
  const tellWorkers = () => {
    if (!workerLinks.length) return;
    const allowed = allowedNow();
    for (const tell of workerLinks) tell(allowed);
  };

  const preferConfigured = (owner: string | null) => owner !== null && options.configured.has(owner);
  /**
   * Whether a path-absolute URL ("/img/a.png") is surely first party: unless a vendor route was
   * declared on the page's own host (a first-party proxy), then it is classified in full. A
   * document's host does not change, and same-origin frames share it.
   */
  let firstPartyPaths: boolean | undefined;
  const pathsAreFirstParty = () =>
    (firstPartyPaths ??= !hostHasVendorRules(vendorTable, page().hostname.toLowerCase()));

  function classify(raw: string): Verdict {
    // Fast path: a path-absolute or relative URL ("/img/a.png", "a.png") is first party, unless
    // a vendor route is declared on the page's own host.
    if (localPath(raw) && pathsAreFirstParty()) return PASS;
    const r = raw.replace(/[\t\n\r]/g, '').trimStart();
    if (r.indexOf(':') < 0 && !/^[/\\]{2}/.test(r) && pathsAreFirstParty()) return PASS;
    const pass = PASS;
    const { hostname, base } = page();
    let url: URL;
    try {
      url = new URL(raw, base);
    } catch {
      return pass;
    }
    if (!NETWORK.test(url.protocol)) return pass;
    const host = url.hostname;
    const rule = matchHost(vendorTable, host, url.port, url.pathname, preferConfigured);
    // A vendor host is held even on the site's own domain (a first-party proxy the site declared).
    if (!rule?.owner && (host === hostname || siteOf(host) === pageSite(hostname))) return { ...pass, host };
    if (rule && rule.owner === null) return { ...pass, host };
    if (rule?.owner) {
      const vendor = rule.owner;
      const granted = options.configured.has(vendor) && options.isGranted(vendor);
      return { action: granted ? 'allow' : 'hold', vendor, host };
    }
    return { action: policy === 'block' ? 'hold' : 'report', vendor: null, host };
  }

  /**
   * Classifies, writes the ledger, warns once per host; true when the request must not happen.
   * `sent` is a worker's own decision (a worker reports what it held or sent).
   */
  function check(raw: string, via: Via, sent?: boolean): boolean {
    const v = classify(raw);
    if (v.action === 'pass') return false;
    const hold = sent === undefined ? v.action === 'hold' : !sent;
    if (!hold && v.vendor) {
      const key = `${v.vendor} ${v.host}`;
      if (!seen.has(key)) {
        seen.add(key);
        record({ kind: 'request', vendor: v.vendor, host: v.host, via, record: recordFor(v.vendor) });
      }
      return false;
    }
    // `report` (onboarding): an unregistered host goes through, and is named.
    record({
      kind: hold ? 'held' : 'request',
      vendor: v.vendor,
      host: v.host,
      via,
      record: null,
    });
    if (!v.vendor) warnUnregistered(v, via, hold);
    else if (!options.configured.has(v.vendor) && !warned.has(v.vendor)) {
      warned.add(v.vendor);
      out.warn(
        `allparty: held a ${via} request to ${v.host}: it belongs to the "${v.vendor}" adapter, which is not in "vendors". Add it there to offer it to visitors.`,
      );
    }
    return hold;
  }

  const recordFor = (vendor: string | null) =>
    vendor && options.recordFor ? options.recordFor(vendor) : null;

  function warnUnregistered(v: Verdict, via: Via, hold: boolean) {
    if (warned.has(v.host)) return;
    warned.add(v.host);
    const hint = options.recognize?.(v.host);
    out.warn(
      `allparty: ${hold ? 'held' : 'reported'} a ${via} request to ${v.host}, a third-party host no configured vendor declares.${
        hint ? ` ${hint}` : ''
      } Add its adapter to "vendors", or the host to "allow" if it is first-party-like.`,
    );
  }

  /** Holds one URL attribute of an element: keeps the value aside, leaves the element inert. */
  function holdAttribute(el: Element, attr: string, value: string, vendor: string | null, ordered: boolean) {
    origRemoveAttribute.call(el, attr);
    origSetAttribute.call(el, heldName(attr), value);
    if (!vendor) return;
    let h = heldByElement.get(el);
    if (!h) {
      h = { el, vendor, attrs: new Map(), ordered };
      heldByElement.set(el, h);
      // Pixels and hints are data: dropped, never replayed. Code and frames wait for a grant.
      if (URL_ATTRS[el.localName]?.code) held.push(h);
    }
    h.attrs.set(attr, value);
  }

  /** Whether an element's URL attribute value must be held; writes the ledger. */
  function mustHold(el: Element, attr: string, value: string): Verdict | null {
    const set = isSrcset(attr);
    if (!set && localPath(value) && pathsAreFirstParty()) return null;
    const spec = URL_ATTRS[el.localName];
    if (!spec?.attrs.includes(attr)) return null;
    // A frame's `javascript:` URL makes its document from what the code returns: held, unless blank.
    if (
      FRAMES.test(el.localName) &&
      /^\s*javascript:/i.test(value) &&
      !BLANK_JS.test(value.replace(/[\t\n\r]/g, ''))
    ) {
      record({ kind: 'held', vendor: null, host: '', via: spec.via, record: null });
      return { action: 'hold', vendor: null, host: '' };
    }
    // A tagged script of another type (the site's `text/plain` one) fetches nothing; gating owns
    // it. An untagged one is held like any other: its type may be changed back to JavaScript.
    if (!executable(el) && el.hasAttribute('data-allparty')) return null;
    const urls = set ? srcsetUrls(value) : [value];
    for (const u of urls) {
      const v = classify(u);
      if (v.action === 'hold' || v.action === 'report') {
        check(u, spec.via);
        if (v.action === 'hold') return v;
      } else if (v.action === 'allow') {
        // The ledger's first request per host: now, or once the element is inserted (most are,
        // in the task that built them; Resource Timing reports the rest).
        if (isConnectedOrImage(el)) check(u, spec.via);
        else queueMicrotask(() => el.isConnected && check(u, spec.via));
        if (spec.code && v.vendor && !set) arm(el, attr, u, v.vendor);
      }
    }
    return null;
  }

  /** A CSS value or text with its held URLs made `url()` (values that are not strings pass). */
  const safeCss = (value: unknown) =>
    typeof value === 'string' ? neutralizeCss(value, (url) => check(url, 'style')) : value;

  const isConnectedOrImage = (el: Element) => el.isConnected || el.nodeName === 'IMG';

  // Trusted Types: a value the page made through its policy cannot change, so it is passed on as
  // it is; one the guard rewrote is made through the guard's own policy, "allparty" (a site's
  // `trusted-types` list must name it), or the plain string, which enforcement refuses.
  type TT = {
    isHTML(v: unknown): boolean;
    isScript(v: unknown): boolean;
    isScriptURL(v: unknown): boolean;
    createPolicy(name: string, rules: object): Policy;
  };
  type Policy = { createHTML(s: string): unknown; createScriptURL(s: string): unknown };
  const tt = (globalThis as { trustedTypes?: TT }).trustedTypes;
  const isTrusted = (v: unknown) =>
    !!tt && typeof v === 'object' && v !== null && (tt.isHTML(v) || tt.isScriptURL(v) || tt.isScript(v));
  let ttPolicy: Policy | null | undefined;
  const ownPolicy = () => {
    if (ttPolicy === undefined)
      try {
        ttPolicy =
          tt?.createPolicy('allparty', { createHTML: (x: string) => x, createScriptURL: (x: string) => x }) ??
          null;
      } catch {
        ttPolicy = null;
      }
    return ttPolicy;
  };
  /** What to hand the browser for `s`: the page's own trusted value when `s` is its text. */
  const trustedHtml = (original: unknown, s: string): unknown =>
    !isTrusted(original) ? s : String(original) === s ? original : (ownPolicy()?.createHTML(s) ?? s);

  /**
   * An attribute write (setAttribute, setAttributeNS, an Attr, a URL property): SKIP when its URL
   * is held, else the value to write. The URL is read once, and the string that was checked is
   * what is written (an object's toString could answer differently the second time); a Trusted
   * Types value, which cannot change, is passed on as it is.
   */
  function guardAttr(el: Element, name: string, value: unknown): unknown {
    if (name === 'style') return safeCss(value);
    if (name === 'srcdoc')
      return el.localName === 'iframe' ? trustedHtml(value, frameHtml(String(value))) : value;
    if (!URL_ATTRS[el.localName]) return value;
    const s = String(value);
    const v = mustHold(el, name, s);
    if (v) {
      holdAttribute(el, name, s, v.vendor, isOrderedScript(el));
      return SKIP;
    }
    const doc = inlineDocument(el.localName, name, s);
    return trustedHtml(value, doc ?? s);
  }

  /**
   * A frame's document the browser parses from the page's own string (srcdoc) runs before any
   * hook can reach its window: its markup is neutralised and it gets a Content Security Policy
   * that lets it load only from the page's own origin, the `allow` list and granted vendors.
   */
  const frameHtml = (html: string) => {
    const out = neutralizeHtml(
      html,
      (url, tag) => check(url, tag === 'style' ? 'style' : 'iframe'),
      rewriteInline,
    );
    const doctype = /^\s*<!doctype[^>]*>/i.exec(out)?.[0] ?? '';
    return `${doctype}${framePolicy()}${out.slice(doctype.length)}`;
  };
  const framePolicy = () => {
    const sources = new Set([
      `'self'`,
      `'unsafe-inline'`,
      `'unsafe-eval'`,
      `'wasm-unsafe-eval'`,
      'data:',
      'blob:',
    ]);
    const { hostname, base } = page();
    try {
      sources.add(new URL(base).origin);
    } catch {
      // an opaque base: 'self' stands for it
    }
    const site = pageSite(hostname.toLowerCase());
    if (site) sources.add(site).add(`*.${site}`);
    const add = (pattern: string) => {
      const host = pattern.replace(/\/.*$/, '');
      if (!/^[\w.*:-]+$/.test(host)) return;
      sources.add(host);
      if (host.startsWith('*.')) sources.add(host.slice(2));
    };
    for (const a of options.allow ?? []) add(a);
    for (const d of options.vendors)
      if (options.configured.has(d.id) && options.isGranted(d.id)) d.hosts.forEach(add);
    return `<meta http-equiv="Content-Security-Policy" content="default-src ${[...sources].join(' ')}">`;
  };
  /**
   * A frame's data: or blob: document (or a data: stylesheet) made by the page: rebuilt with its
   * markup (or CSS) neutralised and the frame policy first. Undefined when nothing changes.
   */
  function inlineDocument(tag: string, attr: string, url: string): string | undefined {
    const frame = FRAMES.test(tag) && (attr === 'src' || attr === 'data');
    if (!frame && !(tag === 'link' && attr === 'href')) return;
    const u = url.trimStart();
    if (/^blob:/i.test(u)) {
      const blob = blobs.get(u);
      if (!frame || !blob || !/^(text\/html)?(;|$)/i.test(blob.type)) return;
      return URL.createObjectURL(new Blob([framePolicy(), blob], { type: blob.type || 'text/html' }));
    }
    const m = /^data:([^,]*?)(;base64)?,([\s\S]*)$/i.exec(u);
    if (!m) return;
    const type = (m[1] ?? '').split(';')[0]!.trim().toLowerCase();
    let text: string;
    try {
      text = m[2]
        ? new TextDecoder().decode(Uint8Array.from(atob(m[3]!.replace(/\s/g, '')), (c) => c.charCodeAt(0)))
        : decodeURIComponent(m[3]!);
    } catch {
      return frame ? 'about:blank' : 'data:text/css,';
    }
    let next: string;
    if (!frame) next = neutralizeCss(text, (x) => check(x, 'style'));
    else if (type === 'text/html' || type === '') next = frameHtml(text);
    else if (/xml/.test(type))
      next = neutralizeHtml(text, (x, t) => check(x, t === 'style' ? 'style' : 'iframe'));
    else return;
    return next === text
      ? undefined
      : `data:${type || 'text/html'};charset=utf-8,${encodeURIComponent(next)}`;
  }
  /** Markup's frames: their srcdoc, data: and blob: documents get the frame policy. */
  const rewriteInline: Rewrite = (tag, attr, value) =>
    attr === 'srcdoc' ? (tag === 'iframe' ? frameHtml(value) : undefined) : inlineDocument(tag, attr, value);

  /** Checks one element's URL attributes: holds what must be held, registers what markup held. */
  function visit(el: Element, parserInserted: boolean) {
    const name = el.localName;
    const spec = URL_ATTRS[name];
    if (!spec) return;
    for (const attr of spec.attrs) {
      const value = el.getAttribute(attr);
      if (value === null) {
        // Held in markup (the attribute was renamed before the parser saw it): registered, so a
        // grant releases it.
        const heldValue = el.getAttribute(heldName(attr));
        if (heldValue === null || heldByElement.has(el)) continue;
        const v = classify(srcsetUrls(heldValue)[0] ?? heldValue);
        if (v.vendor) {
          const h: Held = {
            el,
            vendor: v.vendor,
            attrs: new Map([[attr, heldValue]]),
            ordered: parserInserted,
          };
          heldByElement.set(el, h);
          // Granted since the markup was neutralised: released now, not at a grant to come.
          if (spec.code && v.action === 'allow') restore(h);
          else if (spec.code) held.push(h);
        }
        continue;
      }
      const v = mustHold(el, attr, value);
      if (!v) continue;
      holdAttribute(el, attr, value, v.vendor, parserInserted || isOrderedScript(el));
      // A frame the parser inserted started navigating on insertion, before any script could
      // act: the request was made. Resource Timing never reports it once cancelled, so say so here.
      if (parserInserted && spec.via === 'iframe') violation(v.vendor, v.host, 'iframe', value);
    }
    if (frameWindow[el.nodeName]) adoptFrame(el);
  }

  /**
   * Checks a node and everything below it: elements that can fetch, the content of templates
   * (which the parser builds where no selector reaches; `onTemplate` hears of each), and tagged
   * elements, which gating hears of once they are in the document.
   */
  function scan(root: Node, parserInserted: boolean, onTemplate?: (content: DocumentFragment) => void) {
    const look = (el: Element, parser: boolean) => {
      const name = el.localName;
      if (name === 'template') {
        const content = (el as HTMLTemplateElement).content;
        if (content) {
          onTemplate?.(content);
          scan(content, false, onTemplate);
        }
      } else if (URL_ATTRS[name]) visit(el, parser);
      if (options.onInsert && el.hasAttribute('data-allparty')) watch(el);
    };
    if (root.nodeType === 1) look(root as Element, parserInserted);
    if ((root as ParentNode).firstElementChild)
      for (const el of (root as ParentNode).querySelectorAll(SCANNED)) look(el, parserInserted);
  }

  /** Tagged elements not known to be in a document yet. */
  const waiting = new Set<WeakRef<Element>>();
  let settleQueued = false;
  let settleTimer = false;
  /** Gating hears of a tagged element once it is in the document. */
  function watch(el: Element) {
    waiting.add(new WeakRef(el));
    if (settleQueued) return;
    settleQueued = true;
    queueMicrotask(() => {
      settleQueued = false;
      settleTagged();
    });
  }
  function settleTagged() {
    let arrived = false;
    for (const ref of waiting) {
      const el = ref.deref();
      if (el && !el.isConnected) continue;
      waiting.delete(ref);
      arrived ||= el !== undefined;
    }
    if (arrived) options.onInsert?.();
    // Most arrive within the task that built them (a framework renders, then inserts); the
    // rest (a template's content, a card kept aside) are looked at four times a second.
    if (waiting.size && !settleTimer) {
      settleTimer = true;
      setTimeout(() => {
        settleTimer = false;
        settleTagged();
      }, 250);
    }
  }

  const isOrderedScript = (el: Element) =>
    el.nodeName === 'SCRIPT' && (el as HTMLScriptElement).async === false;

  /** Installs the hooks into a same-origin frame's window before anything can use it. */
  function adoptFrame(frame: Element) {
    let w: Window | null = null;
    try {
      // The native getter: the wrapped one calls back here.
      w = frameWindow[frame.nodeName]?.call(frame) as Window | null;
      // Reading the document throws when the frame is cross-origin. The result is used, so a
      // minifier that treats getters as pure cannot drop the read (it did drop \`void w.document\`).
      if (!w?.document) return;
    } catch {
      return;
    }
    install(w);
  }

  function release(vendors: readonly string[]) {
    const set = new Set(vendors);
    const t = now();
    for (const v of vendors) if (!grantedAt.has(v)) grantedAt.set(v, t);
    tellWorkers();
    const ready = held.filter((h) => set.has(h.vendor));
    if (!ready.length) return;
    for (let i = held.length - 1; i >= 0; i--) if (set.has(held[i]!.vendor)) held.splice(i, 1);
    const ordered = ready.filter((h) => h.ordered && h.el.nodeName === 'SCRIPT' && executable(h.el));
    for (const h of ready) if (!ordered.includes(h)) restore(h);
    // Parser-inserted scripts run one after another, in document order, as the parser would.
    const next = () => {
      const h = ordered.shift();
      if (!h) return;
      if (!h.el.isConnected) {
        restore(h);
        next();
        return;
      }
      h.el.addEventListener('load', next, { once: true });
      h.el.addEventListener('error', next, { once: true });
      restore(h);
    };
    next();
  }

  function restore(h: Held) {
    heldByElement.delete(h.el);
    for (const [attr, value] of h.attrs) {
      origRemoveAttribute.call(h.el, heldName(attr));
      origSetAttribute.call(h.el, attr, value);
    }
    const first = h.attrs.values().next().value ?? '';
    record({
      kind: 'release',
      vendor: h.vendor,
      host: classify(first).host,
      via: URL_ATTRS[h.el.localName]?.via ?? 'resource',
      record: recordFor(h.vendor),
    });
    if (h.el.nodeName === 'IFRAME' || h.el.nodeName === 'FRAME')
      liveFrames.push({ el: h.el, vendor: h.vendor });
    else if (h.el.nodeName === 'SCRIPT' && h.el.isConnected) reinsertIfStarted(h.el as HTMLScriptElement);
  }

  /**
   * A script that was already prepared with no source will not run when its src is set:
   * re-create it so it does, keeping attributes and the nonce.
   */
  function reinsertIfStarted(script: HTMLScriptElement) {
    // Setting src on a connected, not-yet-started script runs it; nothing to do then. We
    // cannot observe "already started", so scripts that had inline text are re-created.
    if (!script.text) return;
    const copy = script.ownerDocument.createElement('script');
    for (const a of script.attributes) origSetAttribute.call(copy, a.name, a.value);
    copy.nonce = script.nonce ?? '';
    copy.text = script.text;
    script.replaceWith(copy);
  }

  /**
   * Code and frames of a granted vendor (scripts, frames, embeds) given their URL: on a
   * withdrawal, those not yet inserted are held again, and its frames put to sleep.
   */
  const armed: Array<{ ref: WeakRef<Element>; vendor: string; attr: string; value: string }> = [];
  function arm(el: Element, attr: string, value: string, vendor: string) {
    if (armed.length >= 256) armed.shift();
    armed.push({ ref: new WeakRef(el), vendor, attr, value });
  }

  /**
   * A frame of a withdrawn vendor is held again; one in the document is replaced by an inert
   * copy, so its document goes at once (navigating it away would leave it running until the
   * navigation commits).
   */
  function sleepFrame(el: Element, vendor: string) {
    const src = el.getAttribute('src');
    if (src === null) return;
    if (!el.isConnected) return holdAttribute(el, 'src', src, vendor, false);
    const copy = el.cloneNode(false) as Element;
    if (copy.getAttribute('src') !== null) holdAttribute(copy, 'src', src, vendor, false);
    el.replaceWith(copy);
  }

  function stop(vendors: readonly string[]) {
    const set = new Set(vendors);
    for (const v of vendors) grantedAt.delete(v);
    tellWorkers();
    for (let i = liveFrames.length - 1; i >= 0; i--) {
      const f = liveFrames[i]!;
      if (!set.has(f.vendor)) continue;
      liveFrames.splice(i, 1);
      sleepFrame(f.el, f.vendor);
    }
    for (let i = armed.length - 1; i >= 0; i--) {
      const a = armed[i]!;
      const el = a.ref.deref();
      if (el && !set.has(a.vendor)) continue;
      armed.splice(i, 1);
      if (!el || el.getAttribute(a.attr) !== a.value) continue;
      if (el.localName === 'iframe' || el.localName === 'frame') sleepFrame(el, a.vendor);
      else if (!el.isConnected) holdAttribute(el, a.attr, a.value, a.vendor, isOrderedScript(el));
    }
    for (const v of vendors) record({ kind: 'stop', vendor: v, host: '', via: 'resource', record: null });
  }

  /** URLs already reported as violations (Resource Timing may report a frame again). */
  const violated = new Set<string>();
  function violation(vendor: string | null, host: string, via: Via, url: string) {
    const abs = new URL(url, page().base).href;
    if (violated.has(abs)) return;
    violated.add(abs);
    record({ kind: 'violation', vendor, host, via, record: null });
    out.warn(violationMessage(host, vendor));
  }

  /** Resource Timing: the first request per vendor host, and any that beat its grant. */
  function observeResources(win: Win) {
    if (typeof win.PerformanceObserver !== 'function') return;
    const own = `${win.origin}/`;
    const onEntry = (entry: PerformanceResourceTiming) => {
      // The page's own resources, the bulk of entries, need no parsing and no table lookup.
      if (entry.name.startsWith(own) && pathsAreFirstParty()) return;
      let url: URL;
      try {
        url = new URL(entry.name);
      } catch {
        return;
      }
      const host = url.hostname;
      if (host === page().hostname && pathsAreFirstParty()) return;
      const rule = matchHost(vendorTable, host, url.port, url.pathname, preferConfigured);
      if (!rule?.owner) return;
      const vendor = rule.owner;
      const granted = grantedAt.get(vendor);
      if (granted === undefined || entry.startTime < granted) {
        if (violated.has(entry.name)) return;
        violated.add(entry.name);
        record({
          kind: 'violation',
          vendor,
          host,
          via: (entry.initiatorType as Via) || 'resource',
          record: null,
        });
        out.warn(violationMessage(host, vendor));
        return;
      }
      const key = `${vendor} ${host}`;
      if (seen.has(key)) return;
      seen.add(key);
      record({
        kind: 'request',
        vendor,
        host,
        via: (entry.initiatorType as Via) || 'resource',
        record: recordFor(vendor),
      });
    };
    try {
      const po = new win.PerformanceObserver((list) => {
        for (const e of list.getEntries()) onEntry(e as PerformanceResourceTiming);
      });
      po.observe({ type: 'resource', buffered: true });
    } catch {
      // Resource Timing unavailable: the hooks' own entries remain.
    }
  }

  function install(target: Window) {
    const win = target as Win;
    if (installed.has(win)) return;
    const E = win.Element.prototype;
    installed.add(win);
    const first = !origSetAttribute;
    if (first) {
      origSetAttribute = E.setAttribute;
      origRemoveAttribute = E.removeAttribute;
      for (const [name, ctor] of [
        ['IFRAME', win.HTMLIFrameElement],
        ['FRAME', (win as unknown as Record<string, { prototype: object }>).HTMLFrameElement],
        ['OBJECT', win.HTMLObjectElement],
      ] as const)
        if (ctor) frameWindow[name] = Object.getOwnPropertyDescriptor(ctor.prototype, 'contentWindow')?.get;
    }
    const realSetAttribute = E.setAttribute;
    const realSetAttributeNS = E.setAttributeNS;

    // Attribute writes: setAttribute, setAttributeNS, Attr value.
    E.setAttribute = function setAttribute(this: Element, name: string, value: string) {
      const n = String(name).toLowerCase();
      if (WATCHED.has(n)) {
        const out = guardAttr(this, n, value);
        if (out === SKIP) return;
        value = out as string;
      } else if (n === 'data-allparty' && options.onInsert) watch(this);
      return realSetAttribute.call(this, name, value);
    };
    E.setAttributeNS = function setAttributeNS(
      this: Element,
      ns: string | null,
      name: string,
      value: string,
    ) {
      const local = String(name)
        .toLowerCase()
        .replace(/^[^:]*:/, '');
      const n = ns === 'http://www.w3.org/1999/xlink' ? `xlink:${local}` : local;
      if (WATCHED.has(n) || WATCHED.has(local)) {
        // An xlink:href the element does not list is checked as its href.
        const attr = URL_ATTRS[this.localName]?.attrs.includes(n) ? n : local;
        const out = guardAttr(this, attr, value);
        if (out === SKIP) return;
        value = out as string;
      }
      return realSetAttributeNS.call(this, ns, name, value);
    };
    /** Adds an Attr node to an element (setAttributeNode, setNamedItem): true when it was held. */
    const heldAttrNode = (owner: Element | null | undefined, attr: Attr) => {
      const name = attr?.name?.toLowerCase();
      if (!owner || !name || !WATCHED.has(name)) return false;
      const out = guardAttr(owner, name, attr.value);
      // Not yet the element's: the Attr hook lets the safe value through.
      if (out !== SKIP && out !== attr.value) attr.value = out as string;
      return out === SKIP;
    };
    // Each wrapper finds the element from `this`: the element itself, or its attribute map.
    const attrNode = <T>(
      orig: (this: T, attr: Attr) => Attr | null,
      owner: (self: T) => Element | null | undefined,
    ) =>
      function (this: T, attr: Attr) {
        return heldAttrNode(owner(this), attr) ? null : orig.call(this, attr);
      };
    const elementOf = (x: unknown) => (x instanceof win.Element ? x : null);
    E.setAttributeNode = attrNode(E.setAttributeNode, elementOf);
    E.setAttributeNodeNS = attrNode(E.setAttributeNodeNS, elementOf);
    // el.attributes.setNamedItem(attr): a NamedNodeMap does not name its element, so maps handed
    // out by the `attributes` getter are remembered, weakly, with their element.
    const owners = new WeakMap<object, Element>();
    wrap(E, 'attributes', undefined, (el, map) => {
      if (map && !owners.has(map as object)) owners.set(map as object, el as Element);
      return map;
    });
    const NNM = win.NamedNodeMap.prototype;
    NNM.setNamedItem = attrNode<NamedNodeMap>(NNM.setNamedItem, (map) => owners.get(map));
    NNM.setNamedItemNS = attrNode<NamedNodeMap>(NNM.setNamedItemNS, (map) => owners.get(map));
    // Defined on Attr itself, so text nodes keep the native nodeValue and textContent.
    for (const prop of ['value', 'nodeValue', 'textContent']) {
      wrap(win.Attr.prototype, prop, (self, value) => {
        const attr = self as Attr;
        const name = attr.nodeType === 2 && attr.ownerElement ? attr.name.toLowerCase() : '';
        return WATCHED.has(name) ? guardAttr(attr.ownerElement!, name, value) : value;
      });
    }

    // CSS: inline styles (setProperty, cssText, `el.style = …`, the style attribute) and style
    // sheets built by script (insertRule, replace, replaceSync). A held URL becomes `url()`,
    // which fetches nothing; like a pixel's, it is dropped, not replayed on a grant. Named
    // properties (`el.style.backgroundImage = …`) cannot be hooked: in Chromium they are not
    // accessors but an interceptor on each declaration.
    const style = win.CSSStyleDeclaration.prototype;
    wrap(style, 'cssText', (_self, value) => safeCss(value));
    const setProperty = style.setProperty;
    style.setProperty = function (
      this: CSSStyleDeclaration,
      name: string,
      value: string | null,
      prio?: string,
    ) {
      return setProperty.call(this, name, safeCss(value) as string | null, prio);
    };
    const sheetMethods: Array<[{ prototype: object } | undefined, string, number]> = [
      [win.CSSStyleSheet, 'insertRule', 0],
      [win.CSSStyleSheet, 'replace', 0],
      [win.CSSStyleSheet, 'replaceSync', 0],
      [win.CSSStyleSheet, 'addRule', 1],
      [win.CSSGroupingRule, 'insertRule', 0],
      [win.CSSKeyframesRule, 'appendRule', 0],
    ];
    // CSS Typed OM (`el.attributeStyleMap.set('background-image', 'url(…)')`): a value that
    // holds a held URL drops the call. Values are read once; a CSSStyleValue cannot change.
    const typed = win.StylePropertyMap?.prototype;
    for (const method of ['set', 'append'] as const) {
      const orig = typed?.[method];
      if (!typed || !orig) continue;
      typed[method] = function (
        this: StylePropertyMap,
        prop: string,
        ...values: Array<CSSStyleValue | string>
      ) {
        const next = values.map((v) => (v instanceof win.CSSStyleValue ? v : String(v)));
        for (const v of next) if (safeCss(String(v)) !== String(v)) return;
        return orig.call(this, prop, ...next);
      };
    }
    // A web font's source (`new FontFace(name, 'url(…)')`) is CSS too: a held one fails to load.
    const Font = win.FontFace;
    if (Font) {
      const F = function (this: unknown, ...args: unknown[]) {
        if (!new.target) throw new TypeError("Failed to construct 'FontFace': Please use the 'new' operator");
        args[1] = safeCss(args[1]);
        return Reflect.construct(Font, args, new.target === (F as unknown) ? Font : new.target);
      };
      F.prototype = Font.prototype;
      Object.setPrototypeOf(F, Font);
      win.FontFace = F as unknown as typeof FontFace;
    }
    for (const [ctor, method, arg] of sheetMethods) {
      const proto = ctor?.prototype as Record<string, (...a: unknown[]) => unknown> | undefined;
      const orig = proto?.[method];
      if (!proto || typeof orig !== 'function') continue;
      proto[method] = function (this: unknown, ...args: unknown[]) {
        if (args.length > arg) args[arg] = safeCss(args[arg]);
        return orig.apply(this, args);
      };
    }

    // URL properties: script.src, img.src, iframe.src, link.href, … (and the attribute each sets).
    const props: Array<[{ prototype: object } | undefined, string, string?]> = [
      [win.HTMLScriptElement, 'src'],
      [win.HTMLIFrameElement, 'src'],
      [win.HTMLImageElement, 'src'],
      [win.HTMLImageElement, 'srcset'],
      [win.HTMLSourceElement, 'src'],
      [win.HTMLSourceElement, 'srcset'],
      [win.HTMLLinkElement, 'href'],
      [win.HTMLMediaElement, 'src'],
      [win.HTMLVideoElement, 'poster'],
      [win.HTMLTrackElement, 'src'],
      [win.HTMLEmbedElement, 'src'],
      [win.HTMLObjectElement, 'data'],
      [win.HTMLInputElement, 'src'],
      [(win as unknown as Record<string, { prototype: object }>).HTMLFrameElement, 'src'],
      [win.HTMLLinkElement, 'imageSrcset', 'imagesrcset'],
      [win.HTMLBaseElement, 'href'],
      [win.HTMLBodyElement, 'background'],
      [win.HTMLIFrameElement, 'srcdoc'],
    ];
    for (const [ctor, prop, name = prop] of props) {
      if (!ctor) continue;
      wrap(
        ctor.prototype,
        prop,
        (self, value) => guardAttr(self as Element, name, value),
        // A held URL reads as set, so scripts that check what they set see no difference.
        (self, live) => {
          const value = heldByElement.get(self as Element)?.attrs.get(name);
          if (value === undefined) return live;
          return isSrcset(name) || name === 'background'
            ? value
            : new URL(value, (self as Element).baseURI).href;
        },
      );
    }
    // SVG's href objects (`script.href.baseVal = …`) set the attribute natively: the element
    // each one belongs to is remembered as it is handed out, and the write goes through it.
    const animatedOwner = new WeakMap<object, Element>();
    for (const key of ['SVGScriptElement', 'SVGImageElement', 'SVGFEImageElement']) {
      const proto = (win as unknown as Record<string, { prototype?: object } | undefined>)[key]?.prototype;
      if (proto)
        wrap(proto, 'href', undefined, (self, value) => {
          if (value && typeof value === 'object') animatedOwner.set(value, self as Element);
          return value;
        });
    }
    const animated = win.SVGAnimatedString?.prototype;
    if (animated)
      wrap(animated, 'baseVal', (self, value) => {
        const el = animatedOwner.get(self as object);
        return el ? guardAttr(el, 'href', value) : value;
      });
    // A script's code set by script (text, textContent, innerText, innerHTML): one that imports
    // a held URL by name is made inert (type text/plain), since a module's imports cannot be
    // hooked. Defined on script elements only, so no other element's text pays for it.
    for (const prop of ['text', 'textContent', 'innerText', 'innerHTML'])
      wrap(win.HTMLScriptElement.prototype, prop, (self, value) => {
        const code = String(value);
        if (importedUrls(code).some((u) => check(u, 'script')))
          origSetAttribute.call(self as Element, 'type', 'text/plain');
        return trustedHtml(value, code);
      });
    // `new Audio(url)` sets its source natively: it is set through the hooked property instead.
    const AudioCtor = win.Audio;
    if (AudioCtor) {
      const A = function (this: unknown, src?: string) {
        if (!new.target) throw new TypeError("Failed to construct 'Audio': Please use the 'new' operator");
        const audio = Reflect.construct(
          AudioCtor,
          [],
          new.target === (A as unknown) ? AudioCtor : new.target,
        );
        if (src !== undefined) audio.src = src;
        return audio;
      };
      A.prototype = AudioCtor.prototype;
      Object.setPrototypeOf(A, AudioCtor);
      win.Audio = A as unknown as typeof Audio;
    }

    // Parser-inserted elements bypass every hook. A MutationObserver runs before the parser
    // prepares a script, so held scripts are neutralised before they can run. The observer is
    // only needed for what the parser inserts: while a script inserts (through the hooks below,
    // which see every such node), it is paused — a record per inserted node costs as much as the
    // insertion itself — and it resumes at the next microtask checkpoint, which comes before the
    // parser inserts anything else (document.write, the one way a script makes the parser insert,
    // resumes it first). Once the document is parsed it stops for good.
    const doc = win.document;
    /** Template contents the parser may still be filling: watched with the document. */
    const filling: DocumentFragment[] = [];
    const WATCH = { childList: true, subtree: true };
    const onTemplate = (content: DocumentFragment) => {
      if (doc.readyState !== 'loading') return;
      filling.push(content);
      if (observing) mo.observe(content, WATCH);
    };
    const parsed = (records: MutationRecord[]) => {
      for (const r of records)
        for (const node of r.addedNodes)
          if (node.nodeType === 1) scan(node, (node as Element).isConnected, onTemplate);
    };
    const mo = new win.MutationObserver(parsed);
    const shims: Array<[Record<string, unknown>, string, unknown, unknown]> = [];
    const shim = (on: boolean) => {
      for (const [p, name, orig, fn] of shims) if (p[name] === (on ? orig : fn)) p[name] = on ? fn : orig;
    };
    let observing = false;
    const observe = () => {
      if (observing || doc.readyState !== 'loading') return;
      mo.observe(doc, WATCH);
      for (const content of filling) mo.observe(content, WATCH);
      observing = true;
      shim(true);
    };
    const pause = () => {
      const records = mo.takeRecords();
      mo.disconnect();
      observing = false;
      shim(false);
      queueMicrotask(observe);
      parsed(records);
    };

    // HTML strings: neutralised before the parser sees them.
    const isHeldUrl = (url: string, tag: string) => {
      const via = tag === 'style' ? 'style' : (URL_ATTRS[tag.toLowerCase()]?.via ?? 'resource');
      return check(url, via);
    };
    // Markup parsed into the page while the observer is paused is watched as before.
    let heldInMarkup = false;
    let taggedInMarkup = false;
    const clean = (html: unknown) => {
      observe();
      const text = String(html);
      const out = neutralizeHtml(text, isHeldUrl, rewriteInline);
      heldInMarkup = out !== text;
      taggedInMarkup = /data-allparty/i.test(text);
      return trustedHtml(html, out) as string;
    };
    // What markup built (innerHTML and the like, parsed documents and fragments): when it held
    // something, it is registered, so a grant releases its frames and scripts; when it holds
    // tagged elements, gating hears of them once they are in the document.
    const registerMarkup = (root: Node | null) => {
      if (root && (heldInMarkup || taggedInMarkup)) scan(root, false);
      heldInMarkup = taggedInMarkup = false;
    };
    const intoSelf = (self: unknown) => registerMarkup(self as Node);
    wrap(E, 'innerHTML', (_self, value) => clean(value), undefined, intoSelf);
    wrap(win.ShadowRoot.prototype, 'innerHTML', (_self, value) => clean(value), undefined, intoSelf);
    let outerParent: Node | null = null;
    wrap(
      E,
      'outerHTML',
      (self, value) => {
        outerParent = (self as Node).parentNode;
        return clean(value);
      },
      undefined,
      () => registerMarkup(outerParent),
    );
    const insertAdjacentHTML = E.insertAdjacentHTML;
    E.insertAdjacentHTML = function (this: Element, where: InsertPosition, html: string) {
      const result = insertAdjacentHTML.call(this, where, clean(html));
      registerMarkup(/^(beforebegin|afterend)$/i.test(String(where)) ? this.parentNode : this);
      return result;
    };
    const D = win.Document.prototype;
    // document.write: the arguments are one string, and a tag split across calls (old ad code
    // writes `<script src="`, then the URL, then `">`) is kept back until it is whole, so it is
    // checked whole. One the script leaves unfinished is dropped.
    const write = D.write;
    let carry = '';
    for (const name of ['write', 'writeln'] as const) {
      D[name] = function (this: Document, ...html: unknown[]) {
        let input: unknown =
          html.length === 1 && name === 'write' ? html[0] : html.join('') + (name === 'writeln' ? '\n' : '');
        if (this === doc && doc.readyState === 'loading') {
          const text = carry + String(input);
          const open = openTagAt(text);
          if (carry || open >= 0) {
            input = open < 0 ? text : text.slice(0, open);
            carry = open < 0 ? '' : text.slice(open);
            if (carry) queueMicrotask(() => (carry = ''));
          }
        }
        write.call(this, clean(input) as string);
        // Written into a document that is not being parsed (one made by createHTMLDocument).
        if (this !== doc) registerMarkup(this);
      };
    }
    const ccf = win.Range.prototype.createContextualFragment;
    win.Range.prototype.createContextualFragment = function (this: Range, html: string) {
      const fragment = ccf.call(this, clean(html));
      registerMarkup(fragment);
      return fragment;
    };
    const parse = win.DOMParser.prototype.parseFromString;
    win.DOMParser.prototype.parseFromString = function (
      this: DOMParser,
      html: string,
      type: DOMParserSupportedType,
    ) {
      const html5 = type === 'text/html';
      const parsedDoc = parse.call(this, html5 ? clean(html) : html, type);
      // XML (XHTML, SVG) is not rewritten as text: what it built is checked as a whole.
      if (html5) registerMarkup(parsedDoc);
      else scan(parsedDoc, false);
      return parsedDoc;
    };
    // Documents a parser built with no hook to see: an XHR's response, an XSLT result. Each is
    // checked once, when the page first gets hold of it.
    const seenDocs = new WeakSet<object>();
    const checkDoc = (_self: unknown, value: unknown) => {
      const d = value as Node | null;
      if (d && (d.nodeType === 9 || d.nodeType === 11) && !seenDocs.has(d)) {
        seenDocs.add(d);
        scan(d, false);
      }
      return value;
    };
    wrap(win.XMLHttpRequest.prototype, 'responseXML', undefined, checkDoc);
    wrap(win.XMLHttpRequest.prototype, 'response', undefined, checkDoc);
    const xslt = (win as unknown as Record<string, { prototype: Record<string, unknown> } | undefined>)
      .XSLTProcessor?.prototype;
    for (const name of ['transformToFragment', 'transformToDocument']) {
      const orig = xslt?.[name] as ((...args: unknown[]) => unknown) | undefined;
      if (orig && xslt)
        xslt[name] = function (this: unknown, ...args: unknown[]) {
          return checkDoc(null, orig.apply(this, args));
        };
    }
    // Rich-text editing: insertHTML is markup; insertImage is an image URL.
    const execCommand = D.execCommand;
    D.execCommand = function (this: Document, command: string, ui?: boolean, value?: string) {
      const c = String(command).toLowerCase();
      if (c === 'insertimage' && check(String(value), 'img')) return false;
      const result = execCommand.call(this, command, ui, c === 'inserthtml' ? clean(value) : value);
      if (c === 'inserthtml') registerMarkup(this);
      return result;
    };
    // setHTML (the Sanitizer API keeps <img src> and links) and setHTMLUnsafe, on elements and
    // shadow roots; the static Document.parseHTML and parseHTMLUnsafe.
    type HtmlSetter = (this: Node, html: string, ...rest: unknown[]) => void;
    for (const proto of [E, win.ShadowRoot.prototype])
      for (const name of ['setHTML', 'setHTMLUnsafe']) {
        const orig = (proto as unknown as Record<string, HtmlSetter | undefined>)[name];
        if (orig)
          (proto as unknown as Record<string, HtmlSetter>)[name] = function (this: Node, html, ...rest) {
            const result = orig.call(this, clean(html), ...rest);
            registerMarkup(this);
            return result;
          };
      }
    type HtmlParser = (this: unknown, html: string, ...rest: unknown[]) => Document;
    const DocumentCtor = win.Document as unknown as Record<string, HtmlParser | undefined>;
    for (const name of ['parseHTML', 'parseHTMLUnsafe']) {
      const orig = DocumentCtor[name];
      if (orig)
        DocumentCtor[name] = function (this: unknown, html: string, ...rest: unknown[]) {
          const parsedDoc = orig.call(this, clean(html), ...rest);
          registerMarkup(parsedDoc);
          return parsedDoc;
        };
    }

    // Insertion: same-origin frames get the guard before a script can reach their window.
    const N = win.Node.prototype;
    // Inserting a node into the page is not hooked once the document is parsed: what a node can
    // fetch is decided when its URL is set (the property and attribute hooks above) or when a
    // parser builds it (the markup, document and template checks here), so an insertion has
    // nothing left to check, and the page's DOM calls stay native. Same-origin frames get the
    // guard as they are connected: Chromium fires their about:blank `load` synchronously, and
    // the `contentWindow`/`contentDocument` getters cover every other way in.
    doc.addEventListener(
      'load',
      (e) => {
        const t = e.target as Element;
        if (frameWindow[t.nodeName]) adoptFrame(t);
      },
      true,
    );
    // While the parser's observer watches, the insertion methods are shims that pause it (see
    // above) and put the native methods back until it resumes, so a script's insertions after
    // its first run native. Once the document is parsed, the native methods stay. A method
    // another script has replaced since is left alone.
    if (doc.readyState === 'loading')
      for (const [proto, names] of [
        [N, ['appendChild', 'insertBefore', 'replaceChild']],
        [
          E,
          ['append', 'prepend', 'after', 'before', 'replaceWith', 'replaceChildren', 'insertAdjacentElement'],
        ],
        [win.Document.prototype, ['append', 'prepend', 'replaceChildren']],
        [win.DocumentFragment.prototype, ['append', 'prepend', 'replaceChildren']],
        [win.Range.prototype, ['insertNode', 'surroundContents']],
      ] as const) {
        const p = proto as unknown as Record<string, unknown>;
        for (const name of names) {
          const orig = p[name] as ((...args: unknown[]) => unknown) | undefined;
          if (!orig) continue;
          const shim = function (this: unknown) {
            if (observing) pause();
            // biome-ignore lint/complexity/noArguments: no array per call on the hot path
            return orig.apply(this, arguments as unknown as unknown[]);
          };
          shims.push([p, name, orig, shim]);
        }
      }
    // Copies of markup the parser built where no hook saw it (a <template>'s content), and nodes
    // taken from another document, are checked as they are made or taken.
    const cloneNode = N.cloneNode;
    N.cloneNode = function (this: Node, deep?: boolean) {
      const copy = cloneNode.call(this, deep);
      scan(copy, false);
      return copy;
    };
    const adoptNode = D.adoptNode;
    D.adoptNode = function <T extends Node>(this: Document, node: T): T {
      scan(node, false);
      return adoptNode.call(this, node) as T;
    };
    const importNode = D.importNode;
    D.importNode = function <T extends Node>(this: Document, node: T, deep?: boolean): T {
      const copy = importNode.call(this, node, deep) as T;
      scan(copy, false);
      return copy;
    };
    // A frame's (or an <object>'s) window, however it is reached: its getters, or an SVG
    // document's view.
    const adopting = (self: unknown, value: unknown) => {
      if (value) adoptFrame(self as Element);
      return value;
    };
    const frameTypes = [
      win.HTMLIFrameElement,
      win.HTMLObjectElement,
      (win as unknown as Record<string, { prototype: object }>).HTMLFrameElement,
    ];
    for (const ctor of frameTypes)
      if (ctor)
        for (const prop of ['contentWindow', 'contentDocument'])
          wrap(ctor.prototype, prop, undefined, adopting);
    for (const ctor of [win.HTMLIFrameElement, win.HTMLObjectElement, win.HTMLEmbedElement]) {
      const proto = ctor?.prototype as { getSVGDocument?: () => Document | null } | undefined;
      const orig = proto?.getSVGDocument;
      if (proto && orig)
        proto.getSVGDocument = function (this: Element) {
          const d = orig.call(this);
          try {
            const view = d?.defaultView;
            if (view?.document) install(view);
          } catch {
            // cross-origin: not ours
          }
          return d;
        };
    }
    const open = win.open;
    // Opening a vendor page is a visible navigation, not capture; a same-origin popup
    // (about:blank) gets the guard before the opener can use its fetch.
    win.open = function (...args: Parameters<typeof window.open>) {
      const w = open.apply(this, args);
      try {
        if (w) install(w);
      } catch {
        // cross-origin window: its own document, not ours to guard
      }
      return w;
    };

    // Network APIs.
    // A request's URL is read once: a Request (whose URL cannot change) is passed on, anything
    // else as the string that was checked.
    const requestUrl = Object.getOwnPropertyDescriptor(win.Request.prototype, 'url')?.get;
    const requestOf = (input: unknown): [string, unknown] => {
      if (typeof input === 'object' && input !== null) {
        if (!requestUrl) {
          if (input instanceof win.Request) return [input.url, input];
        } else
          try {
            return [requestUrl.call(input) as string, input];
          } catch {
            // not a Request: a URL, or an object with its own toString
          }
      }
      const url = String(input);
      return [url, url];
    };
    const origFetch = win.fetch;
    if (origFetch)
      win.fetch = function fetch(input: RequestInfo | URL, init?: RequestInit) {
        const [url, req] = requestOf(input);
        if (check(url, 'fetch'))
          return Promise.reject(
            new TypeError(`Failed to fetch: allparty held a request to a vendor without consent`),
          );
        return origFetch.call(win, req as RequestInfo, init);
      };

    const xhrOpen = win.XMLHttpRequest.prototype.open;
    win.XMLHttpRequest.prototype.open = function (
      this: XMLHttpRequest,
      method: string,
      url: string | URL,
      ...rest: unknown[]
    ) {
      // A held XHR is opened to an invalid data: URL instead: it fails like a network error,
      // without touching the network, and the caller's error handlers run as usual.
      const s = String(url);
      return (xhrOpen as (...a: unknown[]) => void).call(
        this,
        method,
        check(s, 'xhr') ? 'data:' : s,
        ...rest,
      );
    };

    const nav = win.Navigator.prototype;
    const beacon = nav.sendBeacon;
    if (beacon)
      nav.sendBeacon = function sendBeacon(this: Navigator, url: string | URL, data?: BodyInit | null) {
        const s = String(url);
        if (check(s, 'beacon')) return false;
        return beacon.call(this, s, data);
      };

    // fetchLater: a beacon sent when the page goes away; a held one never activates.
    const later = win.fetchLater;
    if (later)
      win.fetchLater = function fetchLater(input: RequestInfo | URL, init?: object) {
        const [url, req] = requestOf(input);
        if (check(url, 'beacon'))
          return Object.create(win.FetchLaterResult?.prototype ?? null, { activated: { get: () => false } });
        return later.call(win, req as RequestInfo, init);
      };
    // Worklets (paint, audio) fetch their module like a script.
    const worklet = (win as { Worklet?: typeof Worklet }).Worklet?.prototype;
    const addModule: Worklet['addModule'] | undefined = worklet?.addModule;
    if (worklet && addModule)
      worklet.addModule = function (this: Worklet, url: string | URL, opts?: WorkletOptions): Promise<void> {
        const s = String(url);
        if (check(s, 'worker')) return Promise.reject(new win.DOMException(HELD_WORKER, 'AbortError'));
        return addModule.call(this, s, opts);
      };

    replaceConstructor(win, 'WebSocket', (url) => check(url, 'websocket'), heldSocket);
    replaceConstructor(
      win,
      'WebSocketStream',
      (url) => check(url, 'websocket'),
      (w, url) => heldSession(w, 'WebSocketStream', url, ['opened', 'closed']),
    );
    replaceConstructor(
      win,
      'WebTransport',
      (url) => check(url, 'websocket'),
      (w, url) => heldSession(w, 'WebTransport', url, ['ready', 'closed']),
    );
    replaceConstructor(win, 'EventSource', (url) => check(url, 'eventsource'), heldEventSource);
    // Workers: a vendor's worker script is refused; one built from a blob: or data: URL gets
    // the guard as a prelude (worker.ts), and hears of later grants and withdrawals.
    workerLinks.push(
      workerGuard(null, {
        win,
        state: workerState,
        blobs,
        trust: (url) => ownPolicy()?.createScriptURL(url) ?? url,
        held: (url) => check(url, 'worker'),
        report: (url, via, held) => void check(url, via as Via, !held),
      }),
    );

    // Parser-inserted elements bypass every hook: watched until the document is parsed.
    if (doc.readyState === 'loading') {
      observe();
      // `observe` does nothing once the document is parsed: pausing now stops for good.
      doc.addEventListener(
        'DOMContentLoaded',
        () => {
          pause();
          filling.length = 0;
        },
        { once: true },
      );
    }
    // What was parsed before the guard, and Resource Timing (buffered, so nothing is missed),
    // need nothing before the next microtask checkpoint, which comes before the parser or any
    // other script goes on: kept out of the install itself.
    queueMicrotask(() => {
      if (doc.documentElement) scan(doc.documentElement, true, onTemplate);
      observeResources(win);
    });
  }

  return {
    classify,
    install,
    release,
    stop,
    ledger: () => entries.slice(),
    heldCount: () => held.length,
  };
}

const JS_TYPE =
  /^(module|(text|application)\/(x-)?(java|ecma)script|text\/(jscript|livescript|javascript1\.[0-5]))$/i;

/**
 * Whether a URL is path-absolute ("/img/a.png"): first party, the common case. URL parsing drops
 * tabs and newlines and reads backslashes as slashes, so "\\host" and "/\t/host" are not.
 */
function localPath(raw: string): boolean {
  const c1 = raw.charCodeAt(1);
  return raw.charCodeAt(0) === 47 && c1 !== 47 && c1 !== 92 && c1 !== 9 && c1 !== 10 && c1 !== 13;
}

/** Whether a script element would run (no type, or a JavaScript or module type). */
function executable(el: Element): boolean {
  if (el.nodeName !== 'SCRIPT') return true;
  const type = el.getAttribute('type');
  return type === null || type.trim() === '' || JS_TYPE.test(type.trim());
}

/** Wraps a property setter on a prototype (walking up to where it is defined). */
function violationMessage(host: string, vendor: string | null): string {
  return `allparty: VIOLATION — a request to ${host} (${vendor}) was made before any grant, from outside the guard: a script above the allparty tag, or a raw vendor tag in the HTML that the browser fetched before any script could run. Tag it instead: <script type="text/plain" data-allparty="PURPOSE" data-vendor="${vendor}"> (data-src for frames and images).`;
}

const HELD_WORKER = 'allparty held a worker script from a vendor without consent';

/** Returned by a setter hook to drop the assignment (the value was held). */
const SKIP = Symbol('held');

/**
 * Wraps an accessor property where `proto` has or inherits it, with one definition: a setter
 * hook returns the value to assign, or SKIP; a getter hook gets the native value; `afterSet`
 * runs after the native setter. No allocation per call.
 */
function wrap(
  proto: object,
  prop: string,
  onSet?: (self: unknown, value: unknown) => unknown,
  onGet?: (self: unknown, value: unknown) => unknown,
  afterSet?: (self: unknown) => void,
): void {
  let desc: PropertyDescriptor | undefined;
  for (let p: object | null = proto; p && !desc; p = Object.getPrototypeOf(p))
    desc = Object.getOwnPropertyDescriptor(p, prop);
  const get = desc?.get;
  if (!get) return;
  const set = desc!.set;
  const next: PropertyDescriptor = { ...desc };
  if (set && onSet)
    next.set = function (this: unknown, value: unknown) {
      const v = onSet(this, value);
      if (v !== SKIP) set.call(this, v);
      afterSet?.(this);
    };
  if (onGet)
    next.get = function (this: unknown) {
      return onGet(this, get.call(this));
    };
  Object.defineProperty(proto, prop, next);
}

/** Replaces a constructor by one that refuses held URLs, keeping prototype and statics. */
function replaceConstructor(
  win: Win,
  name: 'WebSocket' | 'EventSource' | 'WebTransport' | 'WebSocketStream',
  held: (url: string) => boolean,
  fake: (win: Win, url: string) => object,
): void {
  const Orig = (win as unknown as Record<string, unknown>)[name] as
    | (new (
        ...args: unknown[]
      ) => object)
    | undefined;
  if (typeof Orig !== 'function') return;
  const Wrapped = function (this: unknown, ...args: unknown[]): object {
    if (!new.target) throw new TypeError(`Failed to construct '${name}': Please use the 'new' operator`);
    // The URL is read once, and what was checked is what is used.
    const url = String(args[0]);
    args[0] = url;
    if (held(url)) return fake(win, url);
    return Reflect.construct(Orig, args, new.target === (Wrapped as unknown) ? Orig : new.target);
  } as unknown as new (
    ...args: unknown[]
  ) => object;
  Object.defineProperty(Wrapped, 'name', { value: name });
  Wrapped.prototype = Orig.prototype;
  Object.setPrototypeOf(Wrapped, Orig);
  (win as unknown as Record<string, unknown>)[name] = Wrapped;
}

/** A closed WebSocket stand-in: fires error and close like a failed connection; sends nothing. */
function heldSocket(win: Win, url: string): object {
  return closedTarget(
    win,
    win.WebSocket.prototype,
    url,
    {
      readyState: 3,
      protocol: '',
      extensions: '',
      bufferedAmount: 0,
      binaryType: 'blob',
      send() {},
      close() {},
    },
    () => new win.CloseEvent('close', { code: 1006, wasClean: false }),
  );
}

/** A WebTransport or WebSocketStream stand-in that never connects: its promises reject. */
function heldSession(win: Win, name: string, url: string, promises: string[]): object {
  const failed = Promise.reject(new TypeError(`allparty held a ${name} session to ${url} without consent`));
  failed.catch(() => {});
  const props: PropertyDescriptorMap = { url: { value: url }, close: { value() {} } };
  for (const p of promises) props[p] = { value: failed };
  return Object.create((win as unknown as Record<string, { prototype: object }>)[name]!.prototype, props);
}

/** A closed EventSource stand-in. */
function heldEventSource(win: Win, url: string): object {
  return closedTarget(
    win,
    win.EventSource.prototype,
    url,
    { readyState: 2, withCredentials: false, close() {} },
    null,
  );
}

function closedTarget(
  win: Win,
  proto: object,
  url: string,
  props: Record<string, unknown>,
  closeEvent: (() => Event) | null,
): object {
  // A real EventTarget (so listeners work) that passes `instanceof WebSocket`.
  const target = new win.EventTarget();
  Object.setPrototypeOf(target, proto);
  const handlers: Record<string, ((e: Event) => void) | null> = {};
  const own: PropertyDescriptorMap = { url: { value: url } };
  for (const [k, v] of Object.entries(props)) own[k] = { value: v, writable: k === 'binaryType' };
  for (const type of ['open', 'message', 'error', 'close']) {
    own[`on${type}`] = {
      get: () => handlers[type] ?? null,
      set: (fn: unknown) => {
        handlers[type] = typeof fn === 'function' ? (fn as (e: Event) => void) : null;
      },
    };
  }
  Object.defineProperties(target, own);
  const fire = (e: Event) => {
    handlers[e.type]?.call(target, e);
    win.EventTarget.prototype.dispatchEvent.call(target, e);
  };
  win.setTimeout(() => {
    fire(new win.Event('error'));
    if (closeEvent) fire(closeEvent());
  }, 0);
  return target;
}
