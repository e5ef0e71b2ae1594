import { isObject } from './config-values';
import { base64url, SUBJECT_ID, UUID } from './ids';
import { sha256 } from './sha256';
import type { ConsentState, PurposeDecision } from './state';
import { VENDOR_ID } from './vendor';

/** Where the consent state lives between page views. The browser implementation uses one cookie. */
export interface ConsentStorage {
  /** The stored value, or null. Must not throw. */
  read(): string | null;
  write(value: string): void;
  clear(): void;
}

/** Format version of the stored value; anything else reads as "no consent". */
export const STORAGE_VERSION = 1;

/*
 * The stored value is `1.<base64url(JSON)>.<checksum>`, JSON keys kept short to stay far
 * below the 4 kB cookie limit:
 *   s subject · l last record id · p { purpose: [granted 0|1, fingerprint, decided-at in s] }
 *   v { vendor: 0|1 }
 * The checksum (first 12 hex of SHA-256 of the JSON) catches garbling and hand edits; it is
 * not a secret: the server-set cookie (see the log server) is what an attacker cannot forge.
 */

/**
 * The shape of a stored value, checked before one is sent anywhere (the record queue hands it to
 * the log to echo); only {@link decodeState} says whether it is a valid state.
 */
export const STORED_VALUE = /^[0-9]{1,3}\.[A-Za-z0-9_-]{1,4000}\.[0-9a-f]{12}$/;

/** Serialises a state for storage. */
export function encodeState(state: ConsentState): string {
  const p: Record<string, [0 | 1, string, number]> = {};
  for (const [id, d] of Object.entries(state.purposes))
    p[id] = [d.granted ? 1 : 0, d.fingerprint, Math.floor(d.at / 1000)];
  const v: Record<string, 0 | 1> = {};
  for (const [id, granted] of Object.entries(state.vendors)) v[id] = granted ? 1 : 0;
  const json = JSON.stringify({ s: state.subject, l: state.lastRecord, p, v });
  return `${STORAGE_VERSION}.${base64url(new TextEncoder().encode(json))}.${sha256(json).slice(0, 12)}`;
}

/**
 * Parses a stored value. A missing, garbled, tampered or future-versioned value yields
 * null — "no consent" — never an exception and never a grant.
 */
export function decodeState(value: string | null | undefined): ConsentState | null {
  if (typeof value !== 'string' || value.length > 4096) return null;
  const parts = value.split('.');
  if (parts.length !== 3 || parts[0] !== String(STORAGE_VERSION)) return null;
  let json: string;
  try {
    json = fromBase64Url(parts[1]!);
  } catch {
    return null;
  }
  if (sha256(json).slice(0, 12) !== parts[2]) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  if (!isObject(raw) || !hasOnly(raw, ['s', 'l', 'p', 'v'])) return null;
  const { s, l, p, v } = raw;
  if (typeof s !== 'string' || !SUBJECT_ID.test(s)) return null;
  if (l !== null && (typeof l !== 'string' || !UUID.test(l))) return null;
  if (!isObject(p) || !isObject(v)) return null;
  const purposes: Record<string, PurposeDecision> = {};
  for (const [id, d] of Object.entries(p)) {
    if (!ID.test(id) || !Array.isArray(d) || d.length !== 3) return null;
    const [granted, fingerprint, at] = d as unknown[];
    if (
      (granted !== 0 && granted !== 1) ||
      typeof fingerprint !== 'string' ||
      !/^[0-9a-f]{0,64}$/.test(fingerprint)
    )
      return null;
    if (typeof at !== 'number' || !Number.isInteger(at) || at < 0) return null;
    purposes[id] = { granted: granted === 1, fingerprint, at: at * 1000 };
  }
  const vendors: Record<string, boolean> = {};
  for (const [id, granted] of Object.entries(v)) {
    if (!ID.test(id) || (granted !== 0 && granted !== 1)) return null;
    vendors[id] = granted === 1;
  }
  return { subject: s, lastRecord: l, purposes, vendors };
}

/** Purpose and vendor keys: the vendor id form, which every purpose id also has. */
const ID = VENDOR_ID;

function hasOnly(obj: Record<string, unknown>, keys: string[]): boolean {
  return Object.keys(obj).every((k) => keys.includes(k)) && keys.every((k) => k in obj);
}

function fromBase64Url(text: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** A storage that keeps the value in memory (tests, server-side rendering). */
export function memoryStorage(initial: string | null = null): ConsentStorage & { value: string | null } {
  const store = {
    value: initial,
    read: () => store.value,
    write: (value: string) => {
      store.value = value;
    },
    clear: () => {
      store.value = null;
    },
  };
  return store;
}
