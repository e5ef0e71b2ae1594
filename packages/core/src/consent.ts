import type { AllpartyConfig } from './config';
import type { ControlId } from './controls';
import { subjectId, uuidv7 } from './ids';
import { normalizeNoticeText, noticeFingerprints, noticeHash, stableStringify } from './notice';
import { NECESSARY, type PurposeId } from './purposes';
import { type ConsentRecord, type LoadEvent, RECORD_SCHEMA } from './record';
import {
  bulkChoices,
  type Choices,
  type ConsentContext,
  type ConsentEffect,
  type ConsentEvent,
  type ConsentState,
  type ConsentView,
  checkChoices,
  type DecisionMethod,
  gpcOptOut,
  initialState,
  type RecordEvent,
  transition,
  view,
} from './state';
import { type ConsentStorage, decodeState, encodeState } from './storage';
import type { VendorDescriptor } from './vendor';

/** The SDK version written into records. */
export const SDK_VERSION = '0.1.0';

/** Events a consent instance emits. */
export interface ConsentEvents {
  /** The consent view changed (any decision, or a withdrawal). */
  change: ConsentView;
  /** A record was made; the record queue sends it. */
  record: ConsentRecord;
  /** Vendors/purposes newly granted: release their elements and adapters. */
  release: { vendors: string[]; purposes: PurposeId[] };
  /** Vendors/purposes no longer granted: stop and purge them. */
  stop: { vendors: string[]; purposes: PurposeId[] };
  /** The UI should open (first layer, or preferences when `preferences` is true). */
  show: { preferences: boolean };
  /** A call was refused (a grant without user activation, an unknown purpose or vendor); nothing was recorded. */
  refused: { reason: string };
  /** A load-ledger entry was added. */
  load: LoadEvent;
}

export type ConsentEventName = keyof ConsentEvents;

/** Options that identify where a decision came from. */
export interface DecisionOptions {
  /** The UI control whose click made it (`accept-all`, `reject-all`, `save`, `chat-accept`, …). */
  control?: ControlId;
  /** Record it as this event (`chat-start`) instead of given/refused/partial. */
  event?: RecordEvent;
}

/** Options for {@link createConsent}. */
export interface ConsentOptions {
  config: AllpartyConfig;
  /** Descriptors of the configured vendors (others are ignored). */
  vendors: readonly VendorDescriptor[];
  storage: ConsentStorage;
  /** @default Date.now */
  now?: () => number;
  /** Whether the page has transient user activation now. @default navigator.userActivation.isActive */
  userActivation?: () => boolean;
  /** Whether Global Privacy Control is on. @default navigator.globalPrivacyControl === true */
  gpc?: () => boolean;
  /** The page, for records (query string and fragment are never used). @default location */
  page?: () => { origin: string; path: string };
  /** Adapter versions for records. @default {} */
  adapterVersions?: Record<string, string>;
  /** Where warnings go. @default console */
  console?: Pick<Console, 'warn' | 'error' | 'info'>;
}

/** A consent instance: the state, the API of `window.allparty`, and events. */
export interface Consent {
  /** The current view: granted purposes and vendors, and what is pending. */
  get(): ConsentView & { subject: string; record: string | null; gpc: boolean };
  /** Whether a purpose (and, if named, a vendor for it) is granted. */
  has(purpose: PurposeId, vendor?: string): boolean;
  /**
   * Grants every purpose and configured vendor (under Global Privacy Control, all but the GPC
   * purposes and their vendors, which stay off). Returns false if refused (no user activation).
   */
  acceptAll(options?: DecisionOptions): boolean;
  /** Refuses every optional purpose and vendor. */
  rejectAll(options?: DecisionOptions): boolean;
  /**
   * Records a partial choice. A vendor granted here also grants the purposes it needs (its other
   * vendors keep their own choice). Returns false, records nothing and warns when the call is
   * refused: a grant without a user gesture, an unknown purpose, a vendor not configured, or a
   * vendor granted while its purpose is refused in the same call.
   */
  set(choices: Choices, options?: DecisionOptions): boolean;
  /** Withdraws the given purposes (default: all). Never refused. */
  withdraw(purposes?: readonly PurposeId[], options?: DecisionOptions): boolean;
  /** Asks the UI to open; `preferences` opens the preference center. */
  show(options?: { preferences?: boolean }): void;
  /** Subscribes to an event; returns an unsubscribe function. */
  on<E extends ConsentEventName>(event: E, fn: (detail: ConsentEvents[E]) => void): () => void;
  /** The load ledger of this page view. */
  ledger(): LoadEvent[];
  /** Adds a load-ledger entry (the guard and adapters call this). */
  addLoad(entry: LoadEvent): void;
  /** Tells the core the exact text the visitor is shown, so records carry its hash. */
  setNotice(text: string, language: string): string;
  /** Notice texts by hash, for sending each once to the log. */
  noticeText(hash: string): string | undefined;
  /** The parsed config. */
  readonly config: AllpartyConfig;
  /** Purposes shown to visitors and the vendors of each. */
  readonly context: ConsentContext;
  /** Descriptors of configured vendors. */
  readonly vendors: readonly VendorDescriptor[];
}

/**
 * Creates a consent instance. Reads stored consent synchronously, so a returning visitor's
 * grants are known before any gated element may run.
 */
export function createConsent(options: ConsentOptions): Consent {
  const { config, storage } = options;
  const now = options.now ?? Date.now;
  const out = options.console ?? console;
  const hasActivation =
    options.userActivation ??
    (() =>
      typeof navigator !== 'undefined' && navigator.userActivation
        ? navigator.userActivation.isActive
        : false);
  const gpc =
    options.gpc ??
    (() =>
      typeof navigator !== 'undefined' &&
      (navigator as { globalPrivacyControl?: unknown }).globalPrivacyControl === true);
  const page =
    options.page ??
    (() =>
      typeof location !== 'undefined'
        ? { origin: location.origin, path: location.pathname }
        : { origin: '', path: '/' });

  const vendors = options.vendors.filter((v) => v.id in config.vendors);
  const vendorPurposes: Record<string, PurposeId[]> = {};
  for (const v of vendors) vendorPurposes[v.id] = [...(config.vendors[v.id]?.purposes ?? v.purposes)];
  const purposeSet = new Set<PurposeId>(Object.keys(config.purposes));
  for (const ps of Object.values(vendorPurposes)) for (const p of ps) purposeSet.add(p);
  purposeSet.delete(NECESSARY);
  const purposes = [...purposeSet];
  const context: ConsentContext = {
    purposes,
    vendors: vendorPurposes,
    fingerprints: noticeFingerprints(config, vendors, purposes),
    lifetime: config.expiryDays * 86_400_000,
  };

  const listeners = new Map<ConsentEventName, Set<(detail: never) => void>>();
  // Records made before anyone listens (an expiry found at start-up) wait for the first listener.
  const unheard: ConsentRecord[] = [];
  const emit = <E extends ConsentEventName>(event: E, detail: ConsentEvents[E]) => {
    if (event === 'record' && !listeners.get('record')?.size) unheard.push(detail as ConsentRecord);
    for (const fn of listeners.get(event) ?? []) {
      try {
        (fn as (d: ConsentEvents[E]) => void)(detail);
      } catch (error) {
        out.error('allparty: a listener failed', error);
      }
    }
  };

  const loads: LoadEvent[] = [];
  const notices = new Map<string, string>();
  let rendered: { hash: string; language: string } | null = null;
  const fallbackNotice = stableStringify({ notice: config.notice, fingerprints: context.fingerprints });

  let state: ConsentState = decodeState(storage.read()) ?? initialState(subjectId());

  const buildRecord = (effect: Extract<ConsentEffect, { type: 'record' }>): ConsentRecord => {
    let notice = rendered;
    if (!notice) {
      // No banner rendered it: a headless page shows its own text in [data-allparty-notice].
      const text = domNoticeText() ?? fallbackNotice;
      const hash = noticeHash(text);
      notices.set(hash, normalizeNoticeText(text));
      notice = { hash, language: config.language === 'auto' ? pageLanguage() : config.language };
    }
    const p = page();
    const adapters: Record<string, string> = {};
    for (const v of vendors) adapters[v.id] = options.adapterVersions?.[v.id] ?? SDK_VERSION;
    return {
      schema: RECORD_SCHEMA,
      id: uuidv7(now()),
      subject: state.subject,
      previous: state.lastRecord,
      clientTime: new Date(now()).toISOString(),
      event: effect.event,
      method: effect.method,
      purposes: effect.purposes,
      vendors: effect.vendors,
      notice: {
        id: config.notice.id,
        version: config.notice.version,
        language: notice.language,
        hash: notice.hash,
      },
      policy: config.policy,
      controller: config.controller,
      jurisdiction: config.jurisdiction
        ? { region: config.jurisdiction, source: 'config' }
        : { region: null, source: 'unknown' },
      gpc: gpc(),
      sdk: { version: SDK_VERSION, adapters },
      page: { origin: p.origin, path: p.path },
      // Kantara "termination": when a grant made here lapses and is asked again (R30).
      ...(Object.values(effect.purposes).some(Boolean)
        ? { expires: new Date(now() + context.lifetime).toISOString() }
        : {}),
    };
  };

  const run = (event: ConsentEvent) => {
    const result = transition(context, state, event);
    if (result.effects.length === 0) return;
    state = result.state;
    const deferred: Array<() => void> = [];
    for (const effect of result.effects) {
      switch (effect.type) {
        case 'store':
          break;
        case 'record': {
          const record = buildRecord(effect);
          state = { ...state, lastRecord: record.id };
          deferred.push(() => emit('record', record));
          break;
        }
        case 'release':
          deferred.push(() => emit('release', { vendors: effect.vendors, purposes: effect.purposes }));
          break;
        case 'stop':
          deferred.push(() => emit('stop', { vendors: effect.vendors, purposes: effect.purposes }));
          break;
      }
    }
    try {
      storage.write(encodeState(state));
    } catch (error) {
      out.error('allparty: could not store the decision', error);
    }
    for (const fn of deferred) fn();
    emit('change', current());
  };

  const current = () => ({
    ...view(context, state, now()),
    subject: state.subject,
    record: state.lastRecord,
    gpc: gpc(),
  });

  const method = (options: DecisionOptions | undefined): DecisionMethod => {
    if (options?.event === 'gpc-applied' && gpc()) return { type: 'gpc' };
    return options?.control
      ? { type: 'control', control: options.control }
      : { type: 'api', userActivation: hasActivation() };
  };

  /** § 7004 / R7: a grant needs an affirmative act; script without a user gesture is refused. */
  /** A call that cannot be carried out as asked: nothing is recorded, it returns false and says why. */
  const refuse = (reason: string): false => {
    out.warn(reason);
    emit('refused', { reason });
    return false;
  };

  const grantAllowed = (): boolean =>
    config.scriptGrants === 'allow' ||
    hasActivation() ||
    refuse(
      'allparty: a grant from script without a user gesture was refused; call it from a click handler, or set "scriptGrants": "allow" if your own UI records the gesture',
    );

  const decide = (choices: Choices, options: DecisionOptions | undefined): boolean => {
    const checked = checkChoices(context, choices, gpc());
    if (typeof checked === 'string') return refuse(checked);
    const { choices: chosen, implied } = checked;
    if (Object.values(chosen.purposes ?? {}).some(Boolean) && !grantAllowed()) return false;
    run({
      type: 'decide',
      choices: chosen,
      method: method(options),
      ...(options?.event ? { event: options.event } : {}),
      ...(implied.length ? { implied } : {}),
      now: now(),
    });
    return true;
  };

  const instance: Consent = {
    config,
    context,
    vendors,
    get: current,
    has(purpose, vendor) {
      const v = current();
      if (!v.purposes[purpose]) return false;
      if (vendor === undefined) return true;
      return v.vendors[vendor] === true && (vendorPurposes[vendor]?.includes(purpose) ?? false);
    },
    acceptAll: (options) => decide(bulkChoices(context, current(), true, gpc()), options),
    rejectAll: (options) => decide(bulkChoices(context, current(), false, gpc()), options),
    set: (choices, options) => decide(choices, options),
    withdraw(targets, options) {
      run({
        type: 'withdraw',
        ...(targets ? { purposes: targets } : {}),
        method: method(options),
        now: now(),
      });
      return true;
    },
    show(options) {
      emit('show', { preferences: options?.preferences === true });
    },
    on(event, fn) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(fn as (detail: never) => void);
      if (event === 'record') for (const r of unheard.splice(0)) (fn as (d: ConsentRecord) => void)(r);
      return () => set.delete(fn as (detail: never) => void);
    },
    ledger: () => loads.slice(),
    addLoad(entry) {
      loads.push(entry);
      emit('load', entry);
    },
    setNotice(text, language) {
      const hash = noticeHash(text);
      notices.set(hash, normalizeNoticeText(text));
      rendered = { hash, language };
      return hash;
    },
    noticeText: (hash) => notices.get(hash),
  };

  // Expired decisions are recorded as such and asked again (R30).
  run({ type: 'expire', now: now() });
  return instance;
}

/**
 * Applies Global Privacy Control (R27, § 7025): an opt-out of the GPC purposes (advertising),
 * recorded as `gpc-applied`. Never a grant; absence of GPC is never consent.
 */
export function applyGpc(consent: Consent): boolean {
  const v = consent.get();
  const off = v.gpc && gpcOptOut(consent.context, v);
  if (!off) return false;
  consent.set({ purposes: off }, { event: 'gpc-applied' });
  return true;
}

function domNoticeText(): string | null {
  if (typeof document === 'undefined') return null;
  const parts = [...document.querySelectorAll('[data-allparty-notice]')].map((el) => el.textContent ?? '');
  return parts.length ? parts.join(' ') : null;
}

function pageLanguage(): string {
  if (typeof document !== 'undefined' && document.documentElement.lang) return document.documentElement.lang;
  if (typeof navigator !== 'undefined' && navigator.language) return navigator.language;
  return 'en';
}
