/**
 * Canonical JSON (the RFC 8785 shape for the values records hold): object keys sorted by
 * UTF-16 code units, no whitespace, strings and numbers as `JSON.stringify` writes them.
 * Equal records give equal bytes, so their leaf hashes are equal.
 */
export function canonicalJson(value: unknown): string {
  const sorted = sortedCopy(value);
  return sorted === UNSUITED ? canonicalText(value) : JSON.stringify(sorted);
}

const UNSUITED = Symbol('unsuited');

/**
 * The fast path: a copy of `value` whose objects have their keys inserted in sorted order, so
 * that `JSON.stringify` (native) writes canonical JSON. UNSUITED when the copy could not say
 * the same as {@link canonicalText}: a key an engine orders before the others whatever the
 * insertion order (an array index such as "6" starts with a digit) or that assignment would
 * not create (`__proto__`), an object that is not plain (`toJSON`), or a value canonical JSON
 * cannot hold (the slow path throws for it).
 */
function sortedCopy(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : UNSUITED;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const out: unknown[] = new Array(value.length);
        for (let i = 0; i < value.length; i++) {
          const v = value[i];
          const c = v === undefined ? UNSUITED : sortedCopy(v);
          if (c === UNSUITED) return UNSUITED;
          out[i] = c;
        }
        return out;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return UNSUITED;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj);
      for (let i = 1; i < keys.length; i++)
        if (keys[i - 1]! > keys[i]!) {
          keys.sort();
          break;
        }
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        const first = k.charCodeAt(0);
        if ((first >= 48 && first <= 57) || k === '__proto__') return UNSUITED;
        const v = obj[k];
        if (v === undefined) continue;
        const c = sortedCopy(v);
        if (c === UNSUITED) return UNSUITED;
        out[k] = c;
      }
      return out;
    }
    default:
      return UNSUITED;
  }
}

/** The definition, written out key by key (any value the fast path leaves to it). */
function canonicalText(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot hold NaN or Infinity');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalText(value[i]);
        return `${out}]`;
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const v = obj[k];
        if (v === undefined) continue;
        out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalText(v)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

/** Canonical JSON as UTF-8 bytes: what a leaf hash covers. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}
