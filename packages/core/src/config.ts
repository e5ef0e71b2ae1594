import {
  describe,
  type Fail,
  isObject,
  isUrlish,
  oneOf,
  optionalString,
  suggest,
  textMap,
} from './config-values';
import { BUILTIN_PURPOSES, CONTENT_PURPOSES, isPurposeId, NECESSARY, type PurposeId } from './purposes';
import type { SettingRule, VendorDescriptor } from './vendor';

/** Settings for one configured vendor: adapter settings (`{ "siteId": "123" }`) or `{ "snippet": true }`. */
export interface VendorSettings {
  /** The page carries the vendor's own tagged snippet; the adapter does not inject one. @default false */
  snippet?: boolean;
  /** Narrow the purposes this vendor is used for (a subset of its manifest's). @default the manifest's */
  purposes?: PurposeId[];
  /**
   * More hosts the site routes this vendor through (a first-party proxy or custom domain such as
   * `metrics.example.com` for server-side tagging): held like the vendor's own, even on the
   * site's own domain. @default []
   */
  hosts?: string[];
  /** Adapter-specific settings (ids, regions); validated by the adapter. */
  [setting: string]: unknown;
}

/** A site-defined purpose, or texts for a built-in one (listing a built-in also shows it without vendors). */
export interface PurposeSettings {
  /** Title per language (`{ "en": "Personalisation" }`). */
  title?: Record<string, string>;
  /** Description per language. */
  description?: Record<string, string>;
}

/** The data controller named in records (ISO/IEC TS 27560, Kantara CR v1.1 "piiControllers"). */
export interface ControllerSettings {
  name: string;
  contact?: string;
  email?: string;
  address?: string;
  phone?: string;
}

/** The config object, the same for the script tag and for npm users. */
export interface AllpartyConfig {
  /** Vendors keyed by adapter id; only vendors listed here can ever be released. */
  vendors: Record<string, VendorSettings>;
  /** First-party-like hosts (the site's CDN, fonts) the guard leaves alone. @default [] */
  allow: string[];
  /** What to do with a third-party host no configured vendor declares. @default "block" */
  unregistered: 'block' | 'report';
  /** Where consent records go. @default null (records stay in the browser queue) */
  log: { endpoint: string } | null;
  /** Site-defined purposes beside the built-ins. @default {} */
  purposes: Record<PurposeId, PurposeSettings>;
  /** Notice identity: an id and a human version label; the hash is computed from the rendered text. */
  notice: { id: string; version: string };
  /** Language of the notice, or "auto" to follow the page and the browser. @default "auto" */
  language: string;
  /** Banner theme. @default "auto" */
  theme: 'light' | 'dark' | 'auto';
  /** Privacy policy. @default null */
  policy: { url: string; version: string } | null;
  /** The site's data controller, named in records. @default null */
  controller: ControllerSettings | null;
  /** The consent cookie. @default { name: "allparty", domain: null } */
  cookie: { name: string; domain: string | null };
  /** Days a decision stays valid before it is asked again (R30). @default 365 */
  expiryDays: number;
  /** Grants from script without transient user activation: refused unless "allow". @default "refuse" */
  scriptGrants: 'refuse' | 'allow';
  /** Jurisdiction hint from the server or edge (`US-CA`, `FR`), or null when unknown. @default null */
  jurisdiction: string | null;
  /** Text overrides per language and key (`{ "es": { "acceptAll": "Aceptar todo" } }`). @default {} */
  texts: Record<string, Record<string, string>>;
  /** A non-recorded contact alternative offered when a visitor declines a chat. @default null */
  contact: { url: string; label?: string } | null;
  /** Show allparty's banner; false for sites that render their own notice and call the API. @default true */
  banner: boolean;
}

/** One precise problem in a config: where, and why. */
export interface ConfigError {
  /** Dotted path of the offending field (`vendors.hotjar.purposes[0]`). */
  path: string;
  /** Why, in words; empty in a build without `__EXPLAIN__` (the embed's main bundle). */
  message: string;
}

export type ConfigResult =
  | {
      ok: true;
      config: AllpartyConfig;
      /**
       * Vendors left out of `config.vendors` because their settings are invalid (their descriptor's
       * `settings` rules): each fails closed on its own, and the others run. Say so in the console.
       */
      excluded: ConfigError[];
    }
  | { ok: false; errors: ConfigError[] };

/** Options for {@link parseConfig}. */
export interface ParseConfigOptions {
  /** Vendors that may be configured (the adapters available). */
  vendors: readonly VendorDescriptor[];
}

/** The longest consent lifetime we accept: two years, the VPPA's bound for video-viewing consent. */
export const MAX_EXPIRY_DAYS = 730;

/** What an option's reader has besides its value. */
interface ReadContext {
  /** The vendors that may be configured (the adapters available), by id. */
  known: ReadonlyMap<string, VendorDescriptor>;
  /** The options read so far, in the order of {@link OPTIONS} (`purposes` before `vendors`). */
  config: Partial<AllpartyConfig>;
  /** Vendors left out for their invalid settings. */
  excluded: ConfigError[];
}

/**
 * Reads one option: its value (undefined when absent) at `path`. It reports every problem through
 * `fail` and returns what the config gets, its default when absent.
 */
type Reader<T> = (value: unknown, path: string, fail: Fail, ctx: ReadContext) => T;

/**
 * How each option is read, in the order it is read (and its problems reported). A new option is
 * a row here and a field of {@link AllpartyConfig}; one without the other fails to compile. The
 * list of known options (for "unknown option") and the parsed config follow from this table.
 */
const OPTIONS: { [K in keyof AllpartyConfig]: Reader<AllpartyConfig[K]> } = {
  purposes: readPurposes,
  vendors: readVendors,
  allow: (value, path, fail) =>
    hostList(value, path, fail, __EXPLAIN__ && '(example.com, *.example.com, cdn.example.com:8443)') ?? [],
  unregistered: (value, path, fail) => oneOf(value, path, ['block', 'report'], 'block', fail),
  theme: (value, path, fail) => oneOf(value, path, ['light', 'dark', 'auto'], 'auto', fail),
  scriptGrants: (value, path, fail) => oneOf(value, path, ['refuse', 'allow'], 'refuse', fail),
  log: readLog,
  notice: readNotice,
  language: (value, path, fail) =>
    matching(
      value,
      path,
      fail,
      'auto',
      /^(auto|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$/,
      'must be "auto" or a language tag like "es" or "pt-BR"',
    ),
  policy: readPolicy,
  controller: readController,
  cookie: readCookie,
  expiryDays: readExpiryDays,
  jurisdiction: (value, path, fail) =>
    value === null
      ? null
      : matching(
          value,
          path,
          fail,
          null,
          /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/,
          'must be an ISO 3166 code like "US-CA" or "FR"',
        ),
  texts: readTexts,
  contact: readContact,
  banner: (value, path, fail) => {
    if (value === undefined || typeof value === 'boolean') return value ?? true;
    fail(path, __EXPLAIN__ && `must be true or false, got ${describe(value)}`);
    return true;
  },
};

const OPTION_NAMES = Object.keys(OPTIONS) as Array<keyof AllpartyConfig>;

/**
 * Parses and validates a config. Never throws: an invalid config yields every error found,
 * and callers fail closed (no vendor is released).
 */
export function parseConfig(input: unknown, options: ParseConfigOptions): ConfigResult {
  const errors: ConfigError[] = [];
  const fail: Fail = (path, message) => {
    errors.push({ path, message: message || '' });
  };
  if (!isObject(input)) {
    fail('(root)', __EXPLAIN__ && `the config must be a JSON object, got ${describe(input)}`);
    return { ok: false, errors };
  }
  for (const key of Object.keys(input))
    if (!(OPTION_NAMES as string[]).includes(key))
      fail(key, __EXPLAIN__ && `unknown option${suggest(key, OPTION_NAMES)}`);
  const ctx: ReadContext = {
    known: new Map(options.vendors.map((v) => [v.id, v])),
    config: {},
    excluded: [],
  };
  const config = ctx.config as Record<keyof AllpartyConfig, unknown>;
  for (const name of OPTION_NAMES) config[name] = OPTIONS[name](input[name], name, fail, ctx);
  if (errors.length) return { ok: false, errors };
  return { ok: true, excluded: ctx.excluded, config: ctx.config as AllpartyConfig };
}

/** A string matching `pattern`, `fallback` when absent. */
function matching<T extends string | null>(
  value: unknown,
  path: string,
  fail: Fail,
  fallback: T,
  pattern: RegExp,
  explanation: string,
): string | T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && pattern.test(value)) return value;
  fail(path, __EXPLAIN__ && `${explanation}, got ${describe(value)}`);
  return fallback;
}

/** An array of host patterns (`allow`, a vendor's `hosts`); undefined when absent or not an array. */
function hostList(value: unknown, path: string, fail: Fail, examples: string | false): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    fail(path, __EXPLAIN__ && `must be an array of host patterns, got ${describe(value)}`);
    return undefined;
  }
  const hosts: string[] = [];
  value.forEach((h: unknown, i: number) => {
    if (typeof h !== 'string' || !isHostPattern(h))
      fail(`${path}[${i}]`, __EXPLAIN__ && `${describe(h)} is not a host pattern ${examples}`);
    else hosts.push(h);
  });
  return hosts;
}

function readPurposes(value: unknown, path: string, fail: Fail): AllpartyConfig['purposes'] {
  const purposes: Record<PurposeId, PurposeSettings> = {};
  if (value === undefined) return purposes;
  if (!isObject(value)) {
    fail(path, __EXPLAIN__ && `must be an object of purpose ids, got ${describe(value)}`);
    return purposes;
  }
  for (const [id, settings] of Object.entries(value)) {
    const at = `${path}.${id}`;
    if (!isPurposeId(id))
      fail(at, __EXPLAIN__ && 'a purpose id is lowercase letters, digits and dashes, 1-32 long');
    else if (!isObject(settings)) fail(at, __EXPLAIN__ && `must be an object, got ${describe(settings)}`);
    else {
      const title = textMap(settings.title, `${at}.title`, fail);
      const description = textMap(settings.description, `${at}.description`, fail);
      purposes[id] = { ...(title && { title }), ...(description && { description }) };
    }
  }
  return purposes;
}

function readVendors(value: unknown, path: string, fail: Fail, ctx: ReadContext): AllpartyConfig['vendors'] {
  const vendors: Record<string, VendorSettings> = {};
  if (value === undefined)
    fail(path, __EXPLAIN__ && 'is required (an object keyed by adapter id; it may be empty)');
  else if (!isObject(value))
    fail(path, __EXPLAIN__ && `must be an object keyed by adapter id, got ${describe(value)}`);
  else
    for (const [id, settings] of Object.entries(value)) {
      const vendor = ctx.known.get(id);
      const at = `${path}.${id}`;
      if (!vendor) fail(at, __EXPLAIN__ && `no adapter "${id}"${suggest(id, [...ctx.known.keys()])}`);
      else if (!isObject(settings))
        fail(at, __EXPLAIN__ && `must be an object of the adapter's settings, got ${describe(settings)}`);
      else if (vendorSettingsValid(vendor, settings, at, fail, ctx)) vendors[id] = settings as VendorSettings;
    }
  return vendors;
}

/**
 * Checks the settings the core reads (`hosts`, `snippet`, `purposes`: problems with these make the
 * config invalid), then the descriptor's own: a vendor whose own settings are invalid fails closed
 * alone, left out of the config (false) and named in `ctx.excluded`.
 */
function vendorSettingsValid(
  vendor: VendorDescriptor,
  settings: Record<string, unknown>,
  path: string,
  fail: Fail,
  ctx: ReadContext,
): boolean {
  hostList(settings.hosts, `${path}.hosts`, fail, __EXPLAIN__ && '(metrics.example.com, *.example.com)');
  if (settings.snippet !== undefined && typeof settings.snippet !== 'boolean')
    fail(`${path}.snippet`, __EXPLAIN__ && `must be true or false, got ${describe(settings.snippet)}`);
  if (settings.purposes !== undefined) {
    if (!Array.isArray(settings.purposes) || settings.purposes.length === 0)
      fail(`${path}.purposes`, __EXPLAIN__ && 'must be a non-empty array of purpose ids');
    else
      settings.purposes.forEach((p: unknown, i: number) => {
        const problem = vendorPurposeProblem(vendor, p, ctx.config.purposes ?? {});
        if (problem !== null) fail(`${path}.purposes[${i}]`, problem);
      });
  }
  const bad = vendor.settings ? settingErrors(path, vendor.settings, settings) : [];
  ctx.excluded.push(...bad);
  return bad.length === 0;
}

/**
 * Why a vendor cannot be narrowed to purpose `p` (`false`: it cannot, and the build carries no
 * explanations), or null when it can.
 */
function vendorPurposeProblem(
  vendor: VendorDescriptor,
  p: unknown,
  sitePurposes: Record<PurposeId, PurposeSettings>,
): string | false | null {
  if (
    typeof p !== 'string' ||
    !(BUILTIN_PURPOSES.includes(p as never) || Object.keys(sitePurposes).includes(p))
  )
    return __EXPLAIN__ && `unknown purpose ${describe(p)}`;
  if (!vendor.purposes.includes(p)) return __EXPLAIN__ && `${vendor.legalName} is not declared for "${p}"`;
  if (
    p === NECESSARY &&
    (vendor.capturesContents || vendor.purposes.some((q) => CONTENT_PURPOSES.includes(q)))
  )
    return (
      __EXPLAIN__ &&
      `"necessary" cannot carry ${vendor.legalName}: it captures the contents of communications`
    );
  return null;
}

function readLog(value: unknown, path: string, fail: Fail): AllpartyConfig['log'] {
  if (value === undefined || value === null) return null;
  if (!isObject(value))
    fail(path, __EXPLAIN__ && `must be an object like { "endpoint": "/consent" }, got ${describe(value)}`);
  else if (!isUrlish(value.endpoint))
    fail(`${path}.endpoint`, __EXPLAIN__ && `must be a URL or a path, got ${describe(value.endpoint)}`);
  else return { endpoint: value.endpoint };
  return null;
}

function readNotice(value: unknown, path: string, fail: Fail): AllpartyConfig['notice'] {
  const notice = { id: 'default', version: '1' };
  if (value === undefined) return notice;
  if (!isObject(value)) {
    fail(path, __EXPLAIN__ && `must be an object like { "id": "main", "version": "2026-01" }`);
    return notice;
  }
  return {
    id: optionalString(value.id, `${path}.id`, fail) ?? notice.id,
    version: optionalString(value.version, `${path}.version`, fail) ?? notice.version,
  };
}

function readPolicy(value: unknown, path: string, fail: Fail): AllpartyConfig['policy'] {
  if (value === undefined || value === null) return null;
  if (!isObject(value))
    fail(path, __EXPLAIN__ && 'must be an object like { "url": "/privacy", "version": "3" }');
  else if (!isUrlish(value.url))
    fail(`${path}.url`, __EXPLAIN__ && `must be a URL or a path, got ${describe(value.url)}`);
  else return { url: value.url, version: optionalString(value.version, `${path}.version`, fail) ?? '' };
  return null;
}

function readController(value: unknown, path: string, fail: Fail): AllpartyConfig['controller'] {
  if (value === undefined || value === null) return null;
  if (!isObject(value) || typeof value.name !== 'string' || !value.name) {
    fail(path, __EXPLAIN__ && 'must be an object with at least a "name"');
    return null;
  }
  const controller: ControllerSettings = { name: value.name };
  for (const key of ['contact', 'email', 'address', 'phone'] as const) {
    const text = optionalString(value[key], `${path}.${key}`, fail);
    if (text !== undefined) controller[key] = text;
  }
  return controller;
}

function readCookie(value: unknown, path: string, fail: Fail): AllpartyConfig['cookie'] {
  const cookie: AllpartyConfig['cookie'] = { name: 'allparty', domain: null };
  if (value === undefined) return cookie;
  if (!isObject(value)) {
    fail(path, __EXPLAIN__ && 'must be an object like { "name": "allparty", "domain": "example.com" }');
    return cookie;
  }
  const name = optionalString(value.name, `${path}.name`, fail);
  if (name !== undefined) {
    if (/^[A-Za-z0-9_-]{1,64}$/.test(name)) cookie.name = name;
    else fail(`${path}.name`, __EXPLAIN__ && 'must be 1-64 letters, digits, "_" or "-"');
  }
  const domain = optionalString(value.domain, `${path}.domain`, fail);
  if (domain !== undefined) {
    if (/^\.?[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(domain)) cookie.domain = domain;
    else fail(`${path}.domain`, __EXPLAIN__ && `${describe(domain)} is not a domain`);
  }
  for (const key of Object.keys(value))
    if (key !== 'name' && key !== 'domain') fail(`${path}.${key}`, __EXPLAIN__ && 'unknown option');
  return cookie;
}

function readExpiryDays(value: unknown, path: string, fail: Fail): number {
  if (value === undefined) return 365;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_EXPIRY_DAYS)
    return value;
  fail(
    path,
    __EXPLAIN__ && `must be a whole number of days from 1 to ${MAX_EXPIRY_DAYS}, got ${describe(value)}`,
  );
  return 365;
}

function readTexts(value: unknown, path: string, fail: Fail): AllpartyConfig['texts'] {
  const texts: AllpartyConfig['texts'] = {};
  if (value === undefined) return texts;
  if (!isObject(value)) fail(path, __EXPLAIN__ && 'must be an object keyed by language');
  else
    for (const [lang, map] of Object.entries(value)) {
      const parsed = textMap(map, `${path}.${lang}`, fail);
      if (parsed) texts[lang] = parsed;
    }
  return texts;
}

function readContact(value: unknown, path: string, fail: Fail): AllpartyConfig['contact'] {
  if (value === undefined || value === null) return null;
  if (!isObject(value) || !isUrlish(value.url)) {
    fail(
      path,
      __EXPLAIN__ && 'must be an object like { "url": "mailto:help@example.com", "label": "Email us" }',
    );
    return null;
  }
  const label = optionalString(value.label, `${path}.label`, fail);
  return label === undefined ? { url: value.url } : { url: value.url, label };
}

/** Formats config errors as one console message that says exactly which field is wrong and why. */
export function formatConfigErrors(errors: readonly ConfigError[]): string {
  return `allparty: the config is invalid, so no vendor will load (failing closed):\n${errors
    .map((e) => `  - ${e.path}: ${e.message}`)
    .join('\n')}`;
}

/** Settings the core reads for every vendor, beside its descriptor's own. */
const CORE_VENDOR_SETTINGS = ['snippet', 'purposes', 'hosts'];

/**
 * Checks one vendor's settings against its descriptor's rules: unknown settings, required ones
 * (unless it is a snippet vendor), types, formats and allowed values.
 */
export function settingErrors(
  path: string,
  rules: readonly SettingRule[],
  settings: Record<string, unknown>,
): ConfigError[] {
  const errors: ConfigError[] = [];
  const fail: Fail = (p, message) => {
    errors.push({ path: p, message: message || '' });
  };
  for (const key of Object.keys(settings))
    if (!CORE_VENDOR_SETTINGS.includes(key) && !rules.some((r) => r.name === key))
      fail(`${path}.${key}`, __EXPLAIN__ && 'unknown setting for this vendor');
  for (const rule of rules) {
    const value = settings[rule.name];
    const p = `${path}.${rule.name}`;
    if (value === undefined) {
      if (rule.required && settings.snippet !== true) fail(p, __EXPLAIN__ && 'is required');
    } else if (rule.boolean) {
      if (typeof value !== 'boolean') fail(p, __EXPLAIN__ && `must be true or false, got ${describe(value)}`);
    } else if (rule.values || rule.pattern) {
      if (typeof value !== 'string') fail(p, __EXPLAIN__ && `must be a string, got ${describe(value)}`);
      else if (rule.values ? !rule.values.includes(value) : !new RegExp(rule.pattern ?? '').test(value))
        fail(p, __EXPLAIN__ && `${describe(value)} is not valid here`);
    }
  }
  return errors;
}

/** Whether a string is a valid host pattern for `allow` and vendor manifests. */
export function isHostPattern(value: string): boolean {
  return /^(wss?:\/\/|https?:\/\/)?(\*\.|\.)?[a-z0-9\u00a1-\uffff-]+(\.[a-z0-9\u00a1-\uffff-]+)*(:\d{1,5})?(\/[^\s]*)?$/i.test(
    value,
  );
}
