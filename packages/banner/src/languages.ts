/**
 * The languages the banner ships texts for: English in the banner chunk, each other one in its
 * own `allparty-banner.<language>.js` (built by rollup.config.ts from this list). Tables keyed by
 * `Language` (the launcher's texts, the npm build's loaders) fail to compile until a new language
 * is in them too.
 */
export const LANGUAGES = ['en', 'es', 'fr', 'de', 'pt', 'zh'] as const;

/** A language the banner ships texts for. */
export type Language = (typeof LANGUAGES)[number];

/** Whether the banner ships texts for a language tag (`es`; not `es-MX`, not `nl`). */
export function isLanguage(tag: string): tag is Language {
  return (LANGUAGES as readonly string[]).includes(tag);
}

interface LanguageConfig {
  language: string;
  texts: Record<string, Record<string, string>>;
}

/**
 * The language to show: the configured one, or with `"auto"` the page's `<html lang>`,
 * then the browser's languages; the first one with texts (built in, or configured in
 * `texts`), else English.
 */
export function pickLanguage(config: LanguageConfig, doc?: Document, nav?: Navigator): string {
  const wanted: string[] = [];
  if (config.language !== 'auto') wanted.push(config.language);
  const d = doc ?? (typeof document === 'undefined' ? undefined : document);
  const n = nav ?? (typeof navigator === 'undefined' ? undefined : navigator);
  if (d?.documentElement.lang) wanted.push(d.documentElement.lang);
  if (n) wanted.push(...(n.languages ?? []), n.language);
  for (const tag of wanted) {
    if (!tag) continue;
    if (config.texts[tag] && !isLanguage(tag)) return tag;
    const base = tag.toLowerCase().split('-')[0]!;
    if (isLanguage(base)) return base;
    if (config.texts[base]) return base;
  }
  return 'en';
}
