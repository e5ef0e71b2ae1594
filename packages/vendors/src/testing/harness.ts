/**
 * Test harness for adapters (tests only; not exported from the package): a real consent instance,
 * a clean page between tests, and one table-driven suite that every adapter runs through.
 */
import {
  type Consent,
  type ConsentOptions,
  createConsent,
  memoryStorage,
  parseConfig,
  type VendorSettings,
} from '@allparty/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { descriptorOf } from '../generate';
import { urlMatches } from '../lib/hosts';
import { nameMatcher } from '../lib/purge';
import { VENDOR_ATTRIBUTE } from '../lib/script';
import type { AdapterContext, VendorAdapter } from '../types';
import { sourceManifests as manifests } from './adapters';

export const NONCE = 'n0nce-test';

/** The window's globals, for assertions. */
export const w = window as unknown as Record<string, unknown>;

// happy-dom never fetches scripts or frames here (hermetic); without this it logs an error for
// every vendor script an adapter inserts. Tests fire `load` themselves when they need it.
(
  window as unknown as { happyDOM: { settings: { handleDisabledFileLoadingAsSuccess: boolean } } }
).happyDOM.settings.handleDisabledFileLoadingAsSuccess = true;

const baseline = new Set(Object.getOwnPropertyNames(window));
const originalFetch = window.fetch;

/** Puts the page back as it was: globals, DOM, cookies, storage, URL. */
export function resetPage(): void {
  for (const key of Object.getOwnPropertyNames(window))
    if (!baseline.has(key)) Reflect.deleteProperty(window, key);
  window.fetch = originalFetch;
  document.head.replaceChildren();
  document.body.replaceChildren();
  for (const el of [document.documentElement, document.body]) {
    el.removeAttribute('class');
    for (const attr of [...el.attributes]) if (attr.name !== 'lang') el.removeAttribute(attr.name);
  }
  for (const name of document.cookie
    .split(';')
    .map((c) => c.split('=')[0]!.trim())
    .filter(Boolean)) {
    setCookie(`${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`);
    setCookie(`${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/; domain=example.com`);
  }
  localStorage.clear();
  sessionStorage.clear();
  setUrl('https://www.shop.example.com/products/list?q=secret#top');
}

/** Writes a raw cookie string, as a vendor's script would. */
export function setCookie(raw: string): void {
  // biome-ignore lint/suspicious/noDocumentCookie: the test plays the vendor, which writes cookies this way.
  document.cookie = raw;
}

/** Moves the test page to a URL (happy-dom). */
export function setUrl(url: string): void {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
}

/** A real consent instance with the vendor configured, every purpose granted unless told otherwise. */
export function makeConsent(
  id: string,
  settings: VendorSettings,
  options: { grant?: boolean; gpc?: boolean; purposes?: readonly string[] } = {},
): Consent {
  const parsed = parseConfig({ vendors: { [id]: settings } }, { vendors: manifests.map(descriptorOf) });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const consentOptions: ConsentOptions = {
    config: parsed.config,
    vendors: manifests.map(descriptorOf),
    storage: memoryStorage(),
    userActivation: () => true,
    gpc: () => options.gpc === true,
    console: { warn() {}, error() {}, info() {} },
  };
  const consent = createConsent(consentOptions);
  if (options.grant !== false) {
    if (options.purposes)
      consent.set({
        purposes: Object.fromEntries(options.purposes.map((p) => [p, true])),
        vendors: { [id]: true },
      });
    else consent.acceptAll();
  }
  return consent;
}

/** An adapter context for a vendor and settings. */
export function contextFor(id: string, settings: VendorSettings, consent?: Consent): AdapterContext {
  return { consent: consent ?? makeConsent(id, settings), settings, nonce: NONCE };
}

/** The scripts an adapter inserted. */
export function vendorScripts(id: string): HTMLScriptElement[] {
  return [...document.querySelectorAll<HTMLScriptElement>(`script[${VENDOR_ATTRIBUTE}]`)].filter(
    (s) => s.getAttribute(VENDOR_ATTRIBUTE) === id,
  );
}

/** Fires the load event of the adapter's script, as if the vendor's code had arrived. */
export function fireLoad(id: string): void {
  const script = vendorScripts(id)[0];
  if (!script) throw new Error(`no script for ${id}`);
  script.dispatchEvent(new Event('load'));
}

/** Turns queued entries (arrays or Arguments objects) into plain arrays for comparison. */
export function entries(queue: unknown): unknown[][] {
  if (!Array.isArray(queue)) throw new Error(`not a queue: ${String(queue)}`);
  return queue.map((e) =>
    Array.isArray(e) || Object.prototype.toString.call(e) === '[object Arguments]'
      ? Array.from(e as ArrayLike<unknown>)
      : [e],
  );
}

/** Reads `a.b.c` from the window. */
export function read(path: string): unknown {
  let value: unknown = window;
  for (const key of path.split('.')) {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** What one adapter's behaviour test needs to know. */
export interface AdapterCase {
  /** Settings for the happy path. @default { siteId: manifest.configId.example } plus required option examples */
  settings?: VendorSettings;
  /** The script URL `load` inserts (exact, or a pattern), or null for embeds that insert none. */
  src: string | RegExp | null;
  /** Extra attributes the snippet sets on its script. */
  scriptAttributes?: Record<string, string>;
  /** Assertions after `load`: globals and queues as the official snippet sets them, and the private settings. */
  loaded(context: AdapterContext): void;
  /** Simulates the vendor's code arriving (stubs + load event) and asserts what the adapter does then. */
  vendorArrives?(context: AdapterContext): void;
  /** Installs stubs of the vendor's stop API after load; `stopped` asserts on them after `stop()`. */
  stopApi?: { install(): void; stopped(): void };
  /** A widget container the vendor renders, which `stop()` must remove. */
  widget?: string;
  /** Installs stubs `open()` needs (the vendor's API as if loaded). */
  beforeOpen?(): void;
  /** Asserts what `open()` queued or called (chat adapters). */
  opened?(): void;
  /** Further cases for this vendor (other settings, regions). */
  more?(): void;
}

/** Happy-path settings for an adapter: the id example plus every required option's example. */
export function exampleSettings(adapter: VendorAdapter): VendorSettings {
  const m = adapter.manifest;
  const settings: VendorSettings = {};
  if (m.configId) settings[m.configId.setting] = m.configId.example;
  for (const o of m.options ?? []) if (o.required) settings[o.name] = o.example;
  return settings;
}

/** A concrete cookie or key name for a declared one: `{id}` filled in, a suffix added to prefixes. */
export function concreteName(spec: { name: string; prefix?: boolean }, id: string): string {
  return spec.name.replaceAll('{id}', id) + (spec.prefix ? 'x1' : '');
}

/** Runs the shared behaviour suite for one adapter. */
export function describeAdapter(adapter: VendorAdapter, c: AdapterCase): void {
  const m = adapter.manifest;
  describe(`${m.id} adapter`, () => {
    beforeEach(resetPage);
    afterEach(() => vi.restoreAllMocks());
    const settings = () => c.settings ?? exampleSettings(adapter);

    it('loads as the official snippet does, with the private settings on', () => {
      const context = contextFor(m.id, settings());
      adapter.load(context);
      const scripts = vendorScripts(m.id);
      if (c.src === null) expect(scripts).toHaveLength(0);
      else {
        expect(scripts).toHaveLength(1);
        const script = scripts[0]!;
        const src = script.getAttribute('src') ?? '';
        if (typeof c.src === 'string') expect(src).toBe(c.src);
        else expect(src).toMatch(c.src);
        expect(script.nonce).toBe(NONCE);
        expect(script.async).toBe(true);
        for (const [name, value] of Object.entries(c.scriptAttributes ?? {}))
          expect(script.getAttribute(name)).toBe(value);
        // The script comes from a host the manifest declares, so the guard attributes it to this vendor.
        expect(urlMatches(m.hosts, src)).toBe(true);
      }
      c.loaded(context);
      if (c.vendorArrives) c.vendorArrives(context);
    });

    if (c.src !== null)
      it('loads its script with the site’s integrity hash and crossorigin, and a self-hosted copy where allowed (R32)', () => {
        const integrity = `sha512-${'Q'.repeat(86)}==`;
        adapter.load(contextFor(m.id, { ...settings(), integrity }));
        const script = vendorScripts(m.id)[0]!;
        expect(script.getAttribute('integrity')).toBe(integrity);
        expect(script.getAttribute('crossorigin')).toBe('anonymous');
        if (!m.pinning?.selfHost) return;
        resetPage();
        adapter.load(contextFor(m.id, { ...settings(), src: '/vendor/copy.js' }));
        expect(vendorScripts(m.id).map((s) => s.getAttribute('src'))).toEqual(['/vendor/copy.js']);
      });

    if (c.src !== null)
      it('never inserts the vendor twice', () => {
        const context = contextFor(m.id, settings());
        adapter.load(context);
        adapter.load(context);
        expect(vendorScripts(m.id)).toHaveLength(1);
      });

    it('loads nothing for { snippet: true } or invalid settings', () => {
      adapter.load(contextFor(m.id, { snippet: true }));
      expect(vendorScripts(m.id)).toHaveLength(0);
      if (m.configId) {
        const error = vi.spyOn(console, 'error').mockImplementation(() => {});
        const bad = { ...settings(), [m.configId.setting]: 'not a valid id!' };
        adapter.load({ consent: makeConsent(m.id, settings()), settings: bad, nonce: null });
        expect(vendorScripts(m.id)).toHaveLength(0);
        expect(error).toHaveBeenCalledWith(expect.stringContaining(`vendors.${m.id}.${m.configId.setting}`));
      }
    });

    it('stops through its shutdown API, removes its DOM and reports honestly whether it is gone', () => {
      const context = contextFor(m.id, settings());
      adapter.load(context);
      c.stopApi?.install();
      if (c.widget) {
        const widget = document.createElement('div');
        const id = /^#([\w-]+)$/.exec(c.widget)?.[1];
        if (id) widget.id = id;
        else widget.className = c.widget.replace(/^\./, '');
        document.body.append(widget);
      }
      // An element from the vendor's first host (a subdomain for wildcards; the path itself for path
      // prefixes). An image, not a frame: happy-dom logs every frame it may not load; frames are
      // matched by the same code (lib/script.test.ts).
      const frame = document.createElement('img');
      const host = m.hosts[0]!.replace(/^\*?\./, 'x.');
      frame.src = `https://${host}${host.includes('/') ? '' : '/pixel.gif'}`;
      document.body.append(frame);
      const result = adapter.stop(context);
      c.stopApi?.stopped();
      expect(vendorScripts(m.id)).toHaveLength(0);
      if (c.widget) expect(document.querySelector(c.widget)).toBeNull();
      expect(frame.isConnected).toBe(false);
      expect(result.unloaded).toBe(m.unloadWithoutReload === true);
      if (!result.unloaded) expect(result.reason).toBe(m.stopNote);
    });

    it('purges its declared cookies and storage keys (and prefixes), on parent domains too, and nothing else', () => {
      const s = settings();
      const id = m.configId ? String(s[m.configId.setting]) : '';
      const firstParty = m.cookies.filter((k) => !k.thirdParty);
      for (const [i, cookie] of firstParty.entries()) {
        const name = concreteName(cookie, id);
        // Half on the host, half on the registrable domain, as vendors set them.
        setCookie(i % 2 ? `${name}=1; path=/; domain=example.com` : `${name}=1; path=/`);
      }
      setCookie('site_session=keep; path=/');
      setCookie('cart=keep; path=/; domain=example.com');
      for (const key of m.storageKeys) {
        const storage = key.storage === 'local' ? localStorage : sessionStorage;
        storage.setItem(concreteName({ name: key.key, ...(key.prefix && { prefix: true }) }, id), '1');
      }
      localStorage.setItem('site-preferences', 'keep');
      sessionStorage.setItem('site-tab', 'keep');
      adapter.purge(contextFor(m.id, s));
      const left = document.cookie
        .split(';')
        .map((p) => p.split('=')[0]!.trim())
        .filter(Boolean);
      const kept = firstParty.filter((k) => k.optOut).map((k) => concreteName(k, id));
      expect(left.sort()).toEqual(['cart', 'site_session', ...kept].sort());
      const keys = (storage: Storage) => Array.from({ length: storage.length }, (_, i) => storage.key(i));
      expect(keys(localStorage)).toEqual(['site-preferences']);
      expect(keys(sessionStorage)).toEqual(['site-tab']);
    });

    if (m.cookies.some((k) => k.name.includes('{id}')))
      it('purges id-named cookies of any id when the page carries its own snippet', () => {
        const cookie = m.cookies.find((k) => k.name.includes('{id}'))!;
        const name = concreteName(cookie, '987654');
        setCookie(`${name}=1; path=/`);
        expect(nameMatcher(cookie, undefined)(name)).toBe(true);
        adapter.purge(contextFor(m.id, { snippet: true }));
        expect(document.cookie).not.toContain(name);
      });

    if (c.opened)
      it('opens the conversation after the chat-start consent', () => {
        const context = contextFor(m.id, settings());
        adapter.load(context);
        expect(adapter.open).toBeTypeOf('function');
        c.beforeOpen?.();
        adapter.open?.(context);
        c.opened?.();
      });

    c.more?.();
  });
}
