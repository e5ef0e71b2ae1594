/**
 * Helpers for a few adapters (release and blocking of embed frames for the YouTube, Vimeo and Google Maps adapters). Unlike lib/, whose modules every adapter chunk shares
 * through vendors/lib.js, modules here are bundled into the chunks of the adapters that import them.
 */
import type { VendorManifest } from '../types';

/** Marks an iframe the adapter released, so `stop()` knows which ones to block again. */
export const RELEASED_ATTRIBUTE = 'data-allparty-released';

/** The tagged iframes of one embed vendor: `<iframe data-src=… data-allparty="video" data-vendor="youtube">`. */
export function taggedFrames(vendor: string): HTMLIFrameElement[] {
  return [...document.querySelectorAll<HTMLIFrameElement>('iframe[data-vendor][data-src]')].filter(
    (el) => el.getAttribute('data-vendor') === vendor,
  );
}

/** Whether a URL is one this embed vendor serves (its manifest's `embed.srcPatterns`). */
export function isEmbedSrc(manifest: Pick<VendorManifest, 'embed'>, src: string): boolean {
  return (manifest.embed?.srcPatterns ?? []).some((p) => new RegExp(p).test(src));
}

/**
 * Releases the site's tagged iframes for a granted embed vendor: `src` becomes the private form of
 * `data-src`. A `data-src` that is not the vendor's own URL stays blocked: the tag names the vendor
 * the visitor agreed to, and a different host would be a different vendor. Returns how many were released.
 */
export function releaseFrames(
  manifest: Pick<VendorManifest, 'id' | 'embed'>,
  privateSrc: (src: string) => string | null,
): number {
  let released = 0;
  for (const frame of taggedFrames(manifest.id)) {
    if (frame.hasAttribute(RELEASED_ATTRIBUTE)) continue;
    const src = privateSrc(frame.getAttribute('data-src') ?? '');
    if (!src) continue;
    frame.setAttribute(RELEASED_ATTRIBUTE, '');
    frame.src = src;
    released++;
  }
  return released;
}

/**
 * Blocks released iframes again: the frame is replaced by a fresh copy without `src`, which
 * tears down the vendor's document, its scripts and its connections. Returns how many were blocked.
 */
export function blockFrames(vendor: string): number {
  let blocked = 0;
  for (const frame of taggedFrames(vendor)) {
    if (!frame.hasAttribute(RELEASED_ATTRIBUTE)) continue;
    const copy = frame.cloneNode(false) as HTMLIFrameElement;
    copy.removeAttribute('src');
    copy.removeAttribute(RELEASED_ATTRIBUTE);
    frame.replaceWith(copy);
    blocked++;
  }
  return blocked;
}
