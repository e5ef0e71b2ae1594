/**
 * Neutralises URL attributes in HTML strings before a parser sees them (innerHTML,
 * insertAdjacentHTML, document.write, createContextualFragment, DOMParser, srcdoc): a held
 * URL's attribute is renamed to `data-allparty-held-<name>`, so the element is created inert
 * and can be released later. A regex over tags rather than a parse, because document.write
 * receives fragments that are not well-formed HTML.
 */

/** Elements whose URL attributes make the browser fetch. */
const TAG =
  /<(script|iframe|frame|img|image|link|embed|object|source|video|audio|track|input|feimage)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
const ATTR = /(\s)((?:xlink:)?href|src|srcset|data|poster|srcdoc)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)/gi;

/** Prefix of the attribute a held URL is moved to. */
export const HELD_PREFIX = 'data-allparty-held-';

/**
 * Returns the HTML with every held URL attribute renamed. `isHeld` decides per URL; srcdoc
 * documents are neutralised recursively. Cheap when nothing could be held.
 */
export function neutralizeHtml(html: string, isHeld: (url: string, tag: string) => boolean): string {
  // An absolute URL needs a ':' or a leading '//' (or '\\\\', which URL parsing reads as '//').
  if (!/[:&]|\/\/|\\\\|srcdoc/i.test(html)) return html;
  return html.replace(TAG, (tag, name: string, attrs: string) => {
    const lower = name.toLowerCase();
    let changed = false;
    const next = attrs.replace(ATTR, (whole, space: string, attr: string, eq: string, quoted: string) => {
      const a = attr.toLowerCase();
      const raw = unquote(quoted);
      if (a === 'srcdoc') {
        const inner = neutralizeHtml(decodeEntities(raw), isHeld);
        if (inner === decodeEntities(raw)) return whole;
        changed = true;
        return `${space}${attr}${eq}"${inner.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`;
      }
      const value = decodeEntities(raw);
      const urls = a === 'srcset' ? srcsetUrls(value) : [value];
      if (!urls.some((u) => isHeld(u, lower))) return whole;
      changed = true;
      return `${space}${HELD_PREFIX}${a.replace(':', '-')}${eq}${quoted}`;
    });
    return changed ? `<${name}${next}>` : tag;
  });
}

/** The URLs of a srcset value. */
export function srcsetUrls(srcset: string): string[] {
  return srcset
    .split(',')
    .map((candidate) => candidate.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

function unquote(value: string): string {
  const q = value[0];
  return q === '"' || q === "'" ? value.slice(1, -1) : value;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  colon: ':',
  sol: '/',
  period: '.',
};

/** Decodes the character references that can hide a URL's scheme or host. */
export function decodeEntities(value: string): string {
  if (value.indexOf('&') < 0) return value;
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X'
          ? Number.parseInt(ref.slice(2), 16)
          : Number.parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}
