import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call, type Fn, getGlobal, isFunction, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'x-pixel',
  name: 'X Pixel',
  legalName: 'X Corp.',
  category: 'advertising',
  purposes: ['advertising'],
  hosts: [
    'static.ads-twitter.com',
    'analytics.twitter.com',
    't.co',
    'ads-twitter.com',
    '*.twitter.com',
    '*.x.com',
  ],
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
  ownUse: 'X uses the data to measure, target and optimise ads on X.',
  privacyPolicy: 'https://x.com/en/privacy',
  cookies: [
    { name: '_twclid', lifetime: null },
    { name: 'personalization_id', lifetime: null },
    { name: 'guest_id', lifetime: null },
    { name: 'muc_ads', lifetime: null },
  ],
  storageKeys: [],
  pinning: movingScript('uwt.js is served at one unversioned URL,'),
  unloadWithoutReload: false,
  stopNote: 'The X Pixel has no consent or stop API, so the page reloads with it blocked.',
  configId: { setting: 'siteId', label: 'pixel ID', pattern: '^[a-z0-9]{1,16}$', example: 'o1a2b' },
  scriptUrls: ['https://static.ads-twitter.com/uwt.js'],
  confidence: 'medium',
  unconfirmed: [
    'cookie list from secondary sources',
    "the own-use sentence summarises X's advertising terms; it is not from the research catalog",
  ],
  sources: [
    'npm:@c15t/scripts@2.2.0/dist/vendors/ads-and-pixels/x-pixel.js',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
    'https://g2.twimg.com/en/help/campaign-measurement-and-analytics/conversion-tracking-for-websites/about-conversion-tracking.html',
    'https://opsblu.com/documentation/ad-platforms/x-ads (secondary)',
    'https://cookiesentry.com/cookies/providers/x-twitter (secondary)',
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
  ],
};

/** twq as the snippet defines it: calls queue on `.queue` until uwt.js sets `exe`. */
interface TwqStub extends Fn {
  exe?: Fn;
  queue: unknown[];
  version: string;
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    if (!isFunction(getGlobal('twq'))) {
      const twq = function (...args: unknown[]) {
        if (twq.exe) twq.exe.apply(twq, args);
        // biome-ignore lint/complexity/noArguments: uwt.js replays Arguments objects, as the snippet queues them.
        else twq.queue.push(arguments);
      } as TwqStub;
      twq.version = '1.1';
      twq.queue = [];
      setGlobal('twq', twq);
      injectScript(manifest.id, 'https://static.ads-twitter.com/uwt.js', context);
    }
    call(['twq'], 'config', settings.id);
  },
});
