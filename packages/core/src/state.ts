import type { ControlId } from './controls';
import { GPC_PURPOSES, NECESSARY, type PurposeId } from './purposes';

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
    const allGranted = vendorAllowed(vendorPurposes, (p) => purposes[p] === true);
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
        const allGranted = vendorAllowed(vendorPurposes, (p) => purposes[p]?.granted === true);
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

/*
 * The consent rules the UI applies before it calls the API: pure functions of the context, the
 * view and the switches, so the banner, the launcher and `createConsent` share one of each.
 */

/** Both halves of a choice: every purpose and vendor it names. */
export type FullChoices = Required<Choices>;

/** Whether any purpose shown is granted: there is something to withdraw (R28). */
export function anyGranted(ctx: ConsentContext, view: ConsentView): boolean {
  return ctx.purposes.some((p) => view.purposes[p]);
}

/** § 7025: under Global Privacy Control, whether any of these purposes is one GPC keeps off. */
export function gpcBlocks(purposes: readonly PurposeId[], gpc: boolean): boolean {
  return gpc && purposes.some((p) => GPC_PURPOSES.includes(p));
}

/** A vendor may run only when every purpose it serves is granted (`necessary` always is). */
export function vendorAllowed(
  vendorPurposes: readonly PurposeId[],
  granted: (p: PurposeId) => boolean,
): boolean {
  return vendorPurposes.every((p) => p === NECESSARY || granted(p));
}

/**
 * R9, after a material change (a new vendor or purpose, a changed disclosure, an expiry): the
 * vendors to ask about again when the visitor has a valid decision about something else; null
 * when nothing was decided before (a first visit). A purpose GPC turned off is not a choice the
 * visitor made: a first visit with GPC on is still a first visit.
 */
export function reaskedVendors(ctx: ConsentContext, view: ConsentView, gpc: boolean): string[] | null {
  const chose = (p: PurposeId) => !view.pendingPurposes.includes(p) && !gpcBlocks([p], gpc);
  return view.needsDecision && ctx.purposes.some(chose) ? view.pendingVendors : null;
}

/**
 * Accept all (`granted`) or Reject all: every purpose and vendor, or in a re-ask after a material
 * change only the pending ones (`view.pendingPurposes`, `view.pendingVendors`), so earlier grants
 * and refusals stay as they are and nothing running is stopped. A vendor is granted only with all
 * its purposes (one the visitor refused before stays off rather than overturning that refusal);
 * under GPC the GPC purposes and their vendors stay off (§ 7025).
 */
export function bulkChoices(
  ctx: ConsentContext,
  view: ConsentView,
  granted: boolean,
  gpc: boolean,
  purposes: readonly PurposeId[] = ctx.purposes,
  vendors: readonly string[] = Object.keys(ctx.vendors),
): FullChoices {
  const chosen: FullChoices = { purposes: {}, vendors: {} };
  for (const p of purposes) chosen.purposes[p] = granted && !gpcBlocks([p], gpc);
  for (const id of vendors) {
    const ps = ctx.vendors[id] ?? [];
    chosen.vendors[id] =
      granted &&
      !gpcBlocks(ps, gpc) &&
      vendorAllowed(ps, (p) => view.purposes[p] === true || chosen.purposes[p] === true);
  }
  return chosen;
}

/** The preference switches as the view stands: each purpose shown, each vendor with a purpose to ask about. */
export function currentChoices(ctx: ConsentContext, view: ConsentView): FullChoices {
  const purposes: Record<PurposeId, boolean> = {};
  for (const p of ctx.purposes) purposes[p] = view.purposes[p] === true;
  const vendors: Record<string, boolean> = {};
  for (const [id, ps] of Object.entries(ctx.vendors))
    if (ps.some((p) => p !== NECESSARY)) vendors[id] = view.vendors[id] === true;
  return { purposes, vendors };
}

/** A purpose switch: its vendors follow it (on only when all their purposes are on). */
export function togglePurpose(
  ctx: ConsentContext,
  choices: FullChoices,
  purpose: PurposeId,
  on: boolean,
): FullChoices {
  const purposes = { ...choices.purposes, [purpose]: on };
  const vendors = { ...choices.vendors };
  for (const [id, ps] of Object.entries(ctx.vendors))
    if (id in vendors && ps.includes(purpose))
      vendors[id] = on && vendorAllowed(ps, (p) => purposes[p] === true);
  return { purposes, vendors };
}

/** A vendor switch: a vendor runs only when all its purposes are granted, so turning it on turns them on. */
export function toggleVendor(
  ctx: ConsentContext,
  choices: FullChoices,
  vendor: string,
  on: boolean,
): FullChoices {
  const purposes = { ...choices.purposes };
  if (on) for (const p of ctx.vendors[vendor] ?? []) if (p !== NECESSARY) purposes[p] = true;
  return { purposes, vendors: { ...choices.vendors, [vendor]: on } };
}

/**
 * One vendor granted with the purposes it is used for here (a chat start, "Always allow" on an
 * embed): the other vendors of those purposes keep what they had, where untouched they would
 * follow the purpose (see {@link transition}).
 */
export function vendorGrant(
  ctx: ConsentContext,
  view: ConsentView,
  vendor: string,
  purposes: readonly PurposeId[],
): FullChoices {
  const vendors: Record<string, boolean> = {};
  for (const [other, ps] of Object.entries(ctx.vendors))
    if (other !== vendor && ps.some((p) => purposes.includes(p)))
      vendors[other] = view.vendors[other] === true;
  vendors[vendor] = true;
  return { purposes: Object.fromEntries(purposes.map((p) => [p, true])), vendors };
}

/**
 * R27: what Global Privacy Control turns off on this page view: the GPC purposes in use that are
 * pending or granted (an opt-out, never a grant). Null when there is nothing to record.
 */
export function gpcOptOut(ctx: ConsentContext, view: ConsentView): Record<PurposeId, boolean> | null {
  const off = GPC_PURPOSES.filter(
    (p) => ctx.purposes.includes(p) && (view.pendingPurposes.includes(p) || view.purposes[p] !== false),
  );
  return off.length ? Object.fromEntries(off.map((p) => [p, false])) : null;
}

/**
 * What `set()` records: the choices with the purposes its vendor grants need (`implied`: granted
 * only because a vendor granted in the call needs them), or, as a string, why it cannot.
 */
export type CheckedChoices = { choices: Choices; implied: PurposeId[] } | string;

/**
 * Checks a partial choice for `set()`: every purpose must be in use and every vendor configured;
 * a vendor grant grants the purposes it needs (as the preferences' vendor switch turns them on),
 * unless one of them is refused in the same call; under GPC nothing grants a GPC purpose (§ 7025).
 */
export function checkChoices(ctx: ConsentContext, choices: Choices, gpc: boolean): CheckedChoices {
  const chosen: Record<PurposeId, boolean> = { ...choices.purposes };
  for (const p of Object.keys(chosen))
    if (!ctx.purposes.includes(p))
      return `allparty: purpose "${p}" is not in use on this page, so nothing was recorded`;
  const implied: PurposeId[] = [];
  for (const [v, on] of Object.entries(choices.vendors ?? {})) {
    const needs = ctx.vendors[v];
    if (!needs) return `allparty: vendor "${v}" is not configured on this page, so nothing was recorded`;
    if (!on) continue;
    for (const p of needs) {
      if (p === NECESSARY || chosen[p] === true) continue;
      if (chosen[p] === false)
        return `allparty: vendor "${v}" cannot be granted while its purpose "${p}" is refused in the same call, so nothing was recorded`;
      chosen[p] = true;
      implied.push(p);
    }
  }
  for (const p of GPC_PURPOSES)
    if (gpc && chosen[p])
      return `allparty: Global Privacy Control is on, so "${p}" stays off (an opt-out of sale and sharing); nothing was recorded`;
  return { choices: { purposes: chosen, ...(choices.vendors ? { vendors: choices.vendors } : {}) }, implied };
}
