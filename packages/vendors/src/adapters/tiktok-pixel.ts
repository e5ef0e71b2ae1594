import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call, getGlobal, isFunction, isRecord, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'tiktok-pixel',
  name: 'TikTok Pixel',
  legalName: 'TikTok Inc.',
  category: 'advertising',
  purposes: ['advertising'],
  hosts: ['analytics.tiktok.com', '*.tiktok.com'],
  capturesContents: false,
  captures: {
    contents: [CONTENTS.url],
    addressing: [
      ADDRESSING.ip,
      ADDRESSING.device,
      ADDRESSING.visitorId,
      ADDRESSING.referrer,
      ADDRESSING.adClick,
    ],
  },
  ownUse: 'TikTok uses the data to measure, target and optimise ads on TikTok.',
  privacyPolicy: 'https://www.tiktok.com/legal/privacy-policy',
  cookies: [{ name: '_ttp', lifetime: null }],
  storageKeys: [],
  masking:
    'The adapter calls ttq.holdConsent() before loading and ttq.grantConsent() after, so the pixel works only under the visitor’s grant. Advanced Matching stays off (the adapter never sends identify data).',
  pinning: movingScript('events.js is served at one unversioned URL,'),
  unloadWithoutReload: false,
  stopNote:
    'ttq.revokeConsent() and disableCookie() stop sending, but the pixel has no teardown, so the page reloads with it blocked.',
  configId: {
    setting: 'siteId',
    label: 'pixel ID',
    pattern: '^[A-Z0-9]{20}$',
    example: 'C4ABCDEFGHIJKLMNOPQR',
  },
  scriptUrls: ['https://analytics.tiktok.com/i18n/pixel/events.js?sdkid={pixelId}&lib=ttq'],
  confidence: 'medium',
  unconfirmed: [
    '_ttp cookie name (well known; not in retrieved official text)',
    'additional beacon hosts',
    'the legal entity (TikTok Inc. for US advertisers; others by region)',
    "the own-use sentence summarises TikTok's advertising terms; it is not from the research catalog",
  ],
  sources: [
    'npm:@c15t/scripts@2.2.0/dist/vendors/ads-and-pixels/tiktok-pixel.js (holdConsent/grantConsent/revokeConsent)',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
    'https://ads.tiktok.com/help/article/how-to-use-cookies-with-tiktok-pixel',
    'https://github.com/nuxt/scripts/pull/712.patch (ttq consent stubs)',
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
  ],
};

/** The methods TikTok's snippet defers until events.js has loaded. */
export const TIKTOK_METHODS = [
  'page',
  'track',
  'identify',
  'instances',
  'debug',
  'on',
  'off',
  'once',
  'ready',
  'alias',
  'group',
  'enableCookie',
  'disableCookie',
  'holdConsent',
  'revokeConsent',
  'grantConsent',
];

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    setGlobal('TiktokAnalyticsObject', 'ttq');
    const existing = getGlobal('ttq');
    const queue: unknown[] = Array.isArray(existing) ? existing : [];
    const ttq = queue as unknown as Record<string, unknown>;
    if (!isFunction(ttq.page)) {
      ttq.methods = TIKTOK_METHODS;
      for (const name of TIKTOK_METHODS)
        ttq[name] = (...args: unknown[]) => {
          queue.push([name, ...args]);
        };
    }
    setGlobal('ttq', ttq);
    const url = 'https://analytics.tiktok.com/i18n/pixel/events.js';
    call(['ttq', 'holdConsent']);
    // As ttq.load(): per-pixel bookkeeping, then the script.
    const instances = isRecord(ttq._i) ? ttq._i : {};
    instances[settings.id] = Object.assign([], { _u: url });
    ttq._i = instances;
    ttq._t = { ...(isRecord(ttq._t) ? ttq._t : {}), [settings.id]: Date.now() };
    ttq._o = { ...(isRecord(ttq._o) ? ttq._o : {}), [settings.id]: {} };
    injectScript(manifest.id, `${url}?sdkid=${settings.id}&lib=ttq`, context);
    call(['ttq', 'grantConsent']);
    call(['ttq', 'page']);
  },
  shutdown() {
    call(['ttq', 'revokeConsent']);
    call(['ttq', 'disableCookie']);
  },
});
