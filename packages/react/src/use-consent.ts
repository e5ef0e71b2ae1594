import type { Choices, PurposeId } from '@allparty/core';
import { useSyncExternalStore } from 'react';
import { useConsentStore } from './provider';
import type { ConsentSnapshot } from './source';

/** What {@link useConsent} returns. Before the instance is known (server, hydration) `ready` is false and nothing is granted. */
export interface ConsentHandle {
  /** Whether the consent instance is known (false on the server and in the hydrating render). */
  ready: boolean;
  /** The current consent view, or null while not ready. */
  state: ConsentSnapshot | null;
  /** Whether a purpose (and, if named, a vendor of it) is granted; false while not ready. */
  has(purpose: PurposeId, vendor?: string): boolean;
  /** The page API's calls; each returns false (recording nothing) while not ready or when refused. */
  acceptAll(): boolean;
  rejectAll(): boolean;
  set(choices: Choices): boolean;
  withdraw(purposes?: readonly PurposeId[]): boolean;
  /** Opens the banner (or the preferences); does nothing while not ready. */
  show(options?: { preferences?: boolean }): void;
}

const noSubscription = () => () => {};
const nothing = () => null;

/** The visitor's consent, re-rendering on every change (`on('change')` through `useSyncExternalStore`). */
export function useConsent(): ConsentHandle {
  const entry = useConsentStore();
  const state = useSyncExternalStore(
    entry ? entry.store.subscribe : noSubscription,
    entry ? entry.store.snapshot : nothing,
    nothing,
  );
  const source = entry?.source;
  if (!source || !state)
    return {
      ready: false,
      state: null,
      has: () => false,
      acceptAll: () => false,
      rejectAll: () => false,
      set: () => false,
      withdraw: () => false,
      show: () => {},
    };
  return {
    ready: true,
    state,
    has: (purpose, vendor) => source.has(purpose, vendor),
    acceptAll: () => source.acceptAll(),
    rejectAll: () => source.rejectAll(),
    set: (choices) => source.set(choices),
    withdraw: (purposes) => source.withdraw(purposes),
    show: (options) => source.show(options),
  };
}
