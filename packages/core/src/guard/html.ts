/**
 * Neutralises URL attributes in HTML strings before a parser sees them (innerHTML,
 * insertAdjacentHTML, document.write, createContextualFragment, DOMParser, srcdoc): a held
 * URL's attribute is renamed to `data-allparty-held-<name>`, so the element is created inert
 * and can be released later. A regex over tags rather than a parse, because document.write
 * receives fragments that are not well-formed HTML.
 */

/** Elements whose URL attributes make the browser fetch (and `<base>`, which moves relative URLs). */
const FETCHING = new Set(
  'script iframe frame img image feimage link embed object source video audio track input base body table thead tbody tfoot tr td th'.split(
    ' ',
  ),
);
/** Attributes that carry a URL (or, for srcdoc, a document). */
const URL_ATTR = /^(?:(?:xlink:)?href|src|srcset|imagesrcset|data|poster|srcdoc|background)$/;
/** Elements whose content the tokenizer reads as text up to their end tag. */
const RAW_TEXT = /^(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript)$/;
const SPACE = /[\t\n\f\r ]/;

/** Prefix of the attribute a held URL is moved to. */
export const HELD_PREFIX = 'data-allparty-held-';

/**
 * Rewrites the value of a URL attribute that is not held but must change: a frame's document
 * (srcdoc, data: and blob: URLs) gets the guard's policy. Returns undefined to keep it.
 */
export type Rewrite = (tag: string, attr: string, value: string) => string | undefined;

/**
 * Returns the HTML with every held URL attribute renamed. `isHeld` decides per URL; srcdoc
 * documents are neutralised recursively. Cheap when nothing could be held. Tags are read as
 * the HTML tokenizer reads them (attributes after "/" or a quote with no space, unquoted
 * values with quotes in them, text elements skipped), so markup cannot hide a URL from it.
 */
export function neutralizeHtml(
  html: string,
  isHeld: (url: string, tag: string) => boolean,
  rewrite?: Rewrite,
): string {
  // CSS first: `style` attributes and <style> blocks (their URLs can hide behind CSS escapes).
  if (/style/i.test(html)) html = neutralizeStyles(html, (url) => isHeld(url, 'style'));
  // An absolute URL needs a ':' or a leading '//' (or '\\\\', which URL parsing reads as '//').
  if (!/[:&]|\/\/|\\\\|srcdoc/i.test(html)) return html;
  let out = '';
  let done = 0;
  for (const tag of tags(html)) {
    const name = tag.name;
    if (!FETCHING.has(name)) continue;
    // Edits from the right, so earlier offsets stay valid.
    let text = html.slice(tag.start, tag.end);
    for (let k = tag.attrs.length - 1; k >= 0; k--) {
      const a = tag.attrs[k]!;
      if (a.value === null || !URL_ATTR.test(a.name)) continue;
      const value = decodeEntities(a.value);
      let next: string | undefined;
      if (a.name === 'srcdoc') {
        const inner = neutralizeHtml(value, isHeld, rewrite);
        next = rewrite?.(name, a.name, inner) ?? (inner === value ? undefined : inner);
      } else {
        const urls = /srcset$/.test(a.name) ? srcsetUrls(value) : [value];
        if (urls.some((u) => isHeld(u, name))) {
          text = splice(text, a.nameAt - tag.start, a.name.length, HELD_PREFIX + a.name.replace(':', '-'));
          continue;
        }
        next = rewrite?.(name, a.name, value);
      }
      if (next !== undefined)
        text = splice(
          text,
          a.valueAt - tag.start,
          a.valueEnd - a.valueAt,
          `"${next.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`,
        );
    }
    // An inline script that imports a held URL is made inert (its own type, if any, comes after
    // and is ignored): a module's static import cannot be hooked.
    if (name === 'script' && tag.closed) {
      const close = html.toLowerCase().indexOf('</script', tag.end);
      const code = html.slice(tag.end, close < 0 ? html.length : close);
      if (importedUrls(code).some((u) => isHeld(u, name))) text = `<script type="text/plain"${text.slice(7)}`;
    }
    out += html.slice(done, tag.start) + text;
    done = tag.end;
  }
  return done ? out + html.slice(done) : html;
}

const splice = (s: string, at: number, length: number, insert: string) =>
  s.slice(0, at) + insert + s.slice(at + length);

interface Tag {
  /** Lower-case tag name. */
  name: string;
  start: number;
  /** After the '>' (or the end of the input, for a tag it does not close). */
  end: number;
  closed: boolean;
  attrs: Array<{ name: string; nameAt: number; value: string | null; valueAt: number; valueEnd: number }>;
}

/** The start tags of an HTML string, with their attributes, read as the HTML tokenizer does. */
function* tags(html: string): Generator<Tag> {
  const n = html.length;
  let i = 0;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) return;
    const c = html[lt + 1] ?? '';
    if (c === '!') {
      // A comment (or a doctype, a CDATA section): nothing in it is a tag.
      const close = html.startsWith('<!--', lt) ? html.indexOf('-->', lt + 4) : html.indexOf('>', lt);
      i = close < 0 ? n : close + 1;
      continue;
    }
    if (c === '/' || c === '?') {
      const close = html.indexOf('>', lt);
      i = close < 0 ? n : close + 1;
      continue;
    }
    if (!/[a-zA-Z]/.test(c)) {
      i = lt + 1;
      continue;
    }
    let j = lt + 1;
    while (j < n && !/[\t\n\f\r />]/.test(html[j]!)) j++;
    const tag: Tag = {
      name: html.slice(lt + 1, j).toLowerCase(),
      start: lt,
      end: n,
      closed: false,
      attrs: [],
    };
    while (j < n) {
      const ch = html[j]!;
      if (ch === '>') {
        tag.closed = true;
        j++;
        break;
      }
      if (ch === '/' || SPACE.test(ch)) {
        j++;
        continue;
      }
      // An attribute name: its first character may be anything, even '='.
      const nameAt = j++;
      while (j < n && !/[\t\n\f\r />=]/.test(html[j]!)) j++;
      const attr = {
        name: html.slice(nameAt, j).toLowerCase(),
        nameAt,
        value: null as string | null,
        valueAt: j,
        valueEnd: j,
      };
      let k = j;
      while (k < n && SPACE.test(html[k]!)) k++;
      if (html[k] === '=') {
        k++;
        while (k < n && SPACE.test(html[k]!)) k++;
        const q = html[k];
        attr.valueAt = k;
        if (q === '"' || q === "'") {
          const close = html.indexOf(q, k + 1);
          attr.value = html.slice(k + 1, close < 0 ? n : close);
          j = close < 0 ? n : close + 1;
        } else {
          j = k;
          while (j < n && !/[\t\n\f\r >]/.test(html[j]!)) j++;
          attr.value = html.slice(k, j);
        }
        attr.valueEnd = j;
      }
      tag.attrs.push(attr);
    }
    tag.end = j;
    yield tag;
    i = j;
    // The text of <script>, <style>, <textarea>… is not markup, up to the element's end tag.
    if (tag.closed && RAW_TEXT.test(tag.name)) {
      const close = html.toLowerCase().indexOf(`</${tag.name}`, j);
      i = close < 0 ? n : close;
    }
  }
}

/**
 * The URLs a script's code imports by name: `import … from "…"`, `import "…"`, `export … from
 * "…"` and `import("…")` with a literal. Read from the text, so it errs on the side of finding
 * one (in a comment or a string too).
 */
export function importedUrls(code: string): string[] {
  if (code.indexOf('import') < 0 && code.indexOf('export') < 0) return [];
  const out: string[] = [];
  const re = /\b(?:import|export)\s*(?:\(\s*|[\w$*{}\s,]*?\bfrom\s*)?(["'`])([^"'`\n]+)\1/g;
  for (let m = re.exec(code); m; m = re.exec(code)) out.push(m[2]!);
  return out;
}

/**
 * Where a tag the HTML does not close starts (document.write may split a tag across calls),
 * or -1 when every tag is closed.
 */
export function openTagAt(html: string): number {
  if (/<\/?$/.test(html)) return html.lastIndexOf('<');
  let at = -1;
  for (const tag of tags(html)) at = tag.closed ? -1 : tag.start;
  return at;
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
  bsol: '\\',
  period: '.',
  tab: '\t',
  newline: '\n',
  commat: '@',
  lpar: '(',
  rpar: ')',
  num: '#',
  quest: '?',
  percnt: '%',
  equals: '=',
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
