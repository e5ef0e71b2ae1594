/**
 * The guard inside workers. A worker built from a `blob:` or `data:` URL runs code the page
 * wrote, with its own `fetch`, XHR, `importScripts` and sockets, where the page's hooks do not
 * reach. Its script is therefore rebuilt with a prelude in front: this function, serialised
 * with `toString()` and called with a snapshot of the guard's decisions (the host rules, which
 * vendors are allowed right now, the page's site and the unregistered policy).
 *
 * The same function runs in the page (`link` given) to wrap the `Worker` and `SharedWorker`
 * constructors and keep the `URL.createObjectURL` blobs it needs; in a worker it also holds
 * the worker's own requests and wraps workers the worker builds. A dedicated worker receives
 * later decisions (grants, withdrawals) on a `MessagePort` sent with a first, intercepted
 * message, and reports what it held or let a vendor have back on it; a shared worker built
 * from a blob hears decisions on a `BroadcastChannel`.
 *
 * It must stay self-contained: no imports, no module-level names, plain ES2020. It is
 * serialised as it was bundled.
 */

/** One host rule: host, scope (0 exact, 1 any subdomain, 2 the host and its subdomains), port, path, owner. */
export type WorkerRule = [string, 0 | 1 | 2, string | null, string | null, string | null];

/** What a worker needs to decide a URL the way the page's guard does. */
export interface WorkerState {
  /** Host rules of every vendor and of `allow` (owner null). */
  $rules$: WorkerRule[];
  /** Configured vendors (preferred where vendors share a host). */
  $configured$: string[];
  /** Vendors allowed now: configured and granted. */
  $allowed$: string[];
  /** The page's host name and its registrable domain. */
  $pageHost$: string;
  $pageSite$: string;
  /** Unregistered third-party hosts: held (1) or let through (0). */
  $blockUnregistered$: 0 | 1;
  /** Set when the worker is a shared worker (decisions arrive on a BroadcastChannel). */
  $shared$?: 1;
}

/** What the page's side of the guard gives the function. */
export interface WorkerLink {
  /** The window whose constructors to wrap. */
  win: typeof globalThis;
  /** The current decisions, read when the first worker is built (nothing is built before). */
  state(): WorkerState;
  /** A worker's request the guard held (`held`) or let a vendor have, for the ledger. */
  report(url: string, via: string, held: boolean): void;
  /** Whether the worker script's own URL is held. */
  held(url: string): boolean;
  /** Map of blob URLs to their blobs, shared by every window of the page. */
  blobs: Map<string, Blob>;
  /** The guard's Trusted Types policy ("allparty"), shared with the page's own hooks. */
  trust(url: string): unknown;
}

/** Channel, message tag and shutdown message for the guard's worker traffic. */
export const WORKER_CHANNEL = 'allparty-guard';

/**
 * Installs the worker side (no `link`) or the page's worker wrapping (`link`). Returns the
 * function that passes new decisions on to the workers it built.
 */
export function workerGuard(init: WorkerState | null, link?: WorkerLink): (allowed: string[]) => void {
  const TAG = 'allparty-guard';
  const g = (link ? link.win : self) as typeof globalThis & {
    importScripts?: (...urls: string[]) => void;
    WebTransport?: unknown;
  };
  // In the page, the snapshot is made when the first worker is built.
  let S = init as WorkerState;
  const state = () => {
    S ??= link!.state();
    return S;
  };
  /** Ports to the dedicated workers built here; a terminated worker's port is closed and dropped. */
  const ports = new Set<MessagePort>();
  const portOf = new WeakMap<object, MessagePort>();
  let shared: BroadcastChannel | null = null;
  const blobs = link ? link.blobs : new Map<string, Blob>();
  const queue: unknown[][] = [];
  let up: MessagePort | null = null;
  const seen = new Set<string>();
  const msg = 'allparty held a request to a vendor without consent';

  const update = (allowed: string[]) => {
    if (S) S = { ...S, $allowed$: allowed };
    for (const p of ports) p.postMessage(allowed);
    shared?.postMessage(allowed);
  };
  const report = (url: string, via: string, held: boolean) => {
    if (link) return link.report(url, via, held);
    if (up) up.postMessage([url, via, held]);
    else if (queue.length < 200) queue.push([url, via, held]);
  };

  const site = (h: string) => {
    if (/^\[|^\d+\.\d+\.\d+\.\d+$/.test(h) || !h.includes('.')) return h;
    const l = h.split('.');
    const n = l.length;
    return l
      .slice(
        n >= 3 &&
          l[n - 1]!.length === 2 &&
          /^(co|com|net|org|gov|edu|ac|ne|or|go|gob|nic|ltd|plc)$/.test(l[n - 2]!)
          ? n - 3
          : n - 2,
      )
      .join('.');
  };
  /** True when the request must not happen; reports vendor traffic either way. */
  const no = (raw: string, via: string): boolean => {
    let u: URL;
    try {
      u = new URL(raw, g.location.href);
    } catch {
      return false;
    }
    if (!/^(https?|wss?):$/.test(u.protocol)) return false;
    const h = u.hostname;
    const pref = (o: string | null) => o !== null && S.$configured$.includes(o);
    const pick = (host: string, sfx: boolean) => {
      let best: WorkerRule | null = null;
      for (const r of S.$rules$) {
        if (r[0] !== host || (sfx ? r[1] === 0 : r[1] === 1)) continue;
        if ((r[2] !== null && r[2] !== u.port) || (r[3] !== null && !u.pathname.startsWith(r[3]))) continue;
        const l = (r[3] ?? '').length - (best?.[3] ?? '').length;
        if (!best || l > 0 || (l === 0 && !pref(best[4]) && pref(r[4]))) best = r;
      }
      return best;
    };
    let rule = pick(h, false);
    if (!rule || !(rule[4] === null || pref(rule[4])))
      for (let d = h.indexOf('.'); d >= 0; d = h.indexOf('.', d + 1)) {
        const f = pick(h.slice(d + 1), true);
        if (!f) continue;
        if (!rule) {
          rule = f;
          if (f[4] === null || pref(f[4])) break;
        } else if (f[4] !== null && pref(f[4])) {
          rule = f;
          break;
        }
      }
    const owner = rule?.[4] ?? null;
    // As in the page: a vendor route is held even on the site's own domain; the site and
    // allowed hosts pass.
    if (!owner && (rule || h === S.$pageHost$ || site(h) === S.$pageSite$)) return false;
    const held = owner ? !S.$allowed$.includes(owner) : S.$blockUnregistered$ === 1;
    const key = `${held} ${owner} ${h} ${via}`;
    if (held || !seen.has(key)) {
      seen.add(key);
      report(u.href, via, held);
    }
    return held;
  };

  /** The prelude a worker script gets, with the current decisions. */
  const prelude = (sharedWorker: boolean) =>
    `(${workerGuard})(${JSON.stringify({ ...state(), $shared$: sharedWorker ? 1 : undefined })});\n`;

  /** A data: URL's script, percent- and base64-decoded leniently, as the browser does. */
  const dataText = (src: string): string => {
    const comma = src.indexOf(',');
    const b = new TextEncoder().encode(src.slice(comma + 1));
    const bytes: number[] = [];
    for (let i = 0; i < b.length; i++) {
      const hex = String.fromCharCode(b[i + 1] ?? 0, b[i + 2] ?? 0);
      if (b[i] === 37 && /^[0-9a-f]{2}$/i.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        i += 2;
      } else bytes.push(b[i]!);
    }
    let out = Uint8Array.from(bytes);
    if (/;base64$/i.test(src.slice(0, comma)))
      out = Uint8Array.from(atob(String.fromCharCode(...out).replace(/\s/g, '')), (c) => c.charCodeAt(0));
    return new TextDecoder().decode(out);
  };

  /**
   * The rebuilt worker script: the prelude, then the page's script in the same file (not
   * loaded with importScripts, which a strict script-src would refuse). A blob is joined as
   * the Blob object, so the page revoking its URL right after `new Worker()` changes nothing; a
   * data: worker stays a data: URL and keeps its opaque origin. A shared worker's identity is
   * its URL, so each of its URLs is rebuilt once and kept.
   */
  const rebuilt = new Map<string, string>();
  const wrapScript = (src: string, module: boolean, sharedWorker: boolean): string => {
    const key = `${module} ${src}`;
    let out = sharedWorker ? rebuilt.get(key) : undefined;
    if (out) return out;
    const head = prelude(sharedWorker);
    if (/^data:/i.test(src)) out = `data:text/javascript,${encodeURIComponent(head + dataText(src))}`;
    else {
      const blob = blobs.get(src);
      // A blob URL made where the guard did not see it (another realm): loaded after the prelude.
      const inner = JSON.stringify(src);
      const body = blob ?? (module ? `await import(${inner});` : `importScripts(${inner});`);
      out = createURL.call(g.URL, new g.Blob([head, body], { type: 'text/javascript' }));
    }
    if (sharedWorker) rebuilt.set(key, out);
    return out;
  };

  const createURL = g.URL.createObjectURL;
  const revokeURL = g.URL.revokeObjectURL;
  if (createURL) {
    g.URL.createObjectURL = function createObjectURL(obj: Blob | MediaSource) {
      const url = createURL.call(this, obj);
      if (typeof (obj as Blob).stream === 'function') blobs.set(url, obj as Blob);
      return url;
    };
    g.URL.revokeObjectURL = function revokeObjectURL(url: string) {
      blobs.delete(url);
      return revokeURL.call(this, url);
    };
  }

  let policy: { createScriptURL(url: string): unknown } | undefined;
  const trusted = (url: string): unknown => {
    if (link) return link.trust(url);
    const tt = (g as { trustedTypes?: { createPolicy(n: string, r: object): typeof policy } }).trustedTypes;
    try {
      policy ??= tt?.createPolicy('allparty', { createScriptURL: (u: string) => u });
    } catch {
      // not allowed by the site's trusted-types list: the plain URL, which enforcement refuses
    }
    return policy ? policy.createScriptURL(url) : url;
  };

  for (const name of ['Worker', 'SharedWorker'] as const) {
    const Orig = g[name] as unknown as (new (...a: unknown[]) => Worker | SharedWorker) | undefined;
    if (typeof Orig !== 'function') continue;
    const W = function (this: unknown, ...args: unknown[]): Worker | SharedWorker {
      if (!new.target) throw new TypeError(`Failed to construct '${name}': Please use the 'new' operator`);
      const src = String(args[0]);
      // Read once: what was checked is what is used (a TrustedScriptURL cannot change).
      const tt = (g as { trustedTypes?: { isScriptURL(v: unknown): boolean } }).trustedTypes;
      if (!tt?.isScriptURL(args[0])) args[0] = src;
      const opts = args[1];
      const module = typeof opts === 'object' && opts !== null && (opts as WorkerOptions).type === 'module';
      const inline = /^(blob|data):/i.test(src);
      if (!inline && (link ? link.held(src) : no(src, 'worker')))
        throw new g.DOMException(
          'allparty held a worker script from a vendor without consent',
          'SecurityError',
        );
      if (inline) {
        const url = wrapScript(src, module, name === 'SharedWorker');
        // Under Trusted Types the page passed a TrustedScriptURL: so does the guard, through
        // its own policy (a site's `trusted-types` list must name "allparty").
        args[0] = typeof args[0] === 'string' ? url : trusted(url);
      }
      const w = Reflect.construct(Orig, args, new.target === (W as unknown) ? Orig : new.target) as
        | Worker
        | SharedWorker;
      if (inline && name === 'Worker') {
        // The worker has its script's URL from here on: ours goes, with the memory it holds.
        if (/^blob:/.test(args[0] as string)) revokeURL.call(g.URL, args[0] as string);
        const ch = new g.MessageChannel();
        ports.add(ch.port1);
        portOf.set(w, ch.port1);
        ch.port1.onmessage = (e) => {
          const [url, via, held] = e.data as [string, string, boolean];
          report(url, via, held);
        };
        (w as Worker).postMessage([TAG, state().$allowed$], [ch.port2]);
      } else if (inline) shared ??= new g.BroadcastChannel(TAG);
      return w;
    } as unknown as typeof Orig;
    if (name === 'Worker') {
      const terminate = (Orig.prototype as Worker).terminate;
      (Orig.prototype as Worker).terminate = function (this: Worker) {
        const port = portOf.get(this);
        if (port) {
          port.close();
          ports.delete(port);
        }
        return terminate.call(this);
      };
    }
    Object.defineProperty(W, 'name', { value: name });
    W!.prototype = Orig.prototype;
    Object.setPrototypeOf(W, Orig);
    (g as unknown as Record<string, unknown>)[name] = W;
  }
  if (link) return update;

  // In the worker: decisions arrive on the first message's port (dedicated) or a channel (shared).
  const hear = (allowed: string[]) => update(allowed);
  if (S.$shared$) new BroadcastChannel(TAG).onmessage = (e) => hear(e.data as string[]);
  else
    g.addEventListener('message', (e: Event) => {
      const m = e as MessageEvent;
      if (up || !Array.isArray(m.data) || m.data[0] !== TAG || !m.ports[0]) return;
      e.stopImmediatePropagation();
      up = m.ports[0];
      up.onmessage = (d) => hear(d.data as string[]);
      hear(m.data[1] as string[]);
      for (const q of queue.splice(0)) up.postMessage(q);
    });

  const fetch = g.fetch;
  g.fetch = (input: RequestInfo | URL, opts?: RequestInit) => {
    // Read once: a Request's URL cannot change; anything else goes on as the string checked.
    let url: string;
    try {
      url = Object.getOwnPropertyDescriptor(Request.prototype, 'url')!.get!.call(input);
    } catch {
      input = url = String(input);
    }
    return no(url, 'fetch')
      ? Promise.reject(new TypeError(`Failed to fetch: ${msg}`))
      : fetch.call(g, input, opts);
  };
  const open = g.XMLHttpRequest?.prototype.open;
  if (open)
    g.XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
      args[1] = String(args[1]);
      if (no(args[1] as string, 'xhr')) args[1] = 'data:';
      return (open as (...a: unknown[]) => void).apply(this, args);
    };
  const load = g.importScripts;
  if (load)
    g.importScripts = function (...args: unknown[]) {
      const urls = args.map(String);
      for (const u of urls) if (no(u, 'script')) throw new DOMException(msg, 'NetworkError');
      return load.apply(this, urls);
    };
  for (const [name, via] of [
    ['WebSocket', 'websocket'],
    ['EventSource', 'eventsource'],
    ['WebTransport', 'websocket'],
  ] as const) {
    const Orig = g[name] as (new (...a: unknown[]) => object) | undefined;
    if (typeof Orig !== 'function') continue;
    const C = function (this: unknown, ...args: unknown[]): object {
      if (!new.target) throw new TypeError(`Failed to construct '${name}': Please use the 'new' operator`);
      args[0] = String(args[0]);
      if (no(args[0] as string, via)) throw new DOMException(msg, 'SecurityError');
      return Reflect.construct(Orig, args, new.target === (C as unknown) ? Orig : new.target);
    } as unknown as typeof Orig;
    C!.prototype = Orig.prototype;
    Object.setPrototypeOf(C, Orig);
    (g as unknown as Record<string, unknown>)[name] = C;
  }
  return update;
}
