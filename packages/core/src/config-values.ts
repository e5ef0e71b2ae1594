/**
 * Readers for the values a config is made of (strings from a set, text maps, URLs), shared by
 * the options in config.ts. Each reports a problem through `fail` and returns what the config
 * gets instead, so one pass finds every problem.
 */

/**
 * Records a problem. The message is `false` where `__EXPLAIN__` is off (the embed's main bundle,
 * which names the fields at once and loads the explanations from a lazy chunk).
 */
export type Fail = (path: string, message: string | false) => void;

/** A plain object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as an error message names it: `"abc"`, `an array`, `number 3`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** A link the banner may show or the queue may post to: http(s), mailto:, tel:, or a path. */
export function isUrlish(value: unknown): value is string {
  return typeof value === 'string' && /^(https?:\/\/[^\s]+|mailto:[^\s]+|tel:[^\s]+|\/[^\s]*)$/i.test(value);
}

/** One of `allowed`, or `fallback` when absent. */
export function oneOf<T extends string>(
  value: unknown,
  path: string,
  allowed: readonly T[],
  fallback: T,
  fail: Fail,
): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  fail(
    path,
    __EXPLAIN__ && `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${describe(value)}`,
  );
  return fallback;
}

/** A string, or undefined when absent or not a string. */
export function optionalString(value: unknown, path: string, fail: Fail): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  fail(path, __EXPLAIN__ && `must be a string, got ${describe(value)}`);
  return undefined;
}

/** An object of strings (texts by language, by key), keeping the valid entries. */
export function textMap(value: unknown, path: string, fail: Fail): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    fail(path, __EXPLAIN__ && `must be an object of strings, got ${describe(value)}`);
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(value)) {
    if (typeof text === 'string') out[key] = text;
    else fail(`${path}.${key}`, __EXPLAIN__ && `must be a string, got ${describe(text)}`);
  }
  return out;
}

/** " (did you mean "x"?)" for a near miss, by edit distance. */
export function suggest(word: string, candidates: readonly string[]): string {
  let best = '';
  let bestDistance = 3;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
