import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call, type Fn, getGlobal, isFunction, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'snap-pixel',
  name: 'Snap Pixel',
  legalName: 'Snap Inc.',
  category: 'advertising',
  purposes: ['advertising'],
  hosts: ['sc-static.net', 'tr.snapchat.com', 'tr6.snapchat.com', '*.snapchat.com'],
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
  ownUse: 'Snap uses the data to measure, target and optimise ads on Snapchat.',
  privacyPolicy: 'https://snap.com/en-US/privacy/privacy-policy',
  cookies: [
    { name: '_scid', lifetime: null },
    { name: '_scid_r', lifetime: null },
    { name: '_sctr', lifetime: null },
  ],
  storageKeys: [],
  masking: 'The adapter initialises the pixel without user_email or other identifiers (no PII matching).',
  pinning: movingScript('scevent.min.js is served at one unversioned URL,'),
  unloadWithoutReload: false,
  stopNote: 'The Snap Pixel has no consent or stop API, so the page reloads with it blocked.',
  configId: {
    setting: 'siteId',
    label: 'pixel ID',
    pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    example: '00000000-0000-0000-0000-000000000000',
  },
  scriptUrls: ['https://sc-static.net/scevent.min.js'],
  confidence: 'medium',
  unconfirmed: [
    'cookie names from secondary sources',
    "the own-use sentence summarises Snap's advertising terms; it is not from the research catalog",
  ],
  sources: [
    'npm:@c15t/scripts@2.2.0/dist/vendors/ads-and-pixels/snapchat-pixel.js',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
    'https://www.consentstack.io/vendors/snap-pixel (secondary)',
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
  ],
};

/** snaptr as the snippet defines it: calls queue on `.queue` until scevent.min.js sets `handleRequest`. */
interface SnaptrStub extends Fn {
  handleRequest?: Fn;
  queue: unknown[];
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    if (!isFunction(getGlobal('snaptr'))) {
      const snaptr = function (...args: unknown[]) {
        if (snaptr.handleRequest) snaptr.handleRequest.apply(snaptr, args);
        // biome-ignore lint/complexity/noArguments: scevent.min.js replays Arguments objects, as the snippet queues them.
        else snaptr.queue.push(arguments);
      } as SnaptrStub;
      snaptr.queue = [];
      setGlobal('snaptr', snaptr);
    }
    injectScript(manifest.id, 'https://sc-static.net/scevent.min.js', context);
    call(['snaptr'], 'init', settings.id, {});
    call(['snaptr'], 'track', 'PAGE_VIEW');
  },
});
