import type { Choices, ConsentView, PurposeId } from '@allparty/core';

/** The consent state a component sees: the view of `get()`, as the embed and the core return it. */
export type ConsentSnapshot = ConsentView;

/**
 * What the provider needs of a consent instance: the methods `window.allparty` (the script-tag
 * embed) and a core `createConsent()` instance both have (DESIGN.md, "Global API").
 */
export interface ConsentSource {
  get(): ConsentSnapshot;
  has(purpose: PurposeId, vendor?: string): boolean;
  acceptAll(): boolean;
  rejectAll(): boolean;
  set(choices: Choices): boolean;
  withdraw(purposes?: readonly PurposeId[]): boolean;
  show(options?: { preferences?: boolean }): void;
  on(event: 'change', fn: (view: ConsentSnapshot) => void): () => void;
}

/**
 * A source as a store for `useSyncExternalStore`: the snapshot is read once per change, so every
 * render between two changes sees the same object (the core's `get()` builds a new one per call).
 */
export interface ConsentStore {
  subscribe(onChange: () => void): () => void;
  snapshot(): ConsentSnapshot;
}

export function createStore(source: ConsentSource): ConsentStore {
  let current = source.get();
  const listeners = new Set<() => void>();
  let off: (() => void) | null = null;
  return {
    subscribe(onChange) {
      listeners.add(onChange);
      if (!off)
        off = source.on('change', () => {
          current = source.get();
          for (const listener of listeners) listener();
        });
      // A change between the first snapshot and this subscription must not be lost.
      const now = source.get();
      if (!sameView(now, current)) {
        current = now;
        onChange();
      }
      return () => {
        listeners.delete(onChange);
        if (listeners.size === 0 && off) {
          off();
          off = null;
        }
      };
    },
    snapshot: () => current,
  };
}

function sameView(a: ConsentSnapshot, b: ConsentSnapshot): boolean {
  const flat = (v: ConsentSnapshot) =>
    JSON.stringify([v.purposes, v.vendors, v.pendingPurposes, v.pendingVendors, v.needsDecision]);
  return flat(a) === flat(b);
}

/** The embed's instance when the script tag ran on this page (read only in the browser, after mount). */
export function pageSource(): ConsentSource | null {
  const candidate: unknown = (globalThis as { allparty?: unknown }).allparty;
  return isSource(candidate) ? candidate : null;
}

function isSource(value: unknown): value is ConsentSource {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['get', 'has', 'acceptAll', 'rejectAll', 'set', 'withdraw', 'show', 'on'].every(
    (name) => typeof v[name] === 'function',
  );
}
