import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { arrayQueue, call, getGlobal, isFunction, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'microsoft-uet',
  name: 'Microsoft Advertising (UET)',
  legalName: 'Microsoft Corporation',
  category: 'advertising',
  purposes: ['advertising'],
  hosts: ['bat.bing.com', 'bat.bing.net'],
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
  ownUse: 'Microsoft uses the data to measure, target and optimise ads on Microsoft Advertising (Bing).',
  privacyPolicy: 'https://privacy.microsoft.com/privacystatement',
  cookies: [
    { name: '_uetsid', lifetime: null },
    { name: '_uetvid', lifetime: null },
    { name: '_uetmsclkid', lifetime: null },
    { name: 'MUID', lifetime: 'about 1 year', thirdParty: 'bing.com' },
  ],
  storageKeys: [],
  masking:
    "UET consent mode starts with ad_storage denied ('default') and is updated to granted after load, mirroring the visitor's grant.",
  pinning: movingScript('bat.js is served at one unversioned URL,'),
  unloadWithoutReload: false,
  stopNote:
    "uetq.push('consent', 'update', { ad_storage: 'denied' }) stops cookie use, but bat.js has no teardown, so the page reloads with UET blocked.",
  configId: { setting: 'siteId', label: 'UET tag ID (ti)', pattern: '^[0-9]+$', example: '343046885' },
  scriptUrls: ['https://bat.bing.com/bat.js'],
  confidence: 'medium',
  unconfirmed: [
    'official Microsoft UET consent-mode doc not retrieved',
    '*.bing.com from the catalog is narrowed to bat.bing.com/bat.bing.net so c.bing.com stays with Microsoft Clarity; any other bing.com request UET makes is held as unregistered',
    "the own-use sentence summarises Microsoft Advertising's terms; it is not from the research catalog",
  ],
  sources: [
    'npm:@c15t/scripts@2.2.0/dist/vendors/ads-and-pixels/microsoft-uet.js',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    const uetq = arrayQueue('uetq');
    uetq.push('consent', 'default', { ad_storage: 'denied' });
    uetq.push('consent', 'update', { ad_storage: 'granted' });
    const script = injectScript(manifest.id, 'https://bat.bing.com/bat.js', context);
    // As the snippet: once bat.js is there, the queue becomes a UET instance and records the page load.
    script.addEventListener('load', () => {
      const UET = getGlobal('UET');
      if (!isFunction(UET)) return;
      const options = { ti: settings.id, enableAutoSpaTracking: true, q: getGlobal('uetq') };
      const instance: unknown = Reflect.construct(UET, [options]);
      setGlobal('uetq', instance);
      call(['uetq', 'push'], 'pageLoad');
    });
  },
  shutdown() {
    call(['uetq', 'push'], 'consent', 'update', { ad_storage: 'denied' });
  },
});
