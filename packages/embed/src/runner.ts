import {
  adapterChunk,
  CHUNK_GLOBALS,
  type Consent,
  chunkFile,
  loadScript,
  noticeChunk,
  VENDOR_LIB_CHUNK,
} from '@allparty/core';
import type { VendorAdapter, VendorNotice } from '@allparty/vendors';

/** Options for {@link createAdapterRunner}. */
export interface AdapterRunnerOptions {
  consent: Consent;
  /** Directory the embed was loaded from; adapter chunks sit in `vendors/` below it. */
  base: string;
  nonce: string | null;
  /** Holds a vendor's hosts again for the page view: its adapter refused it at load (R16). */
  hold: (vendor: string) => void;
}

declare global {
  interface Window {
    /** Adapter chunks register here when they run. */
    [CHUNK_GLOBALS.adapters]?: Record<string, VendorAdapter>;
    /** Set by `vendors/lib.js`, the helpers the adapter chunks share. */
    [CHUNK_GLOBALS.vendorLib]?: unknown;
    /** Notice chunks (`notices/<id>.js`) register here. */
    [CHUNK_GLOBALS.notices]?: Record<string, VendorNotice>;
  }
}

/**
 * Loads, stops and purges vendor adapters. Adapter code is a lazy chunk per vendor
 * (`vendors/<id>.js`), fetched from the embed's own origin only when the vendor is granted
 * or withdrawn, so the main bundle stays small.
 */
export function createAdapterRunner(options: AdapterRunnerOptions) {
  const { consent, base, nonce, hold } = options;
  const chunks = new Map<string, Promise<VendorAdapter | null>>();
  const loaded = new Set<string>();
  /** Vendor → its adapter once `load()` ran (chat `open` waits for it). */
  const ready = new Map<string, Promise<VendorAdapter | null>>();

  /** Loads one chunk from the embed's directory. */
  const script = (chunk: string) => loadScript(base + chunkFile(chunk), nonce);
  // The helpers every adapter shares, loaded once before the first adapter chunk.
  let lib: Promise<boolean> | null = null;

  function chunk(id: string): Promise<VendorAdapter | null> {
    let p = chunks.get(id);
    if (!p) {
      const existing = window.allpartyAdapters?.[id];
      if (!lib) lib = window.allpartyVendorLib ? Promise.resolve(true) : script(VENDOR_LIB_CHUNK);
      p = existing
        ? Promise.resolve(existing)
        : lib
            .then((ok) => ok && script(adapterChunk(id)))
            .then((ok) => (ok ? (window.allpartyAdapters?.[id] ?? null) : null));
      chunks.set(id, p);
    }
    return p;
  }

  const context = (id: string) => ({
    consent,
    settings: consent.config.vendors[id] ?? {},
    nonce,
    hold: () => hold(id),
  });

  function load(vendors: readonly string[]) {
    for (const id of vendors) {
      const settings = consent.config.vendors[id];
      // A snippet vendor's own tagged code is released by gating; the adapter injects nothing.
      if (!settings || settings.snippet || loaded.has(id)) continue;
      loaded.add(id);
      // `load` validates first and fails closed for this vendor (logging why); once the vendor has
      // started, an adapter that can read its live privacy settings may still refuse it (R16).
      const p = chunk(id).then((adapter) => {
        if (!adapter || !consent.get().vendors[id]) return null;
        if (adapter.load(context(id))) return adapter;
        // Settings only the adapter can check (a malformed `minimum`): the vendor stays held.
        hold(id);
        return null;
      });
      ready.set(id, p);
    }
  }

  function stop(vendors: readonly string[]) {
    for (const id of vendors) {
      loaded.delete(id);
      ready.delete(id);
      void chunk(id).then((adapter) => {
        if (!adapter) return;
        const result = adapter.stop(context(id));
        adapter.purge(context(id));
        if (!result.unloaded) {
          // R29: a vendor that cannot be unloaded gets a reload into the blocked state.
          consent.addLoad({
            kind: 'reload',
            vendor: id,
            host: '',
            via: 'resource',
            t: Math.round(performance.now()),
            record: null,
          });
          console.info(
            `allparty: reloading so ${adapter.manifest.name} stops (${result.reason ?? 'no runtime stop'})`,
          );
          location.reload();
        }
      });
    }
  }

  /**
   * What the banner's notice says about the given vendors: `notices/<id>.js` each (the first
   * visit's preload has usually run them already), not the adapters' code.
   */
  async function manifests(ids: readonly string[]) {
    const list = await Promise.all(
      ids.map(
        async (id) =>
          window.allpartyNotices?.[id] ||
          ((await script(noticeChunk(id))) && window.allpartyNotices?.[id]) ||
          null,
      ),
    );
    return list.filter((n): n is VendorNotice => n !== null);
  }

  /** Opens a chat vendor's conversation once its adapter has loaded it. */
  function open(id: string) {
    void (ready.get(id) ?? chunk(id)).then((adapter) => adapter?.open?.(context(id)));
  }

  return { load, stop, manifests, open };
}
