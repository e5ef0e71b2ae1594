/**
 * Vendor globals are `unknown` at the boundary: read them through these helpers and narrow
 * with small typed stubs, never `any`.
 */

/** A function of unknown arguments, the shape of every vendor command API (`hj`, `fbq`, `Intercom`). */
export type Fn = (...args: unknown[]) => unknown;

/** The window as a bag of unknown globals. */
export function globals(): Record<string, unknown> {
  return window as unknown as Record<string, unknown>;
}

/** Reads a global. */
export function getGlobal(name: string): unknown {
  return globals()[name];
}

/** Writes a global. */
export function setGlobal(name: string, value: unknown): void {
  globals()[name] = value;
}

/** Whether a value can be called. */
export function isFunction(value: unknown): value is Fn {
  return typeof value === 'function';
}

/** Whether a value is a non-null object (or function) whose properties can be read. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** Reads `a.b.c` from a global, or undefined when any step is missing. */
export function getPath(name: string, ...path: string[]): unknown {
  let value: unknown = getGlobal(name);
  for (const key of path) {
    if (!isRecord(value)) return undefined;
    value = value[key];
  }
  return value;
}

/**
 * Calls a vendor function by path (`call(['Intercom'], 'shutdown')`, `call(['posthog', 'opt_out_capturing'])`)
 * with `this` bound to its owner. Returns whether it was there and did not throw: a vendor that
 * breaks while being stopped must not stop the rest of the teardown.
 */
export function call(path: readonly [string, ...string[]], ...args: unknown[]): boolean {
  const [root, ...rest] = path;
  const owner = rest.length ? getPath(root, ...rest.slice(0, -1)) : window;
  const fn = rest.length ? (isRecord(owner) ? owner[rest[rest.length - 1]!] : undefined) : getGlobal(root);
  if (!isFunction(fn)) return false;
  try {
    fn.apply(owner, args);
    return true;
  } catch {
    return false;
  }
}

/** A command-queue stub as most snippets define it: calls are pushed to `.q` until the real script replaces it. */
export interface QueueStub extends Fn {
  q: unknown[][];
}

/**
 * Defines `window[name]` as a queue function (`hj`, `clarity`, `Intercom`…) unless the page already has one,
 * as the official snippets do (`w.hj = w.hj || function(){(w.hj.q = w.hj.q || []).push(arguments)}`).
 */
export function queueStub(name: string): Fn {
  const existing = getGlobal(name);
  if (isFunction(existing)) return existing;
  const stub = ((...args: unknown[]) => {
    stub.q.push(args);
  }) as QueueStub;
  stub.q = [];
  setGlobal(name, stub);
  return stub;
}

/** An array-like command queue (`_mfq`, `_uxa`, `_hsq`), created if missing, as the snippets do. */
export function arrayQueue(name: string): unknown[] {
  const existing = getGlobal(name);
  if (Array.isArray(existing)) return existing;
  const queue: unknown[] = [];
  setGlobal(name, queue);
  return queue;
}
