import type { PurposeId } from './purposes';

/** A vendor id: an adapter id, a config key, a key in records. */
export const VENDOR_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * How the core checks one vendor setting before the vendor may be offered or released: a string
 * matching `pattern`, one of `values`, a boolean, or (none of these) any value its adapter checks.
 */
export interface SettingRule {
  name: string;
  pattern?: string;
  values?: readonly string[];
  boolean?: boolean;
  /** Required unless the page carries the vendor's own snippet (`{ "snippet": true }`). @default false */
  required?: boolean;
}

/**
 * What the core needs to know of a vendor: who it is, what it is for, where it sends
 * requests. `@allparty/vendors` manifests satisfy this; npm users may pass their own.
 */
export interface VendorDescriptor {
  /** Stable adapter id, as used in config keys and records (`hotjar`). */
  id: string;
  /** Legal name of the company that receives the data. */
  legalName: string;
  /** Purposes the vendor serves; it is released only when all of them are granted. */
  purposes: readonly PurposeId[];
  /**
   * Host patterns the vendor's scripts, frames, pixels and beacons use:
   * `static.hotjar.com`, `*.hotjar.com` (any subdomain, not the apex),
   * `.hotjar.com` (the apex and any subdomain), optionally with a port
   * (`cdn.example.com:8443`) and a path prefix (`www.googletagmanager.com/gtag/`).
   */
  hosts: readonly string[];
  /** Whether the vendor captures contents (typed text, chat, replay) rather than only addressing data. */
  capturesContents?: boolean;
  /**
   * The notice-relevant facts about the vendor (what it captures, own use, cookie
   * lifetimes) in any stable form; a change asks visitors again for its purposes (R9).
   */
  disclosure?: string;
  /**
   * The settings the vendor accepts beside `snippet`, `purposes` and `hosts`. When given, a vendor
   * whose settings break a rule (or name an unknown one) is left out of the config by
   * `parseConfig`: never offered, never granted, its hosts held. @default unchecked
   */
  settings?: readonly SettingRule[];
}
