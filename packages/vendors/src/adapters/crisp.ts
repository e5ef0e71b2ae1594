import { CHAT_LIVE_SETTINGS, movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { arrayQueue, call, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'crisp',
  name: 'Crisp',
  legalName: 'Crisp IM SAS',
  category: 'chat',
  purposes: ['chat'],
  hosts: [
    'client.crisp.chat',
    'image.crisp.chat',
    'storage.crisp.chat',
    'game.crisp.chat',
    'client.relay.crisp.chat',
    'stream.relay.crisp.chat',
    '*.crisp.chat',
  ],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.chat, CONTENTS.chatFiles, CONTENTS.chatIdentity],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://crisp.chat/en/privacy/',
  cookies: [{ name: 'crisp-client', prefix: true, lifetime: '6 months' }],
  storageKeys: [],
  masking:
    'Typing previews: no client setting to turn off operator typing previews was found; check the Crisp workspace settings and say so in the chat-start notice if they are on. Co-browsing (MagicBrowse) streams the page to the operator when started.',
  liveSettings: CHAT_LIVE_SETTINGS,
  pinning: movingScript('l.js is served at one unversioned URL,'),
  unloadWithoutReload: false,
  stopNote:
    "$crisp 'chat:hide' and 'session:reset' hide the chat and clear its session; Crisp has no teardown, so the page reloads with Crisp blocked.",
  configId: {
    setting: 'siteId',
    label: 'website ID',
    pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    example: '00000000-0000-0000-0000-000000000000',
  },
  scriptUrls: ['https://client.crisp.chat/l.js'],
  confidence: 'high',
  unconfirmed: [
    "exact cookie name format (tarteaucitron lists 'crisp-client' prefix)",
    'the 6-month cookie lifetime is from a site cookie table (secondary)',
    'widget selector .crisp-client is from observed pages',
  ],
  sources: [
    'npm:crisp-sdk-web@1.2.1/src/index.ts',
    'npm:crisp-sdk-web@1.2.1/src/session.ts',
    'npm:crisp-sdk-web@1.2.1/src/chat.ts',
    'https://docs.crisp.chat/guides/others/whitelisting-our-systems/crisp-domain-names',
    'npm:@c15t/scripts@2.2.0/dist/vendors/functional/crisp.js',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
    'github:microsoft/clarity@8aa987e469a1fe11dbf984ffc98f3344468e4af4/packages/clarity-js/src/dynamic/agent/crisp.ts',
    'https://idealink.tech/privacy-policy/cookies-policy (crisp-client lifetime; secondary)',
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    arrayQueue('$crisp');
    setGlobal('CRISP_WEBSITE_ID', settings.id);
    injectScript(manifest.id, 'https://client.crisp.chat/l.js', context);
  },
  shutdown() {
    call(['$crisp', 'push'], ['do', 'chat:hide']);
    call(['$crisp', 'push'], ['do', 'session:reset']);
  },
  open() {
    call(['$crisp', 'push'], ['do', 'chat:open']);
  },
  selectors: ['.crisp-client'],
});
