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

const TOP_LEVEL = new Set([
  'vendors',
  'allow',
  'unregistered',
  'log',
  'purposes',
  'notice',
  'language',
  'theme',
  'policy',
  'controller',
  'cookie',
  'expiryDays',
  'scriptGrants',
  'jurisdiction',
  'texts',
  'contact',
  'banner',
]);

/** The longest consent lifetime we accept: two years, the VPPA's bound for video-viewing consent. */
export const MAX_EXPIRY_DAYS = 730;

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
  for (const key of Object.keys(input)) {
    if (!TOP_LEVEL.has(key)) fail(key, __EXPLAIN__ && `unknown option${suggest(key, [...TOP_LEVEL])}`);
  }

  const known = new Map(options.vendors.map((v) => [v.id, v]));

  const purposes: Record<PurposeId, PurposeSettings> = {};
  if (input.purposes !== undefined) {
    if (!isObject(input.purposes))
      fail('purposes', __EXPLAIN__ && `must be an object of purpose ids, got ${describe(input.purposes)}`);
    else
      for (const [id, settings] of Object.entries(input.purposes)) {
        const path = `purposes.${id}`;
        if (!isPurposeId(id))
          fail(path, __EXPLAIN__ && 'a purpose id is lowercase letters, digits and dashes, 1-32 long');
        else if (!isObject(settings))
          fail(path, __EXPLAIN__ && `must be an object, got ${describe(settings)}`);
        else {
          const title = textMap(settings.title, `${path}.title`, fail);
          const description = textMap(settings.description, `${path}.description`, fail);
          purposes[id] = { ...(title && { title }), ...(description && { description }) };
        }
      }
  }
  const purposeIds = new Set<string>([...BUILTIN_PURPOSES, ...Object.keys(purposes)]);

  const vendors: Record<string, VendorSettings> = {};
  const excluded: ConfigError[] = [];
  if (input.vendors === undefined)
    fail('vendors', __EXPLAIN__ && 'is required (an object keyed by adapter id; it may be empty)');
  else if (!isObject(input.vendors))
    fail('vendors', __EXPLAIN__ && `must be an object keyed by adapter id, got ${describe(input.vendors)}`);
  else
    for (const [id, settings] of Object.entries(input.vendors)) {
      const path = `vendors.${id}`;
      const vendor = known.get(id);
      if (!vendor) {
        fail(path, __EXPLAIN__ && `no adapter "${id}"${suggest(id, [...known.keys()])}`);
        continue;
      }
      if (!isObject(settings)) {
        fail(path, __EXPLAIN__ && `must be an object of the adapter's settings, got ${describe(settings)}`);
        continue;
      }
      if (settings.hosts !== undefined) {
        if (!Array.isArray(settings.hosts))
          fail(`${path}.hosts`, __EXPLAIN__ && 'must be an array of host patterns');
        else
          settings.hosts.forEach((h: unknown, i: number) => {
            if (typeof h !== 'string' || !isHostPattern(h))
              fail(
                `${path}.hosts[${i}]`,
                __EXPLAIN__ && `${describe(h)} is not a host pattern (metrics.example.com, *.example.com)`,
              );
          });
      }
      if (settings.snippet !== undefined && typeof settings.snippet !== 'boolean')
        fail(`${path}.snippet`, __EXPLAIN__ && `must be true or false, got ${describe(settings.snippet)}`);
      if (settings.purposes !== undefined) {
        if (!Array.isArray(settings.purposes) || settings.purposes.length === 0)
          fail(`${path}.purposes`, __EXPLAIN__ && 'must be a non-empty array of purpose ids');
        else
          settings.purposes.forEach((p: unknown, i: number) => {
            const ppath = `${path}.purposes[${i}]`;
            if (typeof p !== 'string' || !purposeIds.has(p))
              fail(ppath, __EXPLAIN__ && `unknown purpose ${describe(p)}`);
            else if (!vendor.purposes.includes(p))
              fail(ppath, __EXPLAIN__ && `${vendor.legalName} is not declared for "${p}"`);
            else if (
              p === NECESSARY &&
              (vendor.capturesContents || vendor.purposes.some((q) => CONTENT_PURPOSES.includes(q)))
            )
              fail(
                ppath,
                __EXPLAIN__ &&
                  `"necessary" cannot carry ${vendor.legalName}: it captures the contents of communications`,
              );
          });
      }
      // A vendor whose own settings are invalid fails closed alone: it is not configured at all.
      const bad = vendor.settings ? settingErrors(path, vendor.settings, settings) : [];
      if (bad.length) excluded.push(...bad);
      else vendors[id] = settings as VendorSettings;
    }

  const allow: string[] = [];
  if (input.allow !== undefined) {
    if (!Array.isArray(input.allow))
      fail('allow', __EXPLAIN__ && `must be an array of host patterns, got ${describe(input.allow)}`);
    else
      input.allow.forEach((h: unknown, i: number) => {
        if (typeof h !== 'string' || !isHostPattern(h))
          fail(
            `allow[${i}]`,
            __EXPLAIN__ &&
              `${describe(h)} is not a host pattern (example.com, *.example.com, cdn.example.com:8443)`,
          );
        else allow.push(h);
      });
  }

  const unregistered = oneOf(input.unregistered, 'unregistered', ['block', 'report'] as const, 'block', fail);
  const theme = oneOf(input.theme, 'theme', ['light', 'dark', 'auto'] as const, 'auto', fail);
  const scriptGrants = oneOf(
    input.scriptGrants,
    'scriptGrants',
    ['refuse', 'allow'] as const,
    'refuse',
    fail,
  );

  let log: AllpartyConfig['log'] = null;
  if (input.log !== undefined && input.log !== null) {
    if (!isObject(input.log))
      fail(
        'log',
        __EXPLAIN__ && `must be an object like { "endpoint": "/consent" }, got ${describe(input.log)}`,
      );
    else if (typeof input.log.endpoint !== 'string' || !isUrlish(input.log.endpoint))
      fail('log.endpoint', __EXPLAIN__ && `must be a URL or a path, got ${describe(input.log.endpoint)}`);
    else log = { endpoint: input.log.endpoint };
  }

  let notice = { id: 'default', version: '1' };
  if (input.notice !== undefined) {
    if (!isObject(input.notice))
      fail('notice', __EXPLAIN__ && `must be an object like { "id": "main", "version": "2026-01" }`);
    else {
      const id = optionalString(input.notice.id, 'notice.id', fail) ?? notice.id;
      const version = optionalString(input.notice.version, 'notice.version', fail) ?? notice.version;
      notice = { id, version };
    }
  }

  let language = 'auto';
  if (input.language !== undefined) {
    if (typeof input.language !== 'string' || !/^(auto|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$/.test(input.language))
      fail(
        'language',
        __EXPLAIN__ &&
          `must be "auto" or a language tag like "es" or "pt-BR", got ${describe(input.language)}`,
      );
    else language = input.language;
  }

  let policy: AllpartyConfig['policy'] = null;
  if (input.policy !== undefined && input.policy !== null) {
    if (!isObject(input.policy))
      fail('policy', __EXPLAIN__ && 'must be an object like { "url": "/privacy", "version": "3" }');
    else if (typeof input.policy.url !== 'string' || !isUrlish(input.policy.url))
      fail('policy.url', __EXPLAIN__ && `must be a URL or a path, got ${describe(input.policy.url)}`);
    else
      policy = {
        url: input.policy.url,
        version: optionalString(input.policy.version, 'policy.version', fail) ?? '',
      };
  }

  let controller: ControllerSettings | null = null;
  if (input.controller !== undefined && input.controller !== null) {
    if (!isObject(input.controller) || typeof input.controller.name !== 'string' || !input.controller.name)
      fail('controller', __EXPLAIN__ && 'must be an object with at least a "name"');
    else {
      const c: ControllerSettings = { name: input.controller.name };
      for (const key of ['contact', 'email', 'address', 'phone'] as const) {
        const value = optionalString(input.controller[key], `controller.${key}`, fail);
        if (value !== undefined) c[key] = value;
      }
      controller = c;
    }
  }

  const cookie: AllpartyConfig['cookie'] = { name: 'allparty', domain: null };
  if (input.cookie !== undefined) {
    if (!isObject(input.cookie))
      fail('cookie', __EXPLAIN__ && 'must be an object like { "name": "allparty", "domain": "example.com" }');
    else {
      const name = optionalString(input.cookie.name, 'cookie.name', fail);
      if (name !== undefined) {
        if (/^[A-Za-z0-9_-]{1,64}$/.test(name)) cookie.name = name;
        else fail('cookie.name', __EXPLAIN__ && 'must be 1-64 letters, digits, "_" or "-"');
      }
      const domain = optionalString(input.cookie.domain, 'cookie.domain', fail);
      if (domain !== undefined) {
        if (/^\.?[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(domain)) cookie.domain = domain;
        else fail('cookie.domain', __EXPLAIN__ && `${describe(domain)} is not a domain`);
      }
      for (const key of Object.keys(input.cookie))
        if (key !== 'name' && key !== 'domain') fail(`cookie.${key}`, __EXPLAIN__ && 'unknown option');
    }
  }

  let expiryDays = 365;
  if (input.expiryDays !== undefined) {
    const n = input.expiryDays;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_EXPIRY_DAYS)
      fail(
        'expiryDays',
        __EXPLAIN__ && `must be a whole number of days from 1 to ${MAX_EXPIRY_DAYS}, got ${describe(n)}`,
      );
    else expiryDays = n;
  }

  let jurisdiction: string | null = null;
  if (input.jurisdiction !== undefined && input.jurisdiction !== null) {
    if (typeof input.jurisdiction !== 'string' || !/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(input.jurisdiction))
      fail(
        'jurisdiction',
        __EXPLAIN__ && `must be an ISO 3166 code like "US-CA" or "FR", got ${describe(input.jurisdiction)}`,
      );
    else jurisdiction = input.jurisdiction;
  }

  const texts: AllpartyConfig['texts'] = {};
  if (input.texts !== undefined) {
    if (!isObject(input.texts)) fail('texts', __EXPLAIN__ && 'must be an object keyed by language');
    else
      for (const [lang, map] of Object.entries(input.texts)) {
        const parsed = textMap(map, `texts.${lang}`, fail);
        if (parsed) texts[lang] = parsed;
      }
  }

  let contact: AllpartyConfig['contact'] = null;
  if (input.contact !== undefined && input.contact !== null) {
    if (!isObject(input.contact) || typeof input.contact.url !== 'string' || !isUrlish(input.contact.url))
      fail(
        'contact',
        __EXPLAIN__ && 'must be an object like { "url": "mailto:help@example.com", "label": "Email us" }',
      );
    else {
      const label = optionalString(input.contact.label, 'contact.label', fail);
      contact = label === undefined ? { url: input.contact.url } : { url: input.contact.url, label };
    }
  }

  let banner = true;
  if (input.banner !== undefined) {
    if (typeof input.banner !== 'boolean')
      fail('banner', __EXPLAIN__ && `must be true or false, got ${describe(input.banner)}`);
    else banner = input.banner;
  }

  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    excluded,
    config: {
      vendors,
      allow,
      unregistered,
      log,
      purposes,
      notice,
      language,
      theme,
      policy,
      controller,
      cookie,
      expiryDays,
      scriptGrants,
      jurisdiction,
      texts,
      contact,
      banner,
    },
  };
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

/**
 * Records a problem. The message is `false` where `__EXPLAIN__` is off (the embed's main bundle,
 * which names the fields at once and loads the explanations from a lazy chunk).
 */
type Fail = (path: string, message: string | false) => void;

/** A plain object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function isUrlish(value: string): boolean {
  return /^(https?:\/\/[^\s]+|mailto:[^\s]+|tel:[^\s]+|\/[^\s]*)$/i.test(value);
}

function oneOf<T extends string>(
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

function optionalString(value: unknown, path: string, fail: Fail): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  fail(path, __EXPLAIN__ && `must be a string, got ${describe(value)}`);
  return undefined;
}

function textMap(value: unknown, path: string, fail: Fail): Record<string, string> | undefined {
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
function suggest(word: string, candidates: readonly string[]): string {
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
