import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { markPage } from '../lib/dom';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { StorageKeySpec, VendorAdapter, VendorManifest } from '../types';

/** Lucky Orange's storage keys; which of local or session storage holds each is not confirmed, so both are cleared. */
const STORAGE: StorageKeySpec[] = ['lo-session', 'lo-messenger', 'lo-visitor'].flatMap((key) => [
  { key, storage: 'local' as const },
  { key, storage: 'session' as const },
]);

export const manifest: VendorManifest = {
  id: 'lucky-orange',
  name: 'Lucky Orange',
  legalName: 'Lucky Orange LLC',
  category: 'replay',
  purposes: ['replay'],
  hosts: ['tools.luckyorange.com', 'settings.luckyorange.com', '*.luckyorange.com', '*.luckyorange.net'],
  capturesContents: true,
  captures: {
    contents: [
      CONTENTS.replay,
      CONTENTS.pageText,
      CONTENTS.typing,
      'your chat messages and survey answers, if the site uses Lucky Orange chat or surveys',
    ],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://www.luckyorange.com/privacy.php',
  cookies: [
    { name: 'lo-uid', lifetime: null },
    { name: 'lo-visits', lifetime: null },
    { name: 'lo-opt-out', lifetime: null, optOut: true },
    { name: 'lo-domain-check', lifetime: null },
  ],
  storageKeys: STORAGE,
  masking:
    'The adapter adds the class lo-sensitive to <html> and <body>, so Lucky Orange scrambles page text and blanks images; mark areas that may be recorded with lo-not-sensitive.',
  liveSettings: {
    checked: [],
    note: 'Sensitive-data handling is set by classes and account settings; no browser API for them is known, so nothing is checked at load.',
  },
  pinning: movingScript('lo.js is served at one unversioned URL,'),
  unloadWithoutReload: false,
  stopNote:
    'Lucky Orange has no runtime stop API: its script stays until the page reloads with Lucky Orange blocked.',
  configId: { setting: 'siteId', label: 'site ID', pattern: '^[0-9a-f]{8}$', example: 'f7f4db75' },
  scriptUrls: ['https://tools.luckyorange.com/core/lo.js?site-id={siteId}'],
  confidence: 'medium',
  unconfirmed: [
    'window globals (window.LO / window.LOQ commonly cited) and runtime consent API not verified',
    'collector hostnames (only wildcard domains)',
    'whether lo-session, lo-messenger and lo-visitor live in localStorage or sessionStorage (both are cleared)',
    'that lo-sensitive on <html>/<body> covers the whole page',
  ],
  sources: [
    'https://developers.luckyorange.com/libraries/browser/cookies-storage',
    "public code (code-index 'tools.luckyorange.com/core/lo.js'; settings.luckyorange.com/{siteId} config)",
    "public rrweb-fork docs, vendorCompat mask/block token table (code-index id 61919438305; secondary, cites each vendor's doc)",
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    markPage({ className: 'lo-sensitive' });
    injectScript(manifest.id, `https://tools.luckyorange.com/core/lo.js?site-id=${settings.id}`, context, {
      attributes: { defer: '' },
    });
  },
});
