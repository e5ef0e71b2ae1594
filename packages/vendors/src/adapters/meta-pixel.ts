import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call, type Fn, getGlobal, isFunction, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'meta-pixel',
  name: 'Meta Pixel',
  legalName: 'Meta Platforms, Inc.',
  category: 'advertising',
  purposes: ['advertising'],
  hosts: ['connect.facebook.net', 'www.facebook.com/tr', 'facebook.com/tr'],
  capturesContents: false,
  captures: {
    contents: [CONTENTS.url, CONTENTS.buttons, 'the names of form fields you fill in (not what you type)'],
    addressing: [
      ADDRESSING.ip,
      ADDRESSING.device,
      ADDRESSING.visitorId,
      ADDRESSING.referrer,
      ADDRESSING.adClick,
    ],
  },
  ownUse:
    'Meta matches visitors to Facebook and Instagram accounts and uses the data to measure, target and optimise ads, including building audiences of people who visited this site.',
  privacyPolicy: 'https://www.facebook.com/privacy/policy/',
  cookies: [
    { name: '_fbp', lifetime: '3 months' },
    { name: '_fbc', lifetime: '3 months' },
    { name: 'fr', lifetime: '3 months', thirdParty: 'facebook.com' },
  ],
  storageKeys: [],
  masking:
    "On every page the adapter sends fbq('consent', 'revoke') before init and fbq('consent', 'grant') after it, turns off automatic event setup (fbq('set', 'autoConfig', false, id)), which reads button labels and page structure, and adds Limited Data Use when the browser sends Global Privacy Control.",
  pinning: movingScript('fbevents.js is served at one unversioned URL,'),
  unloadWithoutReload: false,
  stopNote:
    "fbq('consent', 'revoke') pauses sending, but fbevents.js has no teardown, so the page reloads with the pixel blocked.",
  configId: { setting: 'siteId', label: 'pixel ID', pattern: '^[0-9]{15,16}$', example: '123456789012345' },
  scriptUrls: [
    'https://connect.facebook.net/en_US/fbevents.js',
    'https://connect.facebook.net/signals/config/{pixelId}?v=... (fetched by fbevents.js; unverified)',
  ],
  confidence: 'high',
  unconfirmed: [
    'signals/config URL',
    "cookie lifetimes (3 months) are from cookie tables that quote Meta, not from Meta's own page",
  ],
  sources: [
    'https://developers.facebook.com/docs/meta-pixel/implementation/gdpr',
    'npm:@c15t/scripts@2.2.0/dist/vendors/ads-and-pixels/meta-pixel.js',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
    'npm:@types/facebook-pixel@0.0.31/facebook-pixel/index.d.ts',
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
    'https://developers.facebook.com/documentation/meta-pixel/get-started.md (matching visitors to Facebook accounts)',
    'https://developers.facebook.com/docs/meta-pixel (data the pixel collects: HTTP headers, button click data, form field names)',
    'https://cookiesentry.com/cookies/providers/meta (cookie lifetimes; secondary)',
  ],
};

/** fbq as the snippet defines it: calls queue on `.queue` until fbevents.js sets `callMethod`. */
interface FbqStub extends Fn {
  callMethod?: Fn;
  queue: unknown[];
  push: Fn;
  loaded: boolean;
  version: string;
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    if (!isFunction(getGlobal('fbq'))) {
      const fbq = function (...args: unknown[]) {
        if (fbq.callMethod) fbq.callMethod.apply(fbq, args);
        // biome-ignore lint/complexity/noArguments: fbevents.js replays the queue as Arguments objects, as the snippet stores them.
        else fbq.queue.push(arguments);
      } as FbqStub;
      fbq.push = fbq;
      fbq.loaded = true;
      fbq.version = '2.0';
      fbq.queue = [];
      setGlobal('fbq', fbq);
      if (getGlobal('_fbq') === undefined) setGlobal('_fbq', fbq);
    }
    // Revoke first on every page, so nothing is sent unless this page view also grants.
    call(['fbq'], 'consent', 'revoke');
    call(['fbq'], 'set', 'autoConfig', false, settings.id);
    // § 7025: GPC is an opt-out of sale/sharing; Limited Data Use restricts Meta's use accordingly.
    if (context.consent.get().gpc) call(['fbq'], 'dataProcessingOptions', ['LDU'], 0, 0);
    call(['fbq'], 'init', settings.id);
    call(['fbq'], 'consent', 'grant');
    call(['fbq'], 'track', 'PageView');
    injectScript(manifest.id, 'https://connect.facebook.net/en_US/fbevents.js', context);
  },
  shutdown() {
    call(['fbq'], 'consent', 'revoke');
  },
});
