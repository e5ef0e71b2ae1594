/**
 * Declarative gating: elements the site tags itself stay inert until their purpose (and
 * vendor, if named) is granted.
 *   <script type="text/plain" data-allparty="replay" data-vendor="hotjar" [src=…]>
 *   <iframe data-src="…" data-allparty="video" data-vendor="youtube">, likewise img, video…
 * Scripts are released in document order, external ones executed one after another as the
 * parser would, with the CSP nonce carried over; nothing is released twice.
 */

/** Decides whether a tagged element may run: all its purposes and its vendor (if any) granted. */
export type GateCheck = (purposes: readonly string[], vendor: string | null) => boolean;

/** Options for {@link createGating}. */
export interface GatingOptions {
  document: Document;
  allowed: GateCheck;
  /** Called after each element is released. */
  onRelease?: (el: Element) => void;
}

/** The gating runner. */
export interface Gating {
  /** Releases every tagged element that is now allowed, in document order. */
  update(): void;
  /**
   * Starts watching the document for tagged elements as the parser adds them. Pass
   * `observe: false` when something else calls `schedule()` for inserted elements (the guard).
   */
  start(options?: { observe?: boolean }): void;
  /** Asks for an `update` at the end of the current task (batched). */
  schedule(): void;
  /** Puts released frames, images and media of purposes no longer granted back to sleep. */
  regate(): void;
}

import { HELD_PREFIX } from './guard/html';

const TAGGED =
  'script[type="text/plain"][data-allparty],[data-allparty][data-src],[data-allparty][data-srcset]';
const RELEASED = 'data-allparty-released';

const purposesOf = (el: Element) => (el.getAttribute('data-allparty') ?? '').split(/\s+/).filter(Boolean);
const vendorOf = (el: Element) => el.getAttribute('data-vendor') || null;

/** Creates the gating runner for a document. */
export function createGating(options: GatingOptions): Gating {
  const doc = options.document;
  const done = new WeakSet<Element>();
  const queue: HTMLScriptElement[] = [];
  let running = false;

  const allowed = (el: Element) => {
    const purposes = purposesOf(el);
    return purposes.length > 0 && options.allowed(purposes, vendorOf(el));
  };

  function update() {
    for (const el of doc.querySelectorAll(TAGGED)) {
      if (done.has(el) || el.hasAttribute(RELEASED) || !allowed(el)) continue;
      // An inline script the parser is still filling in waits for its end tag.
      if (el.nodeName === 'SCRIPT' && !parsed(el)) continue;
      done.add(el);
      if (el.nodeName === 'SCRIPT') queue.push(el as HTMLScriptElement);
      else wake(el);
    }
    pump();
  }

  function wake(el: Element) {
    for (const attr of ['srcset', 'src'] as const) {
      const value = el.getAttribute(`data-${attr}`);
      if (value === null) continue;
      el.setAttribute(attr, value);
    }
    el.setAttribute(RELEASED, '');
    options.onRelease?.(el);
  }

  /** Runs queued scripts one at a time; an external script blocks the next until it loads or fails. */
  function pump() {
    if (running) return;
    const old = queue.shift();
    if (!old) return;
    if (!old.isConnected) {
      pump();
      return;
    }
    const script = doc.createElement('script');
    for (const a of old.attributes)
      if (a.name !== 'type' && a.name !== 'nonce' && !a.name.startsWith(HELD_PREFIX))
        script.setAttribute(a.name, a.value);
    const type = old.getAttribute('data-type');
    if (type) script.setAttribute('type', type);
    script.nonce = old.nonce ?? '';
    script.setAttribute(RELEASED, '');
    // The guard may have set a vendor URL aside (a tag written by innerHTML or document.write).
    const src = old.getAttribute('src') ?? old.getAttribute(`${HELD_PREFIX}src`);
    if (src !== null) {
      script.async = false;
      running = true;
      const next = () => {
        running = false;
        pump();
      };
      script.addEventListener('load', next, { once: true });
      script.addEventListener('error', next, { once: true });
      script.removeAttribute('src');
      script.src = src; // through the guard: a vendor host still needs its vendor granted
      old.replaceWith(script);
      // Held by the guard (its vendor is not granted): it will never load; don't wait for it.
      if (!script.hasAttribute('src')) next();
    } else {
      script.text = old.text;
      old.replaceWith(script);
    }
    options.onRelease?.(script);
    pump();
  }

  function regate() {
    for (const el of doc.querySelectorAll(`[${RELEASED}][data-allparty]`)) {
      if (el.nodeName === 'SCRIPT' || allowed(el)) continue;
      for (const attr of ['srcset', 'src'] as const) {
        if (el.getAttribute(`data-${attr}`) === null) continue;
        el.removeAttribute(attr);
      }
      el.removeAttribute(RELEASED);
      done.delete(el);
      // A frame's document runs on until a navigation away from it commits, and can still send
      // in that time: a fresh, empty copy in its place discards it at once.
      if (el.nodeName === 'IFRAME' || el.nodeName === 'FRAME') el.replaceWith(el.cloneNode(false));
    }
  }

  function parsed(el: Element): boolean {
    if (doc.readyState !== 'loading') return true;
    for (let n: Node | null = el; n && n !== doc; n = n.parentNode) if (n.nextSibling) return true;
    return false;
  }

  let scheduled = false;
  /** Runs `update` once at the end of the current task, however often it is asked for. */
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      update();
    });
  }

  function start(opts: { observe?: boolean } = {}) {
    update();
    if (doc.readyState !== 'loading') return;
    if (opts.observe === false) {
      doc.addEventListener('DOMContentLoaded', update, { once: true });
      return;
    }
    // While the parser runs, watch for tagged elements; afterwards elements inserted by script
    // arrive through `schedule()` (the guard's insertion hooks call it), at no cost to other DOM work.
    const mo = new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes)
          if (
            n.nodeType === 1 &&
            ((n as Element).hasAttribute('data-allparty') || (n as Element).firstElementChild)
          )
            return schedule();
    });
    mo.observe(doc, { childList: true, subtree: true });
    doc.addEventListener(
      'DOMContentLoaded',
      () => {
        mo.disconnect();
        update();
      },
      { once: true },
    );
  }

  return { update, schedule, start, regate };
}
