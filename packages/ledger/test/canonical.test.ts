// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalJson, createRecordValidator } from '../src/index';
import { makeRecord } from './helpers';

/** The definition, written out plainly: keys sorted by UTF-16 code units, values as JSON.stringify writes them. */
function reference(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('not finite');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(typeof value);
  }
}

/** A small deterministic generator (xorshift), so a failure names a seed that reproduces it. */
function random(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const KEYS = ['a', 'b', 'Z', 'é', '10', '9', '0', '6sense', 'id', '__proto__', '\u{1F600}', 'aa', '', 'k"q'];
const STRINGS = ['', 'x', 'é', '"quoted"', 'back\\slash', 'line\nbreak', '\u0000', '\u{1F600}', '\ud800'];

function value(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 3 || r < 0.35) {
    const p = next();
    if (p < 0.2) return null;
    if (p < 0.4) return next() < 0.5;
    if (p < 0.7) return [0, -0, 1.5, -20, 1e21, 1e-7, 2 ** 53][Math.floor(next() * 7)];
    return STRINGS[Math.floor(next() * STRINGS.length)];
  }
  if (r < 0.55) return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
  // JSON.parse gives objects whose keys (`__proto__` included) are own data properties.
  const entries = Array.from(
    { length: Math.floor(next() * 6) },
    () =>
      `${JSON.stringify(KEYS[Math.floor(next() * KEYS.length)])}:${JSON.stringify(value(next, depth + 1))}`,
  );
  return JSON.parse(`{${entries.join(',')}}`);
}

describe('canonical JSON (fast path)', () => {
  it('writes what the definition writes for records as the server stores them', () => {
    const check = createRecordValidator({ stored: true });
    for (let i = 0; i < 50; i++) {
      const record = {
        ...makeRecord({ vendors: { hotjar: true, '6sense': false, intercom: i % 2 === 0 } }),
        serverTime: new Date().toISOString(),
      };
      expect(check(record).ok).toBe(true);
      expect(canonicalJson(record)).toBe(reference(record));
      expect(canonicalBytes(record).equals(Buffer.from(reference(record), 'utf8'))).toBe(true);
    }
  });

  it('writes what the definition writes for generated values: index-like keys, __proto__, unicode, nesting', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const v = value(random(seed), 0);
      expect(canonicalJson(v), `seed ${seed}`).toBe(reference(v));
    }
  });

  it('skips undefined members and refuses what canonical JSON cannot hold, as the definition does', () => {
    expect(canonicalJson({ b: 1, a: undefined, c: { z: undefined } })).toBe('{"b":1,"c":{}}');
    expect(() => canonicalJson([1, undefined])).toThrow(TypeError);
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson({ big: 1n })).toThrow(TypeError);
    // Not a plain object: no toJSON, only its own enumerable keys (none for a Date).
    expect(canonicalJson({ when: new Date(0) })).toBe('{"when":{}}');
    expect(canonicalJson(Object.assign(Object.create(null), { b: 2, a: 1 }))).toBe('{"a":1,"b":2}');
  });
});
