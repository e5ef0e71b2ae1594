/**
 * CSS class names of the UI, readable in source and short in the minified bundles.
 *
 * The banner and the launcher write each class name marked, `$card$`, in their strings: the CSS
 * text (`.$card${…}`) and the class attributes (`class="$card$ $modal$"`). This plugin rewrites the
 * marks in string literals and template literals only (a `$name$` property, shortened by terser,
 * is an identifier and left alone): to the readable name (`card`) in the debug twin, the npm
 * build and the unit tests, and to a one- or two-letter name in the minified bundles. The short
 * names are assigned from the sorted list of every mark in the scanned sources, so every bundle
 * agrees on them and a build is reproducible. Class names never cross a bundle: the banner chunk
 * and the launcher (in the embed) style their own shadow roots.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'rollup';

/** A marked class name: `$readableName$`. */
export const MARKED_CLASS = /\$([A-Za-z][A-Za-z0-9]*)\$/g;
const CSS_RULE = /\$([A-Za-z][A-Za-z0-9]*)\$ \{/g;

/** Options for {@link markedClasses}. */
export interface MarkedClassesOptions {
  /** Directories whose source files may mark class names (read once, to assign the short names). */
  dirs: readonly string[];
  /** Shorten (minified bundles) or write the readable names (everything else). */
  shorten: boolean;
}

/** Every marked name in the sources, sorted, each with its short name (`a`, `b`, …, `ba`, …). */
export function shortNames(dirs: readonly string[]): Map<string, string> {
  const names = new Set<string>();
  for (const dir of dirs)
    for (const file of readdirSync(dir))
      if (/\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
        for (const m of readFileSync(join(dir, file), 'utf8').matchAll(MARKED_CLASS)) names.add(m[1]!);
  const short = new Map<string, string>();
  [...names].sort().forEach((name, i) => {
    short.set(name, letters(i));
  });
  return short;
}

function letters(i: number): string {
  const letter = String.fromCharCode(97 + (i % 26));
  return i < 26 ? letter : letters(Math.floor(i / 26) - 1) + letter;
}

interface Node {
  type: string;
  start: number;
  end: number;
  value?: unknown;
  [key: string]: unknown;
}

/** The source ranges of every string literal and template literal part in an ESTree program. */
function stringRanges(node: Node, out: Array<[number, number]>): Array<[number, number]> {
  if ((node.type === 'Literal' && typeof node.value === 'string') || node.type === 'TemplateElement')
    out.push([node.start, node.end]);
  for (const key of Object.keys(node)) {
    const child = node[key];
    for (const c of Array.isArray(child) ? child : [child])
      if (c && typeof c === 'object' && typeof (c as Node).type === 'string') stringRanges(c as Node, out);
  }
  return out;
}

/** The plugin (rollup, and vite for the unit tests). */
export function markedClasses(options: MarkedClassesOptions): Plugin {
  let short: Map<string, string> | null = null;
  const dirs = options.dirs.map((d) => join(process.cwd(), d));
  return {
    name: 'marked-classes',
    transform(code, id) {
      if (!dirs.some((d) => id.startsWith(`${d}/`)) || !code.includes('$')) return null;
      short ??= shortNames(dirs);
      const names = short;
      let out = '';
      let at = 0;
      const ranges = stringRanges(this.parse(code) as unknown as Node, []).sort((a, b) => a[0] - b[0]);
      for (const [start, end] of ranges) {
        const text = code.slice(start, end);
        // CSS rules are written `.$card$ {` (in a template literal `$card${` would start an
        // expression); the minified form drops that space.
        const renamed = options.shorten
          ? text
              .replace(CSS_RULE, (_, name: string) => `${names.get(name) ?? name}{`)
              .replace(MARKED_CLASS, (_, name: string) => names.get(name) ?? name)
          : text.replace(MARKED_CLASS, '$1');
        if (renamed === text) continue;
        out += code.slice(at, start) + renamed;
        at = end;
      }
      return at === 0 ? null : { code: out + code.slice(at), map: null };
    },
  };
}
