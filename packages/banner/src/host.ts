import type { AllpartyConfig } from '@allparty/core';
import { CSS } from './styles';

/** The banner's place in the page: one host element, its open shadow root and the themed root. */
export interface BannerHost {
  shadow: ShadowRoot;
  /** Where the layers render, inside the shadow root. */
  root: HTMLElement;
  /** Whether the dark theme applies now (configured, or `auto` and the system is dark). */
  isDark(): boolean;
  /** Removes the host and stops following the system theme. */
  remove(): void;
}

/**
 * Mounts the banner's host, `<div id="allparty-ui">` at the end of `<body>`, with an open shadow
 * root holding the CSS and a root that follows the theme (and, with `auto`, the system's).
 */
export function createBannerHost(
  doc: Document,
  theme: AllpartyConfig['theme'],
  language: string,
): BannerHost {
  const host = doc.createElement('div');
  host.id = 'allparty-ui';
  // Only the host sits in the page's DOM; reset what site CSS could give it.
  host.setAttribute('style', 'all:initial;display:block');
  const shadow = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = CSS;
  const root = doc.createElement('div');
  root.lang = language;
  shadow.append(style, root);
  (doc.body ?? doc.documentElement).append(host);

  const media =
    theme === 'auto' && doc.defaultView?.matchMedia
      ? doc.defaultView.matchMedia('(prefers-color-scheme: dark)')
      : null;
  const isDark = () => theme === 'dark' || media?.matches === true;
  const apply = () => {
    root.className = isDark() ? '$root$ $dark$' : '$root$';
  };
  apply();
  media?.addEventListener?.('change', apply);
  return {
    shadow,
    root,
    isDark,
    remove() {
      media?.removeEventListener?.('change', apply);
      host.remove();
    },
  };
}
