import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call, type Fn, getGlobal, isFunction, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'reddit-pixel',
  name: 'Reddit Pixel',
  legalName: 'Reddit, Inc.',
  category: 'advertising',
  purposes: ['advertising'],
  hosts: ['www.redditstatic.com', 'alb.reddit.com', 'pixel-config.reddit.com', '*.reddit.com'],
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
  ownUse: 'Reddit uses the data to measure, target and optimise ads on Reddit.',
  privacyPolicy: 'https://www.reddit.com/policies/privacy-policy',
  cookies: [{ name: '_rdt_uuid', lifetime: null }],
  storageKeys: [],
  masking: 'The adapter initialises the pixel without email or external-ID matching.',
  pinning: movingScript('pixel.js is served at one unversioned URL,'),
  unloadWithoutReload: false,
  stopNote:
    "rdt('disableFirstPartyCookies') stops the first-party cookie, but the pixel has no teardown, so the page reloads with it blocked.",
  configId: { setting: 'siteId', label: 'pixel ID', pattern: '^(t2_|a2_)[a-z0-9]+$', example: 't2_abc123' },
  scriptUrls: ['https://www.redditstatic.com/ads/pixel.js'],
  confidence: 'medium',
  unconfirmed: [
    'official Reddit doc for enable/disableFirstPartyCookies not retrieved',
    "the own-use sentence summarises Reddit's advertising terms; it is not from the research catalog",
  ],
  sources: [
    'npm:@c15t/scripts@2.2.0/dist/vendors/ads-and-pixels/reddit-pixel.js',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
    'https://opsblu.com/documentation/ad-platforms/reddit-ads (secondary)',
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
  ],
};

/** rdt as the snippet defines it: calls queue on `.callQueue` until pixel.js sets `sendEvent`. */
interface RdtStub extends Fn {
  sendEvent?: Fn;
  callQueue: unknown[];
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    if (!isFunction(getGlobal('rdt'))) {
      const rdt = function (...args: unknown[]) {
        if (rdt.sendEvent) rdt.sendEvent.apply(rdt, args);
        // biome-ignore lint/complexity/noArguments: pixel.js replays Arguments objects, as the snippet queues them.
        else rdt.callQueue.push(arguments);
      } as RdtStub;
      rdt.callQueue = [];
      setGlobal('rdt', rdt);
      injectScript(manifest.id, 'https://www.redditstatic.com/ads/pixel.js', context);
    }
    call(['rdt'], 'init', settings.id);
    call(['rdt'], 'track', 'PageVisit');
  },
  shutdown() {
    call(['rdt'], 'disableFirstPartyCookies');
  },
});
