/**
 * Bounds on what anonymous senders may add to a log that never forgets: records per visitor
 * (subject) and bytes per IP, each per hour, counted in fixed windows per server instance (so
 * behind a balancer each instance allows its own share). Over a bound the request is answered
 * 429 with Retry-After, never by dropping a record: the browser's queue keeps it and tries later.
 */

/** Counts per key in fixed windows; remembers at most `maxKeys` keys (the oldest window is forgotten first). */
export function windowCounter(limit: number, windowMs: number, maxKeys = 100_000) {
  let windowStart = 0;
  let counts = new Map<string, number>();
  const roll = (now: number) => {
    if (now - windowStart >= windowMs) {
      windowStart = now;
      counts = new Map();
    }
  };
  return {
    /** Whether `amount` more fits under the limit for every key; counts it only if so. */
    take(keys: ReadonlyMap<string, number>, now = Date.now()): boolean {
      roll(now);
      for (const [key, amount] of keys) if ((counts.get(key) ?? 0) + amount > limit) return false;
      for (const [key, amount] of keys) {
        if (!counts.has(key) && counts.size >= maxKeys) counts.delete(counts.keys().next().value as string);
        counts.set(key, (counts.get(key) ?? 0) + amount);
      }
      return true;
    },
    /** Seconds until the current window ends. */
    retryAfter(now = Date.now()): number {
      return Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
    },
  };
}
