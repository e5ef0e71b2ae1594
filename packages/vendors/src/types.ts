import type { ConfigError, Consent, PurposeId, VendorDescriptor, VendorSettings } from '@allparty/core';

/** Broad kind of vendor; decides the banner section and default purposes. */
export type VendorCategory = 'replay' | 'chat' | 'analytics' | 'advertising' | 'tag-manager' | 'embed';

/** A cookie the vendor sets; `purge()` deletes these. */
export interface CookieSpec {
  /**
   * Exact name, or a prefix when `prefix` is true (`_hj`). `{id}` stands for the site id;
   * when the site id is unknown (a `snippet` vendor) it matches any value.
   */
  name: string;
  prefix?: boolean;
  /**
   * Lifetime in plain words for the notice ("1 year", "session", "30 minutes"), or null where the
   * research could not confirm it: the notice then points to the vendor's privacy policy, and the
   * docs say "not confirmed".
   */
  lifetime: string | null;
  /**
   * The vendor's own domain when the cookie is third-party (`facebook.com`): it is named in the
   * notice, but the site cannot delete it, so `purge()` leaves it to the browser.
   */
  thirdParty?: string;
  /**
   * A marker that records the visitor's opt-out at the vendor (`_hjOptedOut`). `purge()` keeps it:
   * deleting it would undo a choice that protects the visitor.
   */
  optOut?: boolean;
}

/** A localStorage/sessionStorage key the vendor writes; `purge()` deletes these. */
export interface StorageKeySpec {
  /** Exact key, or a prefix when `prefix` is true. `{id}` stands for the site id, as in {@link CookieSpec}. */
  key: string;
  storage: 'local' | 'session';
  prefix?: boolean;
}

/** One adapter setting beside the site id (a region, a widget id), validated by `validate()`. */
export interface SettingSpec {
  /** Key in the vendor's config object (`"region"`). */
  name: string;
  /** What it is, in the vendor's own words ("data region"). */
  description: string;
  required: boolean;
  /** A string setting matches this regular expression (source, anchored). */
  pattern?: string;
  /** A string setting is one of these. */
  values?: readonly string[];
  /** A boolean setting. @default "string" */
  type?: 'string' | 'boolean';
  /** Used when the setting is left out. */
  default?: string | boolean;
  example: string | boolean;
}

/** How a site tags an embed (video, map) so it stays a click-to-load placeholder until granted. */
export interface EmbedSpec {
  /** Markup the site writes instead of the vendor's iframe. */
  markup: string;
  /** Regular expressions (sources) a `data-src` must match to be released for this vendor. */
  srcPatterns: readonly string[];
  /** What the placeholder says the vendor receives when the visitor loads it, in plain words. */
  receives: string;
  /** How the adapter makes the released URL more private (`youtube-nocookie.com`, `dnt=1`). */
  privateMode: string;
}

/** A live privacy setting an adapter can read from the running vendor (R16). */
export type LiveSettingName = 'maskInputs' | 'maskText' | 'blockMedia';

/** A vendor's live privacy settings as an adapter read them: true on, false off, null could not be read. */
export type LiveSettings = Partial<Record<LiveSettingName, boolean | null>>;

/**
 * The site's declared minimum for a vendor's live privacy settings (`vendors.<id>.minimum`): a
 * setting set to true must be on, or the vendor does not start. @default { maskInputs: true, maskText: true }
 */
export type LiveMinimum = Partial<Record<LiveSettingName, boolean>>;

/** R16: which live privacy settings the adapter reads from the running vendor, or why it reads none. */
export interface LiveSettingsSpec {
  /** Read once the vendor has started and compared with the site's minimum; empty when the vendor exposes none. */
  checked: readonly LiveSettingName[];
  /** How they are read (which API, when), or why the vendor's settings cannot be read in the browser. */
  note: string;
}

/** R32: whether the vendor's script can be pinned to a version or checked against a hash. */
export interface PinningSpec {
  /** The adapter loads a fixed, versioned URL the site picks with its `version` option. */
  version: boolean;
  /** The vendor publishes Subresource Integrity hashes for those versioned files. */
  publishedIntegrity: boolean;
  /** The vendor documents loading its script from the site's own host, so the adapter accepts `src`. */
  selfHost: boolean;
  /** Why (or why not), in plain words, for the docs. */
  note: string;
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
  /** Why these purposes, when the choice is not obvious from the category (tag managers, mixed vendors). */
  purposeNote?: string;
  hosts: readonly string[];
  /**
   * Other adapters that declare some of the same hosts on purpose (same company, same loader).
   * Both sides must list each other; the contract test rejects any other overlap.
   */
  sharesHostsWith?: readonly string[];
  /**
   * True when the vendor records typed text, chat messages or a replay of the visit (CIPA § 631
   * "contents"). Full page URLs are listed under `captures.contents` too, but alone do not set it.
   */
  capturesContents: boolean;
  /** What it captures, split as CIPA § 631 (contents) and § 638.51 (addressing data) read it. */
  captures: {
    /** Plain words, e.g. "your clicks, scrolling and what you type". */
    contents: readonly string[];
    /** e.g. "your IP address", "a device identifier". */
    addressing: readonly string[];
  };
  /**
   * Whether the vendor uses the data for its own purposes, and how, in plain words; false if not;
   * null when the research found no statement either way. A notice never says the latter: it
   * points to the vendor's own privacy policy instead (research notes stay in the docs).
   */
  ownUse: false | string | null;
  /** The vendor's own privacy policy (https), which the notice links to. */
  privacyPolicy: string;
  cookies: readonly CookieSpec[];
  storageKeys: readonly StorageKeySpec[];
  /** Masking controls the adapter applies or the site can use (replay, chat), and typing previews for chat. */
  masking?: string;
  /**
   * R16: the vendor's live privacy settings the adapter checks at load against the site's minimum,
   * or why it cannot. Every replay and chat manifest says one or the other.
   */
  liveSettings?: LiveSettingsSpec;
  /** R32: whether the vendor's script can be pinned or integrity-checked. Every adapter that loads a script says. */
  pinning?: PinningSpec;
  /** Whether `stop()` can fully unload it without a page reload. */
  unloadWithoutReload: boolean | 'partial';
  /** What `stop()` calls and what stays behind, in plain words. */
  stopNote: string;
  /** The site id the adapter needs: the config key, the vendor's name for it, its format. */
  configId?: { setting: string; label: string; pattern: string; example: string };
  /** Further settings the adapter accepts. @default [] */
  options?: readonly SettingSpec[];
  /** For embeds: how the site tags them and what the placeholder must say. */
  embed?: EmbedSpec;
  /** Official script URLs ({placeholders} for site values). */
  scriptUrls: readonly string[];
  /** Limits the site owner must know (first-party proxies, loaders that inject more vendors). */
  notes?: readonly string[];
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
  /**
   * Holds the vendor's hosts again for the rest of the page view, without a withdrawal: what the
   * embed does when an adapter refuses a vendor whose live privacy settings fall short (R16).
   */
  hold?: () => void;
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
  /**
   * Injects the vendor as its official snippet would, with the most private settings on. Returns
   * false when it loaded nothing because the settings are invalid (fail closed; the error is logged).
   * Where the vendor exposes its live privacy settings, they are checked once it has started (R16).
   */
  load(context: AdapterContext): boolean;
  /** Stops the vendor via its shutdown API; removes its iframes, widgets and listeners. */
  stop(context: AdapterContext): StopResult;
  /** Deletes the cookies and storage keys the manifest declares. */
  purge(context: AdapterContext): void;
  /**
   * Chat adapters: opens the conversation once loaded (after the visitor accepted the chat-start
   * notice, R11), so one click on "Chat with us" is enough.
   */
  open?(context: AdapterContext): void;
}

/**
 * What a notice says about a vendor: the manifest's fields the banner shows. The script-tag build
 * ships them per vendor as `notices/<id>.js` (from `notices.generated.json`), so a first visit
 * fetches these texts rather than the adapters' code.
 */
export interface VendorNotice {
  id: string;
  name: string;
  legalName: string;
  purposes: readonly PurposeId[];
  captures: VendorManifest['captures'];
  /** As in the manifest: null (an own use, a cookie lifetime) where the notice points to `privacyPolicy`. */
  ownUse: false | string | null;
  privacyPolicy: string;
  cookies: ReadonlyArray<{ name: string; lifetime: string | null }>;
  embed?: { receives: string };
}
