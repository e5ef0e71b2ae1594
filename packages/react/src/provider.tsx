/** @jsxImportSource react */
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { type ConsentSource, type ConsentStore, createStore, pageSource } from './source';

/**
 * Where the provider gets its consent instance, in this order: `window.allparty` when the
 * script-tag embed is on the page; else `consent`; else the instance `start()` returns (called
 * once, in the browser only, so a server render never starts anything).
 */
export interface ConsentProviderProps {
  /** A consent instance made by the app (a core `createConsent()` instance, or a test double). */
  consent?: ConsentSource;
  /**
   * Makes the instance when the page has no embed, e.g. `() => start(config)` once the core
   * offers one call: it runs after the first render, in the browser.
   */
  start?: () => ConsentSource | Promise<ConsentSource>;
  children?: ReactNode;
}

const StoreContext = createContext<{ source: ConsentSource; store: ConsentStore } | null>(null);

/**
 * Gives `useConsent()`, `<Gate>` and `<ClickToLoad>` their consent instance. The server and the
 * first (hydrating) render in the browser see no instance, so both render every gate's
 * fallback and never mismatch; the instance is found after mount.
 */
export function ConsentProvider({ consent, start, children }: ConsentProviderProps) {
  const [source, setSource] = useState<ConsentSource | null>(null);
  // `start` is called once per provider, whatever function identity each render passes.
  const startRef = useRef(start);
  startRef.current = start;
  const started = useRef<Promise<ConsentSource> | null>(null);
  useEffect(() => {
    const found = pageSource() ?? consent ?? null;
    const make = startRef.current;
    if (found || !make) {
      setSource(found);
      return;
    }
    started.current ??= Promise.resolve(make());
    let live = true;
    void started.current.then((made) => {
      if (live) setSource(made);
    });
    return () => {
      live = false;
    };
  }, [consent]);
  const value = useMemo(() => (source ? { source, store: createStore(source) } : null), [source]);
  return <StoreContext.Provider value={value}>{children}</StoreContext.Provider>;
}

/** The provider's instance and store, or null on the server, before mount, or without a provider. */
export function useConsentStore(): { source: ConsentSource; store: ConsentStore } | null {
  return useContext(StoreContext);
}
