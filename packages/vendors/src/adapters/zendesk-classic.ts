import { CHAT_LIVE_SETTINGS, movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS, NO_TYPING_PREVIEW_API } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'zendesk-classic',
  name: 'Zendesk Web Widget (Classic)',
  legalName: 'Zendesk, Inc.',
  category: 'chat',
  purposes: ['chat'],
  hosts: ['static.zdassets.com', 'ekr.zdassets.com', '*.zendesk.com', 'v2.zopim.com', '*.zopim.com'],
  sharesHostsWith: ['zendesk-messaging'],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.chat, CONTENTS.chatFiles, CONTENTS.chatIdentity],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://www.zendesk.com/company/agreements-and-terms/privacy-notice/',
  cookies: [
    { name: '__zlcmid', lifetime: null },
    { name: '__zlcprivacy', lifetime: null },
  ],
  storageKeys: [],
  masking: NO_TYPING_PREVIEW_API,
  liveSettings: CHAT_LIVE_SETTINGS,
  pinning: movingScript('snippet.js?key={key} is the per-account loader,'),
  unloadWithoutReload: false,
  stopNote:
    "zE('webWidget', 'hide') hides the widget; Zendesk Chat has no teardown, so the page reloads with Zendesk blocked.",
  configId: {
    setting: 'siteId',
    label: 'widget key',
    pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    example: '00000000-0000-0000-0000-000000000000',
  },
  notes: [
    'The legacy Zopim embed (v2.zopim.com) is not loaded by this adapter; its hosts are declared so the guard holds it.',
  ],
  scriptUrls: [
    'https://static.zdassets.com/ekr/snippet.js?key={key}',
    'https://v2.zopim.com/?{accountKey} (legacy Zopim embed)',
  ],
  confidence: 'medium',
  unconfirmed: [
    'Classic widget method names beyond hide (e.g. webWidget logout/clear) not re-verified',
    'zopim socket hostnames',
    'widget selectors #launcher and #webWidget are from observed pages',
  ],
  sources: [
    'https://support.zendesk.com/hc/en-us/articles/4408828505754-Enabling-cookie-consent-for-the-Chat-widget',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js (zopim entry: v2.zopim.com, __zlcid, __zprivacy)',
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    injectScript(manifest.id, `https://static.zdassets.com/ekr/snippet.js?key=${settings.id}`, context, {
      id: 'ze-snippet',
    });
  },
  shutdown() {
    call(['zE'], 'webWidget', 'close');
    call(['zE'], 'webWidget', 'hide');
  },
  open() {
    call(['zE'], 'webWidget', 'open');
  },
  selectors: ['#launcher', '#webWidget'],
});
