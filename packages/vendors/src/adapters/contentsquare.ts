import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { markPage } from '../lib/dom';
import { arrayQueue, call } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'contentsquare',
  name: 'Contentsquare',
  legalName: 'Contentsquare SAS',
  category: 'replay',
  purposes: ['replay'],
  hosts: ['t.contentsquare.net', '*.contentsquare.net', '*.contentsquare.com'],
  sharesHostsWith: ['hotjar'],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.replay, CONTENTS.pageText, CONTENTS.typing],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://contentsquare.com/privacy-center/privacy-policy/',
  cookies: [
    { name: '_cs_id', lifetime: null },
    { name: '_cs_s', lifetime: null },
    { name: '_cs_c', lifetime: null },
    { name: '_cs_s_ctx', lifetime: null },
    { name: '_cs_i', lifetime: null },
    { name: '_cs_cvars', lifetime: null },
    { name: '_cs_optout', lifetime: null },
    { name: '_cs_ex', lifetime: null },
    { name: '_cs_vars', lifetime: null },
  ],
  storageKeys: [],
  masking:
    'The adapter sets data-cs-mask on <html> and <body> so Contentsquare leaves page text out of collection; use data-cs-encrypt for fields the site needs in encrypted form.',
  liveSettings: {
    checked: [],
    note: 'Masking is set by attributes and in Contentsquare’s own settings; the catalog names no browser API that reports them, so nothing is checked at load.',
  },
  pinning: movingScript('The tag {tagId}.js is built per tag by Contentsquare,'),
  unloadWithoutReload: 'partial',
  stopNote:
    "_uxa.push(['optout']) stops tracking and removes Contentsquare's other cookies, but its script and Web Workers stay until the page reloads with Contentsquare blocked.",
  configId: { setting: 'siteId', label: 'tag ID', pattern: '^[a-z0-9]{13}$', example: 'f6f72d509axzd' },
  notes: [
    'Cross-domain tracking loads iframes from csxd.<your domain>, which the guard treats as first-party and cannot hold: keep cross-domain tracking off unless the notice covers it.',
  ],
  scriptUrls: ['https://t.contentsquare.net/uxa/{tagId}.js'],
  confidence: 'medium',
  unconfirmed: [
    "whether _uxa.push(['optin']) is honored by the desktop web tag",
    'localStorage keys not listed in retrieved excerpt',
    'that data-cs-mask on <html>/<body> masks the whole page',
  ],
  sources: [
    'npm:@contentsquare/tag-sdk@1.1.0/dist/esm/injectContentsquareScript.js',
    'https://docs.contentsquare.com/en/web/content-security-policy',
    'https://docs.contentsquare.com/en/web/cookies/',
    'https://docs.contentsquare.com/en/web/send-the-users-decisions-about-data-collection/',
    'https://docs.contentsquare.com/en/webview-tracking-tag/privacy',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
    "public rrweb-fork docs, vendorCompat mask/block token table (code-index id 61919438305; secondary, cites each vendor's doc)",
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    const uxa = arrayQueue('_uxa');
    // A withdrawal pushed 'optout' (and left _cs_optout); a new grant opts in again.
    uxa.push(['optin']);
    // As the tag: the path plus the hash as a query, never the page's real query string.
    uxa.push(['setPath', location.pathname + location.hash.replace('#', '?__')]);
    markPage({ attribute: 'data-cs-mask' });
    injectScript(manifest.id, `https://t.contentsquare.net/uxa/${settings.id}.js`, context);
  },
  shutdown() {
    call(['_uxa', 'push'], ['optout']);
  },
});
