import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { markPage } from '../lib/dom';
import { queueStub, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'hotjar',
  name: 'Hotjar',
  legalName: 'Hotjar Ltd (Contentsquare)',
  category: 'replay',
  purposes: ['replay'],
  hosts: [
    'static.hotjar.com',
    'script.hotjar.com',
    'vars.hotjar.com',
    'in.hotjar.com',
    '*.hotjar.com',
    '*.hotjar.io',
    'static.hj.contentsquare.net',
  ],
  sharesHostsWith: ['contentsquare'],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.replay, CONTENTS.pageText, CONTENTS.typing],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://www.hotjar.com/legal/policies/privacy/',
  cookies: [
    { name: '_hjSessionUser_{id}', lifetime: '1 year' },
    { name: '_hjSession_{id}', lifetime: '30 minutes' },
    { name: '_hjid', lifetime: '1 year' },
    { name: '_hjAbsoluteSessionInProgress', lifetime: '30 minutes' },
    { name: '_hjFirstSeen', lifetime: '30 minutes' },
    { name: '_hjIncludedInSessionSample', prefix: true, lifetime: '30 minutes' },
    { name: '_hjIncludedInPageviewSample', lifetime: '30 minutes' },
    { name: '_hjHasCachedUserAttributes', lifetime: 'session' },
    { name: '_hjUserAttributesHash', lifetime: '2 minutes, renewed while you are on the page' },
    { name: '_hjTLDTest', lifetime: null },
    { name: '_hjLocalStorageTest', lifetime: 'under a second' },
    { name: '_hjSessionTooLarge', lifetime: null },
    { name: '_hjSessionRejected', lifetime: null },
    { name: '_hjClosedSurveyInvites', lifetime: '1 year' },
    { name: '_hjDonePolls', lifetime: '1 year' },
    { name: '_hjMinimizedPolls', lifetime: '1 year' },
    { name: '_hjShownFeedbackMessage', lifetime: null },
    { name: '_hjOptedOut', lifetime: null, optOut: true },
    { name: '_hj', prefix: true, lifetime: 'up to 1 year' },
  ],
  storageKeys: [
    { key: '_hjUserAttributes', storage: 'local' },
    { key: 'hjViewportId', storage: 'local' },
    { key: '_hjRecordingLastActivity', storage: 'session' },
  ],
  masking:
    "Hotjar suppresses keystrokes by default (fields allowed with data-hj-allow are recorded). The adapter also sets data-hj-suppress on <html> and <body> so page text is suppressed; turn on the site-level text, number and email suppression in Hotjar's settings as well.",
  liveSettings: {
    checked: [],
    note: 'Hotjar’s suppression settings are site settings in its dashboard. A 2019 copy of one site’s hotjar-{id}.js sets window.hjSiteSettings with keys such as recording_capture_keystrokes, anonymize_digits and suppress_text (secondary: public code), but that global is undocumented and what each key means is not confirmed, so the adapter does not check it.',
  },
  pinning: movingScript('hotjar-{hjid}.js is built per site and carries the site’s Hotjar settings,'),
  unloadWithoutReload: false,
  stopNote:
    'Hotjar has no stop API: its script and recording connection stay until the page reloads with Hotjar blocked.',
  configId: { setting: 'siteId', label: 'Site ID (hjid)', pattern: '^[0-9]+$', example: '123456' },
  scriptUrls: [
    'https://static.hotjar.com/c/hotjar-{hjid}.js?sv={hjsv}',
    'https://static.hj.contentsquare.net/c/csq-{siteId}.js (unified Hotjar/Contentsquare tag; still sets window.hj/_hjSettings)',
  ],
  notes: [
    'Hotjar’s current snippet loads its tag (csq-{siteId}.js) from static.hj.contentsquare.net, run by its parent Contentsquare SAS, so the notice names Contentsquare. The Contentsquare tag’s own hosts (t., c. and the rest of *.contentsquare.net) are the contentsquare adapter’s: a Hotjar grant does not release them.',
  ],
  confidence: 'medium',
  unconfirmed: [
    'what the unified csq-{siteId}.js tag sends beyond static.hj.contentsquare.net',
    'Official Hotjar CSP page text not retrieved; *.hotjar.com / *.hotjar.io / wss://*.hotjar.com come from secondary CSP guides',
    'No runtime consent/stop API found; _hjOptedOut from secondary cookie catalog',
    "cookie lifetimes come from site cookie tables that quote Hotjar, not from Hotjar's own page",
    'that data-hj-suppress on <html>/<body> suppresses the text of the whole page',
  ],
  sources: [
    'npm:@hotjar/browser@1.0.9/dist/index.esm.js',
    'npm:@contentsquare/tag-sdk@1.1.0/dist/esm/injectContentsquareScript.js',
    'npm:@c15t/scripts@2.2.0/dist/vendors/analytics/hotjar.js',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
    'https://help.hotjar.com/hc/en-us/articles/21825186925207-How-do-Recordings-Work-Advanced-Explanation (WebSocket transport)',
    'https://www.hotjar.com/updates/en/were-protecting-you-and-your-users-with-more-secure-recordings (keystrokes suppressed by default)',
    'https://help.hotjar.com/hc/en-us/articles/115011640307-Content-Security-Policies (referenced; domain list taken from secondary CSP examples)',
    'https://c15t.com/docs/integrations/hotjar (no Hotjar stop API; globals persist after unload)',
    'https://careerswales.gov.wales/node/785 (copy of Hotjar cookie table; secondary)',
    "public rrweb-fork docs, vendorCompat mask/block token table (code-index id 61919438305; secondary, cites each vendor's doc)",
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
    "https://careerswales.gov.wales/node/785 (cookie table quoting Hotjar's lifetimes; secondary)",
    'https://cmssupport.nhs.wales/shared-content/cookie-policy-content/website-usage-cookies/hotjar (secondary)',
  ],
};

/** Hotjar's snippet version, as in the official snippet (`hjsv: 6`). */
export const HOTJAR_SNIPPET_VERSION = 6;

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    queueStub('hj');
    setGlobal('_hjSettings', { hjid: Number(settings.id), hjsv: HOTJAR_SNIPPET_VERSION });
    markPage({ attribute: 'data-hj-suppress' });
    injectScript(
      manifest.id,
      `https://static.hotjar.com/c/hotjar-${settings.id}.js?sv=${HOTJAR_SNIPPET_VERSION}`,
      context,
    );
  },
});
