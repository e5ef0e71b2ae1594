import type { AdapterContext } from '../types';

/** The attribute that marks every element an adapter inserted, so `stop()` can find it again. */
export const VENDOR_ATTRIBUTE = 'data-allparty-vendor';

/** Options for {@link injectScript}. */
export interface InjectScriptOptions {
  /** An element id the vendor's snippet uses (`ze-snippet`, `hs-script-loader`). */
  id?: string;
  /** Further attributes the snippet sets (`data-key`, `charset`). */
  attributes?: Record<string, string>;
  /** @default true */
  async?: boolean;
  /** Sets `crossorigin="anonymous"`, as some snippets do. @default false */
  crossOrigin?: boolean;
}

/**
 * Inserts a vendor script the way its snippet does (async, into `<head>`), carrying over the CSP
 * nonce, and marks it with `data-allparty-vendor`. A second call for the same URL is a no-op, so a
 * grant that arrives twice never loads a vendor twice. The site's own `src` (a self-hosted copy)
 * replaces the vendor's URL, and its `integrity` is set with `crossorigin="anonymous"` (R32; both
 * validated beforehand).
 */
export function injectScript(
  vendor: string,
  url: string,
  context: Pick<AdapterContext, 'nonce'> & { settings?: AdapterContext['settings'] },
  options: InjectScriptOptions = {},
): HTMLScriptElement {
  const own = context.settings ?? {};
  const src = typeof own.src === 'string' ? own.src : url;
  for (const existing of document.querySelectorAll<HTMLScriptElement>(`script[${VENDOR_ATTRIBUTE}]`))
    if (existing.getAttribute(VENDOR_ATTRIBUTE) === vendor && existing.getAttribute('src') === src)
      return existing;
  const script = document.createElement('script');
  script.async = options.async ?? true;
  if (options.id) script.id = options.id;
  if (options.crossOrigin) script.crossOrigin = 'anonymous';
  // A strict CSP allows our script by nonce; the vendor's script needs the same one.
  if (context.nonce) script.nonce = context.nonce;
  for (const [name, value] of Object.entries(options.attributes ?? {})) script.setAttribute(name, value);
  const integrity = own.integrity;
  if (typeof integrity === 'string') {
    script.setAttribute('integrity', integrity);
    // The browser checks the hash of a cross-origin script only on a CORS fetch.
    script.crossOrigin = 'anonymous';
  }
  script.setAttribute(VENDOR_ATTRIBUTE, vendor);
  script.src = src;
  (document.head ?? document.documentElement).appendChild(script);
  return script;
}
