import { movingScript } from '../helpers/facts';
import { applyGoogleConsent, GOOGLE_ALL_DENIED, gtagStub } from '../helpers/google';
import { defineAdapter } from '../lib/define';
import { arrayQueue } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'google-tag-manager',
  name: 'Google Tag Manager',
  legalName: 'Google LLC',
  category: 'tag-manager',
  purposes: ['analytics'],
  purposeNote:
    'Tag Manager itself only loads the tags in its container. It is treated as analytics because loading it sends your IP address and the page address to Google. Every tag it fires goes to its own vendor’s hosts, which the guard holds until that vendor (configured with its own adapter) is granted for its own purpose: a replay tag in the container still needs replay consent.',
  hosts: ['www.googletagmanager.com/gtm.js', 'www.googletagmanager.com/ns.html'],
  capturesContents: false,
  captures: {
    contents: [CONTENTS.url],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.referrer],
  },
  ownUse: 'Google may use the data to provide and improve its services.',
  privacyPolicy: 'https://policies.google.com/privacy',
  cookies: [],
  storageKeys: [],
  masking:
    'Consent Mode v2 starts with every signal denied and is updated to the visitor’s choices, so consent-aware tags in the container see them; tags that ignore Consent Mode are still held by the guard per vendor.',
  pinning: movingScript(
    'gtm.js?id={id} is the container as last published, so it changes with every publish,',
  ),
  unloadWithoutReload: false,
  stopNote:
    'Tag Manager has no teardown: Consent Mode is updated to denied and the page reloads with the container blocked.',
  configId: { setting: 'siteId', label: 'container ID', pattern: '^GTM-[A-Z0-9]+$', example: 'GTM-K9WNLJ5' },
  notes: [
    'A container can add any vendor remotely. Configure an adapter for every vendor the container fires (or accept that the guard holds them as unregistered); the load ledger shows what it tried.',
    'Server-side Tag Manager sends data through the site’s own domain, which the guard cannot hold.',
  ],
  scriptUrls: [
    'https://www.googletagmanager.com/gtm.js?id={GTM-XXXX}',
    'https://www.googletagmanager.com/ns.html?id={GTM-XXXX} (noscript iframe)',
  ],
  confidence: 'high',
  unconfirmed: [
    "whether the page's Consent Mode default must precede gtm.js for every tag template to honour it (the adapter pushes it first)",
    "the own-use sentence summarises Google's general terms; it is not from the research catalog",
  ],
  sources: [
    'npm:@c15t/scripts@2.2.0/dist/vendors/tag-managers/google-tag-manager.js',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
    'https://support.google.com/tagmanager/answer/14009635',
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    applyGoogleConsent(gtagStub(), context.consent);
    arrayQueue('dataLayer').push({ 'gtm.start': Date.now(), event: 'gtm.js' });
    injectScript(manifest.id, `https://www.googletagmanager.com/gtm.js?id=${settings.id}`, context);
  },
  shutdown() {
    gtagStub()('consent', 'update', { ...GOOGLE_ALL_DENIED });
  },
});
