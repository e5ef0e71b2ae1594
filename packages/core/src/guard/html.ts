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
  // CSS first: `style` attributes and <style> blocks (their URLs can hide behind CSS escapes).
  if (/style/i.test(html)) html = neutralizeStyles(html, (url) => isHeld(url, 'style'));
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

/** `style` attributes (in any tag) and the text of <style> blocks. */
const STYLE_ATTR = /(\sstyle\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)/gi;
const STYLE_BLOCK = /(<style\b(?:[^>"']|"[^"]*"|'[^']*')*>)([\s\S]*?)(?=<\/style|$)/gi;

function neutralizeStyles(html: string, isHeld: (url: string) => boolean): string {
  return html
    .replace(STYLE_BLOCK, (whole, open: string, css: string) => {
      const next = neutralizeCss(css, isHeld);
      return next === css ? whole : open + next;
    })
    .replace(STYLE_ATTR, (whole, name: string, quoted: string) => {
      const css = decodeEntities(unquote(quoted));
      const next = neutralizeCss(css, isHeld);
      return next === css ? whole : `${name}"${next.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`;
    });
}

/**
 * What in CSS makes the browser fetch: `url(…)`, `@import "…"`, and the strings and URLs in
 * `image-set(…)` (and `-webkit-image-set`).
 */
const CSS_FETCH =
  /url\(\s*("[^"]*"|'[^']*'|[^)\s]*)\s*\)|@import\s*("[^"]*"|'[^']*')|image-set\(((?:[^()]|\([^()]*\))*)\)/gi;
const CSS_SET_ITEM = /url\(\s*("[^"]*"|'[^']*'|[^)\s]*)\s*\)|"[^"]*"|'[^']*'/gi;

/**
 * Returns CSS with every held URL replaced by `url()`, which fetches nothing (the declaration
 * or rule is then dropped by the browser as invalid or empty). CSS escapes can spell a URL
 * (`\\3a` for ':'): CSS whose decoded text still holds a held URL is dropped whole.
 */
export function neutralizeCss(css: string, isHeld: (url: string) => boolean): string {
  if (!/url\(|image-set\(|@import|\\/i.test(css)) return css;
  const held = (quoted: string) => isHeld(unquote(quoted.trim()));
  const out = css.replace(CSS_FETCH, (whole, url?: string, imported?: string, set?: string) => {
    if (set !== undefined) {
      const next = set.replace(CSS_SET_ITEM, (item, inner?: string) =>
        held(inner ?? item) ? 'url()' : item,
      );
      return next === set ? whole : `image-set(${next})`;
    }
    if (!held((url ?? imported)!)) return whole;
    return imported !== undefined ? '@import url()' : 'url()';
  });
  if (out.indexOf('\\') >= 0) {
    const decoded = out.replace(/\\([0-9a-f]{1,6})\s?|\\([^\n0-9a-f])/gi, (_, hex?: string, ch?: string) =>
      hex ? String.fromCodePoint(Math.min(Number.parseInt(hex, 16), 0x10ffff) || 0xfffd) : ch!,
    );
    if (decoded !== out && neutralizeCss(decoded, isHeld) !== decoded) return '';
  }
  return out;
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
