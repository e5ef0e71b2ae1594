import { movingScript } from '../helpers/facts';
import { applyGoogleConsent, GOOGLE_ALL_DENIED, gtagStub } from '../helpers/google';
import { defineAdapter } from '../lib/define';
import { setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'google-analytics-4',
  name: 'Google Analytics',
  legalName: 'Google LLC',
  category: 'analytics',
  purposes: ['analytics'],
  hosts: [
    'www.googletagmanager.com/gtag/',
    'www.google-analytics.com',
    'region1.google-analytics.com',
    '*.google-analytics.com',
    'analytics.google.com',
    '*.analytics.google.com',
    'stats.g.doubleclick.net',
    'www.google.com/ads/ga-audiences',
  ],
  capturesContents: false,
  captures: {
    contents: [CONTENTS.url],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.referrer],
  },
  ownUse:
    'Google may use the data to provide and improve its services; with Google signals or Ads linking (off in this adapter) also for advertising.',
  privacyPolicy: 'https://policies.google.com/privacy',
  cookies: [
    { name: '_ga', lifetime: '2 years' },
    { name: '_ga_', prefix: true, lifetime: '2 years' },
    { name: '_gid', lifetime: '24 hours' },
    { name: '_gat', prefix: true, lifetime: '1 minute' },
    { name: '_dc_gtm_', prefix: true, lifetime: '1 minute' },
    { name: '_gcl_au', lifetime: null },
  ],
  storageKeys: [],
  masking:
    'Consent Mode v2 starts with every signal denied and is updated to what the visitor chose (analytics_storage for analytics, ad_* only if advertising is granted too). Google signals and ad personalisation signals are off.',
  pinning: movingScript('gtag/js?id={id} is built per measurement ID and carries its settings,'),
  unloadWithoutReload: false,
  stopNote:
    "Setting window['ga-disable-<ID>'] and updating Consent Mode to denied stops new hits, but gtag.js has no teardown, so the page reloads with Google Analytics blocked.",
  configId: { setting: 'siteId', label: 'measurement ID', pattern: '^G-[A-Z0-9]+$', example: 'G-XTXF9YF0NB' },
  notes: [
    'www.googletagmanager.com is shared: gtag.js (/gtag/) belongs to this adapter, gtm.js (/gtm.js, /ns.html) to google-tag-manager. Google Ads tags (gtag/js?id=AW-…) also load from /gtag/ and are held with Google Analytics.',
  ],
  scriptUrls: ['https://www.googletagmanager.com/gtag/js?id={G-XXXXXXX}'],
  confidence: 'high',
  unconfirmed: [
    'the www.google.com path Google signals uses (/ads/ga-audiences) is from observed traffic, not from the catalog',
    "_gid and _gat lifetimes come from Google's Universal Analytics cookie page; GA4's page lists _ga and _ga_<id> only",
    "the own-use sentence summarises Google's general terms; it is not from the research catalog",
  ],
  sources: [
    'npm:@types/gtag.js@0.0.20/gtag.js/index.d.ts (ConsentParams)',
    'https://developers.google.com/analytics/devguides/collection/gtagjs/user-opt-out',
    'https://support.google.com/analytics/answer/14009635 (basic vs advanced consent mode)',
    'https://developers.google.com/tag-platform/security/concepts/consent-mode',
    'npm:@c15t/scripts@2.2.0/dist/vendors/analytics/google-tag.js',
    'npm:@c15t/scripts@2.2.0/dist/vendors/_shared/google-consent.js',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
    'https://support.google.com/analytics/answer/11397207 (GA4 cookie usage: _ga, _ga_<container-id>, 2 years)',
    'https://developers.google.cn/analytics/resources/concepts/gaConceptsCookies (_gid 24 hours, _gat 1 minute, _dc_gtm_)',
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    const gtag = gtagStub();
    applyGoogleConsent(gtag, context.consent);
    gtag('js', new Date());
    gtag('config', settings.id, { allow_google_signals: false, allow_ad_personalization_signals: false });
    injectScript(manifest.id, `https://www.googletagmanager.com/gtag/js?id=${settings.id}`, context);
  },
  shutdown(settings) {
    // Google's opt-out switch: gtag.js sends nothing for this ID while it is true.
    setGlobal(`ga-disable-${settings.id}`, true);
    gtagStub()('consent', 'update', { ...GOOGLE_ALL_DENIED });
  },
});
