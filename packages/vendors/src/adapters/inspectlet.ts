import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { markPage } from '../lib/dom';
import { arrayQueue, getGlobal, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'inspectlet',
  name: 'Inspectlet',
  legalName: 'Inspectlet',
  category: 'replay',
  purposes: ['replay'],
  hosts: ['cdn.inspectlet.com', '*.inspectlet.com'],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.replay, CONTENTS.pageText, CONTENTS.typing],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://www.inspectlet.com/legal#privacy',
  cookies: [],
  storageKeys: [],
  masking:
    'The adapter adds the class inspectlet-sensitive to <html> and <body> so Inspectlet leaves page text and inputs out; use inspectletIgnore for areas that must not be recorded at all.',
  liveSettings: {
    checked: [],
    note: 'Exclusion is set by classes; no settings API is known, so nothing is checked at load.',
  },
  pinning: movingScript(
    'inspectlet.js is served at one unversioned URL (the snippet adds an hourly cache-buster),',
  ),
  unloadWithoutReload: false,
  stopNote:
    'Inspectlet has no known stop API: its script stays until the page reloads with Inspectlet blocked.',
  configId: { setting: 'siteId', label: 'site ID (wid)', pattern: '^[0-9]{9,10}$', example: '1771092486' },
  scriptUrls: ['https://cdn.inspectlet.com/inspectlet.js?wid={wid}&r={hourBucket}'],
  confidence: 'low',
  unconfirmed: [
    'cookies (__insp_* commonly reported), data hostnames, any stop/consent API',
    'the legal entity behind Inspectlet',
    'that inspectlet-sensitive on <html>/<body> covers the whole page',
    'with no declared cookies or storage keys, purge() deletes nothing for Inspectlet',
  ],
  sources: [
    "public code (code-index 'cdn.inspectlet.com/inspectlet.js': snippets with __insp.push(['wid', id]) and __inspld)",
    "public rrweb-fork docs, vendorCompat mask/block token table (code-index id 61919438305; secondary, cites each vendor's doc)",
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    const insp = arrayQueue('__insp');
    insp.push(['wid', Number(settings.id)]);
    markPage({ className: 'inspectlet-sensitive' });
    if (getGlobal('__inspld') !== undefined) return;
    setGlobal('__inspld', 1);
    // As the snippet: the hour bucket keeps the loader cacheable for an hour.
    const hour = Math.floor(Date.now() / 3_600_000);
    injectScript(
      manifest.id,
      `https://cdn.inspectlet.com/inspectlet.js?wid=${settings.id}&r=${hour}`,
      context,
      {
        id: 'inspsync',
      },
    );
  },
});
