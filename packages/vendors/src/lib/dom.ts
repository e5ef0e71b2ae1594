import type { VendorManifest } from '../types';
import { urlMatches } from './hosts';
import { VENDOR_ATTRIBUTE } from './script';

/**
 * Removes what a vendor put in the page: the scripts we inserted for it, every script, iframe,
 * image, link and source element loaded from its hosts, and its widget containers (`selectors`).
 * Returns how many elements were removed.
 */
export function removeVendorDom(
  manifest: Pick<VendorManifest, 'id' | 'hosts'>,
  selectors: readonly string[] = [],
): number {
  const doomed = new Set<Element>();
  for (const el of document.querySelectorAll(`[${VENDOR_ATTRIBUTE}]`))
    if (el.getAttribute(VENDOR_ATTRIBUTE) === manifest.id) doomed.add(el);
  for (const el of document.querySelectorAll('script[src], iframe[src], img[src], source[src], link[href]')) {
    const url = el.getAttribute('src') ?? el.getAttribute('href');
    if (url && urlMatches(manifest.hosts, url)) doomed.add(el);
  }
  for (const selector of selectors) for (const el of document.querySelectorAll(selector)) doomed.add(el);
  for (const el of doomed) el.remove();
  return doomed.size;
}

/**
 * Marks the whole page for a vendor's own masking rule (`data-hj-suppress`, `fs-mask` …): on `<html>`
 * now and on `<body>` as soon as it exists, since some recorders only look from `<body>` down.
 */
export function markPage(mark: { attribute: string; value?: string } | { className: string }): void {
  const apply = (el: Element) => {
    if ('className' in mark) el.classList.add(mark.className);
    else el.setAttribute(mark.attribute, mark.value ?? '');
  };
  apply(document.documentElement);
  if (document.body) apply(document.body);
  else
    document.addEventListener('DOMContentLoaded', () => document.body && apply(document.body), {
      once: true,
    });
}
