import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call, type Fn, getGlobal, isFunction, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { CookieSpec, VendorAdapter, VendorManifest } from '../types';

const COOKIES: CookieSpec[] = [
  '_pin_unauth',
  '_pinterest_ct_ua',
  '_epik',
  '_derived_epik',
  '_pinterest_sess',
  '_pinterest_ct',
  '_pinterest_ct_rt',
  '_pinterest_ct_mw',
].map((name) => ({ name, lifetime: null }));

export const manifest: VendorManifest = {
  id: 'pinterest-tag',
  name: 'Pinterest Tag',
  legalName: 'Pinterest, Inc.',
  category: 'advertising',
  purposes: ['advertising'],
  hosts: ['s.pinimg.com', 'ct.pinterest.com', '*.pinterest.com'],
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
  ownUse: 'Pinterest uses the data to measure, target and optimise ads on Pinterest.',
  privacyPolicy: 'https://policy.pinterest.com/privacy-policy',
  cookies: COOKIES,
  storageKeys: [],
  masking: 'The adapter loads the tag without an email for enhanced match.',
  pinning: movingScript('core.js is served at one unversioned URL,'),
  unloadWithoutReload: false,
  stopNote: 'The Pinterest Tag has no consent or stop API, so the page reloads with it blocked.',
  configId: { setting: 'siteId', label: 'tag ID', pattern: '^[0-9]+$', example: '2612345678901' },
  scriptUrls: ['https://s.pinimg.com/ct/core.js'],
  confidence: 'medium',
  unconfirmed: [
    'any Pinterest client-side consent/opt-out command',
    "the own-use sentence summarises Pinterest's advertising terms; it is not from the research catalog",
  ],
  sources: [
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
  ],
};

/** pintrk as the snippet defines it: calls queue as arrays on `.queue`. */
interface PintrkStub extends Fn {
  queue: unknown[][];
  version: string;
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    if (!isFunction(getGlobal('pintrk'))) {
      const pintrk = ((...args: unknown[]) => {
        pintrk.queue.push(args);
      }) as PintrkStub;
      pintrk.queue = [];
      pintrk.version = '3.0';
      setGlobal('pintrk', pintrk);
      injectScript(manifest.id, 'https://s.pinimg.com/ct/core.js', context);
    }
    call(['pintrk'], 'load', settings.id);
    call(['pintrk'], 'page');
  },
});
