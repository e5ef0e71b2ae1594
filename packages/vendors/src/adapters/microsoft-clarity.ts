import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { markPage } from '../lib/dom';
import { call, queueStub } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'microsoft-clarity',
  name: 'Microsoft Clarity',
  legalName: 'Microsoft Corporation',
  category: 'replay',
  purposes: ['replay'],
  hosts: ['www.clarity.ms', 'scripts.clarity.ms', 'c.clarity.ms', '*.clarity.ms', 'c.bing.com'],
  capturesContents: true,
  captures: {
    contents: [
      CONTENTS.replay,
      CONTENTS.pageText,
      'when you open a chat on this site and whether you talk to a person or a bot (not the messages)',
    ],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse:
    'Microsoft may use its MUID cookie, which Clarity sets, for advertising and its own site analytics (Microsoft’s Clarity cookie list).',
  privacyPolicy: 'https://privacy.microsoft.com/privacystatement',
  cookies: [
    { name: '_clck', lifetime: '1 year' },
    { name: '_clsk', lifetime: '1 day' },
    { name: 'CLID', lifetime: '1 year', thirdParty: 'clarity.ms' },
    { name: 'ANONCHK', lifetime: '10 minutes', thirdParty: 'clarity.ms' },
    { name: 'MR', lifetime: '7 days', thirdParty: 'bing.com' },
    { name: 'MUID', lifetime: 'about 1 year', thirdParty: 'bing.com' },
    { name: 'SM', lifetime: 'session', thirdParty: 'clarity.ms' },
  ],
  storageKeys: [{ key: '_cltk', storage: 'session' }],
  masking:
    'Clarity masks the content of input boxes in every mode. The adapter also sets data-clarity-mask="true" on <html> and <body> so page text is masked; choose the Strict masking mode in Clarity\'s settings too. ad_Storage is always sent as denied.',
  liveSettings: {
    checked: [],
    note: 'The masking mode (Strict, Balanced, Relaxed) is a project setting Clarity’s script applies; no documented browser API reports it (the web masking page was not retrieved), so nothing is checked at load.',
  },
  pinning: movingScript(
    'The tag clarity.ms/tag/{projectId} is built per project and injects Clarity’s current bundle,',
  ),
  unloadWithoutReload: 'partial',
  stopNote:
    "clarity('stop') stops recording but the script stays; Clarity's consentv2 'denied' is not used because it restarts Clarity in cookieless mode. The page reloads with Clarity blocked.",
  configId: { setting: 'siteId', label: 'project ID', pattern: '^[a-z0-9]{10}$', example: 'vnmy25t03u' },
  notes: [
    'Clarity never starts when the browser sends Global Privacy Control.',
    'Clarity records chat-widget events (open/close, bot or person, no text) for LiveChat, Tidio and Crisp; a chat adapter alone does not stop that.',
  ],
  scriptUrls: [
    'https://www.clarity.ms/tag/{projectId} (loader; injects the versioned clarity.js bundle)',
    'https://www.clarity.ms/tag/{projectId}?ref=npm (npm package)',
  ],
  confidence: 'high',
  unconfirmed: [
    'scripts.clarity.ms bundle host (not present in retrieved sources; commonly observed)',
    'c.bing.com as MUID-sync host (inferred from MUID cookie)',
    'web (non-mobile) masking doc page not retrieved; mobile doc + GitHub issue used',
    "cookie lifetimes are from site cookie tables; Microsoft's cookie list gives names and purposes without durations",
    'which domain sets CLID, ANONCHK and SM (clarity.ms or bing.com)',
    "clarity('stop') is exported by the SDK but undocumented",
  ],
  sources: [
    'npm:@microsoft/clarity@1.0.2/index.js',
    'npm:@microsoft/clarity@1.0.2/src/utils.js',
    'github:microsoft/clarity@8aa987e469a1fe11dbf984ffc98f3344468e4af4/packages/clarity-js/src/clarity.ts (start/stop/pause/resume)',
    'github:microsoft/clarity@8aa987e469a1fe11dbf984ffc98f3344468e4af4/packages/clarity-js/src/queue.ts (window.clarity dispatch to exported functions)',
    'github:microsoft/clarity@8aa987e469a1fe11dbf984ffc98f3344468e4af4/packages/clarity-js/src/core/index.ts (GPC check)',
    'github:microsoft/clarity@8aa987e469a1fe11dbf984ffc98f3344468e4af4/packages/clarity-js/src/data/metadata.ts (consentv2 -> clear() + stop/start)',
    'github:microsoft/clarity@8aa987e469a1fe11dbf984ffc98f3344468e4af4/packages/clarity-js/types/data.d.ts (_clck/_clsk/_cltk)',
    'github:microsoft/clarity@8aa987e469a1fe11dbf984ffc98f3344468e4af4/packages/clarity-js/src/dynamic/agent/{livechat,tidio,crisp}.ts',
    'https://learn.microsoft.com/en-us/clarity/clarity-api',
    'https://learn.microsoft.com/en-au/clarity/clarity-consent-api-v2',
    'https://learn.microsoft.com/en-us/clarity/mobile-sdk/clarity-sdk-masking (Balanced default; inputs always masked)',
    'https://github.com/microsoft/clarity/issues/570',
    'https://github.com/microsoft/clarity/issues/567 (MUID before consent)',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
    "public code (code-index '.clarity.ms/collect': _clsk values end with {x}.clarity.ms/collect)",
    'https://learn.microsoft.com/en-us/clarity/setup-and-installation/cookie-list',
    'https://idealink.tech/privacy-policy/cookies-policy (cookie durations; secondary)',
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    const clarity = queueStub('clarity');
    // The grant is for replay only; advertising storage stays denied.
    clarity('consentv2', { ad_Storage: 'denied', analytics_Storage: 'granted' });
    markPage({ attribute: 'data-clarity-mask', value: 'true' });
    injectScript(manifest.id, `https://www.clarity.ms/tag/${settings.id}`, context);
  },
  shutdown() {
    // Not consentv2 'denied': that restarts Clarity in cookieless mode, still recording.
    call(['clarity'], 'stop');
  },
});
