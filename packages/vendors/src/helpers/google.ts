/**
 * Helpers for a few adapters (Google Consent Mode for the Google tag adapters). Unlike lib/, whose modules every adapter chunk shares
 * through vendors/lib.js, modules here are bundled into the chunks of the adapters that import them.
 */
import type { Consent } from '@allparty/core';
import { arrayQueue, type Fn, getGlobal, isFunction, setGlobal } from '../lib/globals';

/** Google Consent Mode v2 signals. */
export interface GoogleConsentState {
  ad_storage: 'granted' | 'denied';
  ad_user_data: 'granted' | 'denied';
  ad_personalization: 'granted' | 'denied';
  analytics_storage: 'granted' | 'denied';
}

/** Every Consent Mode v2 signal denied: the default before any decision. */
export const GOOGLE_ALL_DENIED: GoogleConsentState = {
  ad_storage: 'denied',
  ad_user_data: 'denied',
  ad_personalization: 'denied',
  analytics_storage: 'denied',
};

/** The Consent Mode signals that mirror the visitor's purposes: analytics → analytics_storage, advertising → ad_*. */
export function googleConsentState(consent: Pick<Consent, 'has'>): GoogleConsentState {
  const ads = consent.has('advertising') ? 'granted' : 'denied';
  return {
    ad_storage: ads,
    ad_user_data: ads,
    ad_personalization: ads,
    analytics_storage: consent.has('analytics') ? 'granted' : 'denied',
  };
}

/**
 * `window.gtag` as the official snippet defines it: `function gtag(){dataLayer.push(arguments);}`.
 * gtag.js only runs entries that are Arguments objects, so it must push `arguments`, not an array.
 */
export function gtagStub(): Fn {
  const existing = getGlobal('gtag');
  if (isFunction(existing)) return existing;
  const dataLayer = arrayQueue('dataLayer');
  const gtag = function () {
    // biome-ignore lint/complexity/noArguments: gtag.js processes only Arguments objects, as the snippet pushes them.
    dataLayer.push(arguments);
  } as Fn;
  setGlobal('gtag', gtag);
  return gtag;
}

/**
 * Consent Mode v2, basic implementation: the tag loads only after a grant, and its first command
 * is still `default` with everything denied, then an `update` with what the visitor chose; later
 * changes are passed on as they happen.
 */
export function applyGoogleConsent(gtag: Fn, consent: Pick<Consent, 'has' | 'on'>): void {
  gtag('consent', 'default', { ...GOOGLE_ALL_DENIED });
  gtag('consent', 'update', googleConsentState(consent));
  consent.on('change', () => gtag('consent', 'update', googleConsentState(consent)));
}
