import type { ControlId } from './controls';
import { NECESSARY, type PurposeId } from './purposes';

/** One purpose's stored decision: granted or not, under which notice fingerprint, and when. */
export interface PurposeDecision {
  granted: boolean;
  /** Fingerprint of the notice section the decision was made under (see `noticeFingerprints`). */
  fingerprint: string;
  /** When it was decided, ms since the epoch. */
  at: number;
}

/** What is stored between page views. Pure data; no derived fields. */
export interface ConsentState {
  /** Pseudonymous subject id: random, first-party, never shared across sites. */
  subject: string;
  purposes: Record<PurposeId, PurposeDecision>;
  vendors: Record<string, boolean>;
  /** Id of the newest record, so the next one can chain to it. */
  lastRecord: string | null;
}

/** What the transitions need to know of the page: the active purposes, vendors and notice. */
export interface ConsentContext {
  /** Purposes shown to the visitor (never `necessary`). */
  purposes: readonly PurposeId[];
  /** Configured vendors with the purposes each is used for. */
  vendors: Readonly<Record<string, readonly PurposeId[]>>;
  /** Current notice fingerprint per purpose; a stored decision under another one is asked again. */
  fingerprints: Readonly<Record<PurposeId, string>>;
  /** How long a decision stays valid, in ms (R30). */
  lifetime: number;
}

/** The consent as the page sees it now: derived from state, context and the clock. */
export interface ConsentView {
  /** Granted purposes (always including `necessary`). */
  purposes: Record<PurposeId, boolean>;
  /** Configured vendors and whether each may load. */
  vendors: Record<string, boolean>;
  /** Purposes with no valid decision: never asked, notice changed, or expired. */
  pendingPurposes: PurposeId[];
  /** Vendors with no valid decision (a new vendor, or one whose purpose is pending). */
  pendingVendors: string[];
  /** Whether the visitor must be asked (anything pending). */
  needsDecision: boolean;
}

/** How a decision was made; it goes into the record as is. */
export type DecisionMethod =
  | { type: 'control'; control: ControlId }
  | { type: 'api'; userActivation: boolean }
  | { type: 'gpc' }
  | { type: 'expiry' };

/** Record events (R18). */
export type RecordEvent =
  | 'given'
  | 'refused'
  | 'partial'
  | 'withdrawn'
  | 'expired'
  | 'chat-start'
  | 'gpc-applied';

/** The visitor's choices, for some or all purposes and vendors. */
export interface Choices {
  purposes?: Record<PurposeId, boolean>;
  vendors?: Record<string, boolean>;
}

/** Inputs to {@link transition}. */
export type ConsentEvent =
  | {
      type: 'decide';
      choices: Choices;
      method: DecisionMethod;
      event?: RecordEvent;
      /**
       * Purposes in `choices` granted only because a vendor granted in it needs them: the other
       * vendors of such a purpose keep their stored choice instead of following it.
       */
      implied?: readonly PurposeId[];
      now: number;
    }
  | { type: 'withdraw'; purposes?: readonly PurposeId[]; method: DecisionMethod; now: number }
  | { type: 'expire'; now: number };

/** What a runner must do after a transition. */
export type ConsentEffect =
  | { type: 'store' }
  | {
      type: 'record';
      event: RecordEvent;
      method: DecisionMethod;
      purposes: Record<PurposeId, boolean>;
      vendors: Record<string, boolean>;
    }
  | { type: 'release'; vendors: string[]; purposes: PurposeId[] }
  | { type: 'stop'; vendors: string[]; purposes: PurposeId[] };

/** A fresh state for a first visit. */
export function initialState(subject: string): ConsentState {
  return { subject, purposes: {}, vendors: {}, lastRecord: null };
}

function validDecision(
  ctx: ConsentContext,
  state: ConsentState,
  purpose: PurposeId,
  now: number,
): PurposeDecision | null {
  const d = state.purposes[purpose];
  if (!d || d.fingerprint !== ctx.fingerprints[purpose] || now - d.at >= ctx.lifetime || d.at > now + DAY)
    return null;
  return d;
}

const DAY = 86_400_000;

/** Derives what is granted and what must still be asked. Pure. */
export function view(ctx: ConsentContext, state: ConsentState, now: number): ConsentView {
  const purposes: Record<PurposeId, boolean> = { [NECESSARY]: true };
  const pendingPurposes: PurposeId[] = [];
  for (const p of ctx.purposes) {
    const d = validDecision(ctx, state, p, now);
    purposes[p] = d?.granted ?? false;
    if (!d) pendingPurposes.push(p);
  }
  const vendors: Record<string, boolean> = {};
  const pendingVendors: string[] = [];
  for (const [id, vendorPurposes] of Object.entries(ctx.vendors)) {
    const anyPending = vendorPurposes.some((p) => p !== NECESSARY && pendingPurposes.includes(p));
    const allGranted = vendorPurposes.every((p) => purposes[p] === true);
    const choice = state.vendors[id];
    // A vendor used only for `necessary` is always on (config refuses content-capturing ones there).
    if (vendorPurposes.every((p) => p === NECESSARY)) {
      vendors[id] = true;
      continue;
    }
    vendors[id] = !anyPending && allGranted && choice === true;
    if (anyPending || (allGranted && choice === undefined)) pendingVendors.push(id);
  }
  return {
    purposes,
    vendors,
    pendingPurposes,
    pendingVendors,
    needsDecision: pendingPurposes.length > 0 || pendingVendors.length > 0,
  };
}

/** Decisions older than the lifetime, to be recorded as expired and cleared. */
function expiredPurposes(ctx: ConsentContext, state: ConsentState, now: number): PurposeId[] {
  return Object.keys(state.purposes).filter((p) => now - state.purposes[p]!.at >= ctx.lifetime);
}

/**
 * The consent state machine: `(state, event) → (state, effects)`. Pure: no clock, no DOM,
 * no storage; the runner applies the effects.
 */
export function transition(
  ctx: ConsentContext,
  state: ConsentState,
  event: ConsentEvent,
): { state: ConsentState; effects: ConsentEffect[] } {
  const before = view(ctx, state, event.now);
  let next: ConsentState;
  let record: ConsentEffect | null = null;

  switch (event.type) {
    case 'decide': {
      const purposes = { ...state.purposes };
      const vendors = { ...state.vendors };
      const decided: Record<PurposeId, boolean> = {};
      for (const [p, granted] of Object.entries(event.choices.purposes ?? {})) {
        if (!ctx.purposes.includes(p)) continue;
        purposes[p] = { granted, fingerprint: ctx.fingerprints[p] ?? '', at: event.now };
        decided[p] = granted;
      }
      const decidedVendors: Record<string, boolean> = {};
      for (const [id, vendorPurposes] of Object.entries(ctx.vendors)) {
        const explicit = event.choices.vendors?.[id];
        const touched = vendorPurposes.some((p) => p in decided && !event.implied?.includes(p));
        // A vendor follows its purposes unless the visitor chose it one by one.
        const allGranted = vendorPurposes.every((p) => p === NECESSARY || purposes[p]?.granted === true);
        if (explicit !== undefined) decidedVendors[id] = explicit && allGranted;
        else if (touched) decidedVendors[id] = allGranted;
        else continue;
        vendors[id] = decidedVendors[id];
      }
      next = { ...state, purposes, vendors };
      const values = [...Object.values(decided), ...Object.values(decidedVendors)];
      if (values.length === 0) return { state, effects: [] };
      const kind: RecordEvent =
        event.event ?? (values.every(Boolean) ? 'given' : values.some(Boolean) ? 'partial' : 'refused');
      record = {
        type: 'record',
        event: kind,
        method: event.method,
        purposes: decided,
        vendors: decidedVendors,
      };
      break;
    }
    case 'withdraw': {
      const targets = (event.purposes ?? ctx.purposes).filter((p) => ctx.purposes.includes(p));
      const purposes = { ...state.purposes };
      const vendors = { ...state.vendors };
      const decided: Record<PurposeId, boolean> = {};
      const decidedVendors: Record<string, boolean> = {};
      for (const p of targets) {
        purposes[p] = { granted: false, fingerprint: ctx.fingerprints[p] ?? '', at: event.now };
        decided[p] = false;
      }
      for (const [id, vendorPurposes] of Object.entries(ctx.vendors))
        if (vendorPurposes.some((p) => p in decided)) {
          vendors[id] = false;
          decidedVendors[id] = false;
        }
      next = { ...state, purposes, vendors };
      if (targets.length === 0) return { state, effects: [] };
      record = {
        type: 'record',
        event: 'withdrawn',
        method: event.method,
        purposes: decided,
        vendors: decidedVendors,
      };
      break;
    }
    case 'expire': {
      const expired = expiredPurposes(ctx, state, event.now);
      if (expired.length === 0) return { state, effects: [] };
      const purposes = { ...state.purposes };
      const decided: Record<PurposeId, boolean> = {};
      for (const p of expired) {
        delete purposes[p];
        decided[p] = false;
      }
      const vendors = { ...state.vendors };
      const decidedVendors: Record<string, boolean> = {};
      for (const [id, vendorPurposes] of Object.entries(ctx.vendors))
        if (vendorPurposes.some((p) => p in decided)) {
          delete vendors[id];
          decidedVendors[id] = false;
        }
      next = { ...state, purposes, vendors };
      record = {
        type: 'record',
        event: 'expired',
        method: { type: 'expiry' },
        purposes: decided,
        vendors: decidedVendors,
      };
      break;
    }
  }

  const after = view(ctx, next, event.now);
  const effects: ConsentEffect[] = [{ type: 'store' }, record];
  const released = diff(after, before);
  const stopped = diff(before, after);
  // Stops come first, so a withdrawn vendor is held again before anything else runs.
  if (stopped.vendors.length || stopped.purposes.length) effects.push({ type: 'stop', ...stopped });
  if (released.vendors.length || released.purposes.length) effects.push({ type: 'release', ...released });
  return { state: next, effects };
}

/** What `a` grants that `b` does not. */
function diff(a: ConsentView, b: ConsentView): { vendors: string[]; purposes: PurposeId[] } {
  return {
    vendors: Object.keys(a.vendors).filter((v) => a.vendors[v] && !b.vendors[v]),
    purposes: Object.keys(a.purposes).filter((p) => a.purposes[p] && !b.purposes[p]),
  };
}
