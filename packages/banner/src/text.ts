import { en, type Messages } from './i18n/en';
import { forbiddenPhrase, type NoticeProblem } from './lint';

/**
 * What the banner needs of a vendor manifest. `@allparty/vendors` manifests (`VendorManifest`)
 * satisfy it as they are; the banner text is generated from these fields (R6, R31).
 */
export interface BannerVendor {
  id: string;
  /** Display name ("Hotjar"). */
  name: string;
  /** The company that receives the data ("Hotjar Ltd."). */
  legalName: string;
  purposes: readonly string[];
  /** What it captures, in plain words: contents (typed text, chat) and addressing data (IP address). */
  captures: { contents: readonly string[]; addressing: readonly string[] };
  /**
   * The vendor's own use of the data in plain words; false if none; null when not established, and
   * the notice says to see the vendor's own privacy policy.
   */
  ownUse: false | string | null;
  /** The vendor's own privacy policy (https), linked from the notice. */
  privacyPolicy?: string | undefined;
  /** A lifetime is null when not established: the notice says to see the vendor's privacy policy. */
  cookies: ReadonlyArray<{ name: string; lifetime: string | null }>;
  /** For click-to-load embeds: what the vendor receives when the visitor loads one. */
  embed?: { receives: string } | undefined;
}

/** The texts of one language: every {@link Messages} key, plus any extra keys from config. */
export type Texts = Messages & Record<string, string>;

/** What {@link resolveTexts} needs of the config. */
export interface TextsConfig {
  texts: Record<string, Record<string, string>>;
}

/**
 * The texts for a language: built-in (falling back to English key by key), then the site's
 * overrides. An override with a forbidden phrase is rejected (R8): reported, and the
 * built-in text is used instead.
 */
export function resolveTexts(
  language: string,
  builtIn: Partial<Messages> | undefined,
  config: TextsConfig,
): { texts: Texts; problems: NoticeProblem[] } {
  const texts: Texts = { ...en, ...builtIn };
  const problems: NoticeProblem[] = [];
  for (const [key, value] of Object.entries(config.texts[language] ?? {})) {
    const phrase = forbiddenPhrase(value);
    if (phrase) {
      problems.push({
        kind: 'forbidden-phrase',
        key,
        message: `texts.${language}.${key} says "${phrase}": an absolute promise or implied consent is not allowed while vendors run (R7, R8); the built-in text is shown instead`,
      });
      continue;
    }
    texts[key] = value;
  }
  return { texts, problems };
}

/**
 * Fills `{name}` placeholders. A value that ends with a full stop ("Intercom, Inc.") takes the
 * place of the template's own full stop right after it, so a sentence never ends "Inc..".
 */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}(\.?)/g, (all, key: string, stop: string) => {
    const value = values[key];
    if (value === undefined) return all;
    return value.endsWith('.') ? value : value + stop;
  });
}

/** "a, b and c" in the language of `texts`. */
export function joinList(items: readonly string[], texts: Texts): string {
  if (items.length < 2) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${texts.and} ${items[items.length - 1]}`;
}

const UNITS = { minute: 6e4, hour: 36e5, day: 864e5, week: 6048e5, month: 2592e6, year: 31536e6 } as const;
type Unit = keyof typeof UNITS;

function parseLifetime(value: string): { n: string; unit: Unit; ms: number } | null {
  const m = /(\d+)\s*(year|month|week|day|hour|minute)s?\b/i.exec(value);
  if (!m) return null;
  const unit = m[2]!.toLowerCase() as Unit;
  return { n: m[1]!, unit, ms: Number(m[1]) * UNITS[unit] };
}

/** A manifest's cookie lifetime ("1 year", "13 months", "session") in the visitor's language. */
export function lifetime(value: string, texts: Texts): string {
  if (/^\s*(browser\s+)?session(\s+cookie)?\s*$/i.test(value)) return texts.session;
  const p = parseLifetime(value);
  return p && /^\s*\d+\s*[a-z]+\s*$/i.test(value)
    ? fill(texts[p.n === '1' ? p.unit : (`${p.unit}s` as const)], { n: p.n })
    : value;
}

/**
 * The longest of a vendor's cookie lifetimes, in the visitor's language; where none is established
 * (null), what its privacy policy says.
 */
export function longestLifetime(values: ReadonlyArray<string | null>, texts: Texts): string {
  const known = values.filter((v): v is string => v !== null);
  let best: { n: string; unit: Unit; ms: number } | null = null;
  for (const v of known) {
    const p = parseLifetime(v);
    if (p && (!best || p.ms > best.ms)) best = p;
  }
  if (best) return fill(texts[best.n === '1' ? best.unit : (`${best.unit}s` as const)], { n: best.n });
  if (known.some((v) => /session/i.test(v))) return texts.session;
  return known.length ? lifetime(known[0]!, texts) : texts.lifetimeInPolicy;
}

/** A purpose's title and description: the site's texts for it, else the built-in ones. */
export function purposeText(
  purpose: string,
  texts: Texts,
  language: string,
  config: {
    purposes: Record<string, { title?: Record<string, string>; description?: Record<string, string> }>;
  },
): { title: string; body: string } {
  const site = config.purposes[purpose];
  return {
    title: site?.title?.[language] ?? site?.title?.en ?? texts[`${purpose}Title`] ?? purpose,
    body: site?.description?.[language] ?? site?.description?.en ?? texts[`${purpose}Body`] ?? '',
  };
}

/** The plain-words lines about a vendor (R6): what it receives, own use, cookie lifetimes. */
export function vendorLines(vendor: BannerVendor, texts: Texts): string[] {
  const items = [...vendor.captures.contents, ...vendor.captures.addressing];
  const captures = texts[`vendor.${vendor.id}.captures`] ?? joinList(items, texts);
  const ownUse =
    vendor.ownUse === false
      ? texts.vendorNoOwnUse
      : fill(texts.vendorOwnUse, { ownUse: ownUseText(vendor, texts) });
  const cookies = vendor.cookies.length
    ? fill(texts.vendorCookies, {
        count: String(vendor.cookies.length),
        max: longestLifetime(
          vendor.cookies.map((c) => c.lifetime),
          texts,
        ),
      })
    : texts.vendorNoCookies;
  return [...(captures ? [fill(texts.vendorCaptures, { items: stripStop(captures) })] : []), ownUse, cookies];
}

/**
 * The vendor's own use in plain words (a `vendor.ID.ownUse` text overrides the manifest's); where
 * it is not established, what the vendor's privacy policy says.
 */
export function ownUseText(vendor: BannerVendor, texts: Texts): string {
  const own = vendor.ownUse === null ? texts.ownUseInPolicy : vendor.ownUse || '';
  return stripStop(texts[`vendor.${vendor.id}.ownUse`] ?? own);
}

/** The vendor's privacy policy to link to: an https address, else none. */
export function policyLink(vendor: BannerVendor): string | null {
  return vendor.privacyPolicy && /^https:\/\/[^\s"'<>]+$/.test(vendor.privacyPolicy)
    ? vendor.privacyPolicy
    : null;
}

function stripStop(s: string): string {
  return s.replace(/[.。]\s*$/, '');
}

/** One purpose with the vendors used for it. */
export interface PurposeGroup {
  purpose: string;
  vendors: BannerVendor[];
}

/**
 * Groups the configured vendors by purpose, in the order the consent context lists them.
 * A configured vendor without a manifest still appears, by its legal name, and is reported:
 * the notice cannot say what it captures (R6).
 */
export function groupVendors(
  purposes: readonly string[],
  configured: Readonly<Record<string, readonly string[]>>,
  descriptors: ReadonlyArray<{ id: string; legalName: string }>,
  manifests: readonly BannerVendor[],
): {
  groups: PurposeGroup[];
  vendors: Record<string, BannerVendor>;
  /** Vendors without a manifest: named, but nothing is claimed about them. */
  unknown: Set<string>;
  problems: NoticeProblem[];
} {
  const unknown = new Set<string>();
  const vendors: Record<string, BannerVendor> = {};
  const problems: NoticeProblem[] = [];
  for (const id of Object.keys(configured)) {
    const manifest = manifests.find((m) => m.id === id);
    if (manifest) vendors[id] = manifest;
    else {
      unknown.add(id);
      const legalName = descriptors.find((d) => d.id === id)?.legalName ?? id;
      problems.push({
        kind: 'no-manifest',
        vendor: id,
        message: `no manifest for "${id}" was given to the banner, so the notice cannot say what ${legalName} captures (R6)`,
      });
      vendors[id] = {
        id,
        name: legalName,
        legalName,
        purposes: configured[id] ?? [],
        captures: { contents: [], addressing: [] },
        ownUse: false,
        cookies: [],
      };
    }
  }
  const groups = ['necessary', ...purposes].map((purpose) => ({
    purpose,
    vendors: Object.keys(configured)
      .filter((id) => configured[id]?.includes(purpose))
      .map((id) => vendors[id]!),
  }));
  return { groups, vendors, unknown, problems };
}
