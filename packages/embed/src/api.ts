import type { Consent, ConsentEventName, ConsentEvents, Guard } from '@allparty/core';

/** `window.allparty`: the instance API from DESIGN.md, bound to the page's consent. */
export function createApi(consent: Consent): AllpartyApi {
  return {
    get: () => consent.get(),
    has: (purpose: string, vendor?: string) => consent.has(purpose, vendor),
    acceptAll: () => consent.acceptAll(),
    rejectAll: () => consent.rejectAll(),
    set: (choices: Parameters<Consent['set']>[0]) => consent.set(choices),
    withdraw: (purposes?: readonly string[]) => consent.withdraw(purposes),
    show: (options?: { preferences?: boolean }) => consent.show(options),
    on: <E extends ConsentEventName>(event: E, fn: (detail: ConsentEvents[E]) => void) =>
      consent.on(event, fn),
    ledger: () => consent.ledger(),
    consent,
  };
}

/** `window.allparty`. */
export interface AllpartyApi {
  get(): ReturnType<Consent['get']>;
  has(purpose: string, vendor?: string): boolean;
  acceptAll(): boolean;
  rejectAll(): boolean;
  set(choices: Parameters<Consent['set']>[0]): boolean;
  withdraw(purposes?: readonly string[]): boolean;
  show(options?: { preferences?: boolean }): void;
  on<E extends ConsentEventName>(event: E, fn: (detail: ConsentEvents[E]) => void): () => void;
  ledger(): ReturnType<Consent['ledger']>;
  /** The consent instance (null when the config is broken and nothing can be granted). */
  consent: Consent | null;
}

/** The API when the config is broken: nothing can be granted; every call says why. */
export function failClosedApi(guard: Guard): AllpartyApi {
  const refuse = () => {
    console.error(
      'allparty: the config is invalid (see the error above); nothing can be granted until it is fixed.',
    );
    return false;
  };
  const view = {
    purposes: { necessary: true },
    vendors: {},
    pendingPurposes: [],
    pendingVendors: [],
    needsDecision: false,
    subject: '',
    record: null,
    gpc: false,
  };
  return {
    get: () => view,
    has: (purpose: string) => purpose === 'necessary',
    acceptAll: refuse,
    rejectAll: refuse,
    set: refuse,
    withdraw: refuse,
    show: () => {
      refuse();
    },
    on: () => () => {},
    ledger: () => guard.ledger(),
    consent: null,
  };
}
