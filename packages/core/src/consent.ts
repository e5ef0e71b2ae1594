import type { AllpartyConfig } from './config';
import { type ConsentEventName, type ConsentEvents, createEmitter } from './consent-events';
import type { ControlId } from './controls';
import { subjectId, uuidv7 } from './ids';
import { normalizeNoticeText, noticeFingerprints, noticeHash, stableStringify } from './notice';
import { NECESSARY, type PurposeId } from './purposes';
import { type ConsentRecord, type LoadEvent, RECORD_SCHEMA } from './record';

/** The SDK version written into records. */
export const SDK_VERSION = '0.1.0';

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
 * What the page tells the core, for its configured `vendors`: the purposes shown (every purpose of
 * those vendors and the site's own, never `necessary`), the purposes each vendor is used for here,
 * the notice fingerprints and the lifetime of a decision.
 */
export function consentContext(config: AllpartyConfig, vendors: readonly VendorDescriptor[]): ConsentContext {
  const vendorPurposes: Record<string, PurposeId[]> = {};
  for (const v of vendors) vendorPurposes[v.id] = [...(config.vendors[v.id]?.purposes ?? v.purposes)];
  const shown = new Set<PurposeId>(Object.keys(config.purposes));
  for (const ps of Object.values(vendorPurposes)) for (const p of ps) shown.add(p);
  shown.delete(NECESSARY);
  const purposes = [...shown];
  return {
    purposes,
    vendors: vendorPurposes,
    fingerprints: noticeFingerprints(config, vendors, purposes),
    lifetime: config.expiryDays * 86_400_000,
  };
}

/** Whether the page has transient user activation now (the browser's, when not injected). */
const browserActivation = () =>
  typeof navigator !== 'undefined' && navigator.userActivation ? navigator.userActivation.isActive : false;

/** Whether Global Privacy Control is on (the browser's, when not injected). */
const browserGpc = () =>
  typeof navigator !== 'undefined' &&
  (navigator as { globalPrivacyControl?: unknown }).globalPrivacyControl === true;

/** The page a record names (the browser's location, when not injected); never its query string. */
const browserPage = () =>
  typeof location !== 'undefined'
    ? { origin: location.origin, path: location.pathname }
    : { origin: '', path: '/' };

/**
 * Creates a consent instance. Reads stored consent synchronously, so a returning visitor's
 * grants are known before any gated element may run.
 */
export function createConsent(options: ConsentOptions): Consent {
  const { config, storage } = options;
  const now = options.now ?? Date.now;
  const hasActivation = options.userActivation ?? browserActivation;
  const gpc = options.gpc ?? browserGpc;
  const page = options.page ?? browserPage;
  const out = options.console ?? console;
  const vendors = options.vendors.filter((v) => v.id in config.vendors);
  const context = consentContext(config, vendors);
  const events = createEmitter(out);
  // The texts the visitor was shown, by hash, and the one the next record cites (set by the banner).
  const texts = new Map<string, string>();
  let rendered: { hash: string; language: string } | null = null;
  const keepText = (text: string) => {
    const hash = noticeHash(text);
    texts.set(hash, normalizeNoticeText(text));
    return hash;
  };
  const adapters: Record<string, string> = {};
  for (const v of vendors) adapters[v.id] = options.adapterVersions?.[v.id] ?? SDK_VERSION;
  const loads: LoadEvent[] = [];
  let state: ConsentState = decodeState(storage.read()) ?? initialState(subjectId());

  const current = () => ({
    ...view(context, state, now()),
    subject: state.subject,
    record: state.lastRecord,
    gpc: gpc(),
  });

  /**
   * The record of a decision. Without a banner (a headless page) it cites the page's own text in
   * `[data-allparty-notice]`, or failing that the config's notice identity and fingerprints.
   */
  const buildRecord = (effect: Extract<ConsentEffect, { type: 'record' }>): ConsentRecord => {
    const notice = rendered ?? {
      hash: keepText(
        domNoticeText() ?? stableStringify({ notice: config.notice, fingerprints: context.fingerprints }),
      ),
      language: config.language === 'auto' ? pageLanguage() : config.language,
    };
    const { origin, path } = page();
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
      page: { origin, path },
      // Kantara "termination": when a grant made here lapses and is asked again (R30).
      ...(Object.values(effect.purposes).some(Boolean)
        ? { expires: new Date(now() + context.lifetime).toISOString() }
        : {}),
    };
  };

  /** Runs an event through the state machine and applies its effects: store, record, then tell. */
  const run = (event: ConsentEvent) => {
    const result = transition(context, state, event);
    if (result.effects.length === 0) return;
    state = result.state;
    const told: Array<() => void> = [];
    for (const effect of result.effects) {
      if (effect.type === 'record') {
        const record = buildRecord(effect);
        state = { ...state, lastRecord: record.id };
        told.push(() => events.emit('record', record));
      } else if (effect.type !== 'store') {
        const { vendors, purposes } = effect;
        told.push(() => events.emit(effect.type, { vendors, purposes }));
      }
    }
    try {
      storage.write(encodeState(state));
    } catch (error) {
      out.error('allparty: could not store the decision', error);
    }
    for (const tell of told) tell();
    events.emit('change', current());
  };

  const method = (options: DecisionOptions | undefined): DecisionMethod => {
    if (options?.event === 'gpc-applied' && gpc()) return { type: 'gpc' };
    return options?.control
      ? { type: 'control', control: options.control }
      : { type: 'api', userActivation: hasActivation() };
  };

  /** A call that cannot be carried out as asked: nothing is recorded, it returns false and says why. */
  const refuse = (reason: string): false => {
    out.warn(reason);
    events.emit('refused', { reason });
    return false;
  };

  /** § 7004 / R7: a grant needs an affirmative act; script without a user gesture is refused. */
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
      return v.vendors[vendor] === true && (context.vendors[vendor]?.includes(purpose) ?? false);
    },
    acceptAll: (options) => decide(bulkChoices(context, current(), true, gpc()), options),
    rejectAll: (options) => decide(bulkChoices(context, current(), false, gpc()), options),
    set: decide,
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
      events.emit('show', { preferences: options?.preferences === true });
    },
    on: events.on,
    ledger: () => loads.slice(),
    addLoad(entry) {
      loads.push(entry);
      events.emit('load', entry);
    },
    setNotice(text, language) {
      rendered = { hash: keepText(text), language };
      return rendered.hash;
    },
    noticeText: (hash) => texts.get(hash),
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
