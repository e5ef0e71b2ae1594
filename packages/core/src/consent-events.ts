import type { PurposeId } from './purposes';
import type { ConsentRecord, LoadEvent } from './record';
import type { ConsentView } from './state';

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

/** A listener of one event. */
type Listener<E extends ConsentEventName> = (detail: ConsentEvents[E]) => void;

/** The events of one consent instance. */
export interface ConsentEmitter {
  emit<E extends ConsentEventName>(event: E, detail: ConsentEvents[E]): void;
  /** Subscribes; returns an unsubscribe function. */
  on<E extends ConsentEventName>(event: E, fn: Listener<E>): () => void;
}

/**
 * Listeners by event. A listener that throws is reported on `out` and the others still run.
 * Records made before anyone listens for them (an expiry found at start-up) wait for the first
 * `record` listener, so the queue that subscribes after creation still gets them.
 */
export function createEmitter(out: Pick<Console, 'error'>): ConsentEmitter {
  const listeners = new Map<ConsentEventName, Set<Listener<never>>>();
  const unheard: ConsentRecord[] = [];
  return {
    emit(event, detail) {
      if (event === 'record' && !listeners.get('record')?.size) unheard.push(detail as ConsentRecord);
      for (const fn of listeners.get(event) ?? []) {
        try {
          (fn as Listener<typeof event>)(detail);
        } catch (error) {
          out.error('allparty: a listener failed', error);
        }
      }
    },
    on(event, fn) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(fn as Listener<never>);
      if (event === 'record') for (const r of unheard.splice(0)) (fn as Listener<'record'>)(r);
      return () => set.delete(fn as Listener<never>);
    },
  };
}
