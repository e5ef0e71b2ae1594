/** Turns what the user gave (URLs, list files, sitemaps) into the pages to scan. */
import { existsSync, readFileSync } from 'node:fs';

export interface TargetOptions {
  /** At most this many pages in all. @default 50 */
  maxPages?: number;
  /** Fetch for sitemaps (tests inject one). @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** A URL that names a sitemap: `sitemap.xml`, `sitemap_index.xml`, `/sitemaps/pages.xml`. */
export function looksLikeSitemap(url: URL): boolean {
  return /\.xml$/i.test(url.pathname) || /sitemap/i.test(url.pathname);
}

/** The `<loc>` URLs of a sitemap or sitemap index, and which kind it was. */
export function parseSitemap(xml: string): { kind: 'urlset' | 'index' | null; locs: string[] } {
  const kind = /<sitemapindex[\s>]/i.test(xml) ? 'index' : /<urlset[\s>]/i.test(xml) ? 'urlset' : null;
  const locs = [...xml.matchAll(/<loc>\s*([\s\S]*?)\s*<\/loc>/gi)].map((m) => decodeXml(m[1] ?? ''));
  return { kind, locs: locs.filter(Boolean) };
}

export async function expandTargets(
  inputs: readonly string[],
  options: TargetOptions = {},
): Promise<string[]> {
  const max = options.maxPages ?? 50;
  const get = options.fetch ?? fetch;
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (u: string) => {
    if (out.length < max && !seen.has(u)) {
      seen.add(u);
      out.push(u);
    }
  };

  async function sitemap(url: string, depth: number): Promise<void> {
    const res = await get(url, { signal: AbortSignal.timeout(15_000) });
    if (!res.ok) throw new Error(`sitemap ${url}: HTTP ${res.status}`);
    const { kind, locs } = parseSitemap(await res.text());
    if (!kind) throw new Error(`sitemap ${url}: neither a <urlset> nor a <sitemapindex>`);
    for (const loc of locs) {
      if (out.length >= max) return;
      const abs = new URL(loc, url).href;
      if (kind === 'index') {
        if (depth < 3) await sitemap(abs, depth + 1);
      } else add(abs);
    }
  }

  async function one(input: string, fromFile: boolean): Promise<void> {
    let url: URL | null = null;
    try {
      url = new URL(input);
    } catch {
      url = null;
    }
    if (url && (url.protocol === 'http:' || url.protocol === 'https:')) {
      if (looksLikeSitemap(url)) await sitemap(url.href, 0);
      else add(url.href);
      return;
    }
    if (!fromFile && existsSync(input)) {
      for (const line of readFileSync(input, 'utf8').split(/\r?\n/)) {
        const t = line.trim();
        if (t && !t.startsWith('#')) await one(t, true);
      }
      return;
    }
    throw new Error(`not an http(s) URL${fromFile ? '' : ', a list file or a sitemap'}: ${input}`);
  }

  for (const input of inputs) await one(input, false);
  return out;
}

function decodeXml(s: string): string {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}
