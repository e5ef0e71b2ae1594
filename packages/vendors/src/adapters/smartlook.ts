import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { markPage } from '../lib/dom';
import { call, type Fn, getGlobal, isFunction, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'smartlook',
  name: 'Smartlook',
  legalName: 'Smartlook.com, s.r.o. (Cisco)',
  category: 'replay',
  purposes: ['replay'],
  hosts: [
    'web-sdk.smartlook.com',
    'manager.smartlook.com',
    'web-writer.eu.smartlook.cloud',
    'assets-proxy.smartlook.cloud',
    '*.smartlook.com',
    '*.smartlook.cloud',
  ],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.replay, CONTENTS.pageText],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://www.smartlook.com/privacy-policy/',
  cookies: [],
  storageKeys: [],
  masking:
    'The adapter never calls smartlook(\'record\', …), so form inputs, numbers, emails and IP addresses stay out of recordings (Smartlook records them only when enabled), and sets data-sl="mask" on <html> and <body> so page text is masked. advancedNetwork (request bodies, WebSockets) stays off.',
  liveSettings: {
    checked: [],
    note: 'record({ forms, emails, ips, numbers }) sets what Smartlook captures, but smartlook-client documents no way to read the options in force, so nothing is checked at load.',
  },
  pinning: movingScript('recorder.js is served at one unversioned URL,'),
  unloadWithoutReload: 'partial',
  stopNote:
    "smartlook('disable') stops recording, but the recorder script stays until the page reloads with Smartlook blocked.",
  configId: {
    setting: 'siteId',
    label: 'project key',
    pattern: '^[0-9a-f]{40}$',
    example: '85aa51a7d9a02dad0ac1d269cf13e3e0b3989f09',
  },
  options: [
    {
      name: 'region',
      description: 'data region',
      required: false,
      values: ['eu', 'us'],
      default: 'eu',
      example: 'eu',
    },
  ],
  notes: [
    'The Smartlook relay proxy sends data through the site itself; do not configure it, or the guard cannot hold it.',
  ],
  scriptUrls: ['https://web-sdk.smartlook.com/recorder.js'],
  confidence: 'medium',
  unconfirmed: [
    'cookie/localStorage key names (SL_C_* reported elsewhere) not verified',
    'US region writer hostname',
    "what 'disable' vs 'pause' persists",
    'that data-sl="mask" on <html>/<body> masks the whole page',
    'which cookies and storage keys Smartlook writes, so purge() deletes none',
  ],
  sources: [
    'npm:smartlook-client@10.0.0/dist/esm/index.mjs',
    'npm:smartlook-client@10.0.0/dist/esm/index.d.ts',
    'npm:smartlook-client@10.0.0/README.md',
    'github:smartlook/smartlook-relay-proxy@115510c/src/config/index.ts (upstream hosts)',
    "public rrweb-fork docs, vendorCompat mask/block token table (code-index id 61919438305; secondary, cites each vendor's doc)",
  ],
};

/** The smartlook queue as the snippet defines it: calls are pushed to `.api`. */
interface SmartlookStub extends Fn {
  api: unknown[][];
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    if (!isFunction(getGlobal('smartlook'))) {
      const stub = ((...args: unknown[]) => {
        stub.api.push(args);
      }) as SmartlookStub;
      stub.api = [];
      setGlobal('smartlook', stub);
    }
    call(['smartlook'], 'init', settings.id, { region: settings.string('region') });
    markPage({ attribute: 'data-sl', value: 'mask' });
    injectScript(manifest.id, 'https://web-sdk.smartlook.com/recorder.js', context, {
      attributes: { charset: 'utf-8' },
    });
  },
  shutdown() {
    call(['smartlook'], 'disable');
  },
});
