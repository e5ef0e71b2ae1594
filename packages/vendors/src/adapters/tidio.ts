import { CHAT_LIVE_SETTINGS, movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call, getGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS, NO_TYPING_PREVIEW_API } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'tidio',
  name: 'Tidio',
  legalName: 'Tidio LLC',
  category: 'chat',
  purposes: ['chat'],
  hosts: ['code.tidio.co', '*.tidio.co', '*.tidiochat.com'],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.chat, CONTENTS.chatIdentity],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://www.tidio.com/privacy-policy/',
  cookies: [],
  storageKeys: [],
  masking: NO_TYPING_PREVIEW_API,
  liveSettings: CHAT_LIVE_SETTINGS,
  pinning: movingScript('{publicKey}.js is built per project,'),
  unloadWithoutReload: false,
  stopNote:
    'tidioChatApi.hide() hides the chat; Tidio has no documented teardown, so the page reloads with Tidio blocked.',
  configId: {
    setting: 'siteId',
    label: 'public key',
    pattern: '^[a-z0-9]{32}$',
    example: 'abcdefghijklmnopqrstuvwxyz123456',
  },
  scriptUrls: ['https://code.tidio.co/{publicKey}.js'],
  confidence: 'low',
  unconfirmed: [
    'storage keys (tidio_state_* commonly reported)',
    'WebSocket hostnames',
    'public key format',
    'the legal entity behind Tidio',
    'widget selector #tidio-chat is from observed pages',
    'with no declared cookies or storage keys, purge() deletes nothing for Tidio',
  ],
  sources: [
    'https://docs.tidio.com/',
    "public code (code-index 'usemessages.com' hit listing code.tidio.co/tidio.com in tracker lists)",
    'github:microsoft/clarity@8aa987e469a1fe11dbf984ffc98f3344468e4af4/packages/clarity-js/src/dynamic/agent/tidio.ts',
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    injectScript(manifest.id, `https://code.tidio.co/${settings.id}.js`, context);
  },
  shutdown() {
    call(['tidioChatApi', 'hide']);
  },
  open() {
    if (getGlobal('tidioChatApi') !== undefined) call(['tidioChatApi', 'open']);
    else document.addEventListener('tidioChat-ready', () => call(['tidioChatApi', 'open']), { once: true });
  },
  selectors: ['#tidio-chat'],
});
