import type { ConfigError, Consent, PurposeId, VendorDescriptor, VendorSettings } from '@allparty/core';

/** Broad kind of vendor; decides the banner section and default purposes. */
export type VendorCategory = 'replay' | 'chat' | 'analytics' | 'advertising' | 'tag-manager' | 'embed';

/** A cookie the vendor sets; `purge()` deletes these. */
export interface CookieSpec {
  /** Exact name, or a prefix when `prefix` is true (`_hj`). `{id}` stands for the site id. */
  name: string;
  prefix?: boolean;
  /** Lifetime in plain words for the notice ("1 year", "session", "30 minutes"). */
  lifetime: string;
}

/** A localStorage/sessionStorage key the vendor writes; `purge()` deletes these. */
export interface StorageKeySpec {
  key: string;
  storage: 'local' | 'session';
  prefix?: boolean;
}

/**
 * A vendor manifest (R31): the facts first. The banner's vendor text, the guard's host
 * table and docs/vendors/ID.md are generated from it.
 */
export interface VendorManifest extends VendorDescriptor {
  /** Display name ("Hotjar"). */
  name: string;
  category: VendorCategory;
  purposes: readonly PurposeId[];
  hosts: readonly string[];
  /** What it captures, split as CIPA § 631 (contents) and § 638.51 (addressing data) read it. */
  captures: {
    /** Plain words, e.g. "your clicks, scrolling and what you type". */
    contents: readonly string[];
    /** e.g. "your IP address", "a device identifier". */
    addressing: readonly string[];
  };
  /** Whether the vendor uses the data for its own purposes, and how, in plain words; false if not. */
  ownUse: false | string;
  cookies: readonly CookieSpec[];
  storageKeys: readonly StorageKeySpec[];
  /** Masking controls the adapter applies or the site can use (replay, chat). */
  masking?: string;
  /** Whether `stop()` can fully unload it without a page reload. */
  unloadWithoutReload: boolean | 'partial';
  /** The site id the adapter needs, with its format. */
  configId?: { setting: string; pattern: string; example: string };
  /** Official script URLs ({placeholders} for site values). */
  scriptUrls: readonly string[];
  /** How sure the researched facts are, and what is unconfirmed. */
  confidence: 'high' | 'medium' | 'low';
  unconfirmed: readonly string[];
  sources: readonly string[];
}

/** What an adapter's functions get: the consent instance, the settings and the page. */
export interface AdapterContext {
  consent: Consent;
  settings: VendorSettings;
  /** The CSP nonce of the embed's script, to carry over to injected scripts. */
  nonce: string | null;
}

/** The result of `stop()`: whether the vendor is really gone, or the page must reload. */
export interface StopResult {
  unloaded: boolean;
  /** Why not, in plain words, when `unloaded` is false. */
  reason?: string;
}

/** A vendor adapter: the manifest plus small load/stop/purge functions (R29, R31). */
export interface VendorAdapter {
  manifest: VendorManifest;
  /** Validates the site's settings (id formats); errors are config errors (fail closed). */
  validate(settings: VendorSettings): ConfigError[];
  /** Injects the vendor as its official snippet would, with the most private settings on. */
  load(context: AdapterContext): void;
  /** Stops the vendor via its shutdown API; removes its iframes, widgets and listeners. */
  stop(context: AdapterContext): StopResult;
  /** Deletes the cookies and storage keys the manifest declares. */
  purge(context: AdapterContext): void;
}
