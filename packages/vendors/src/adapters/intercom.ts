import { CHAT_LIVE_SETTINGS, movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call, type Fn, getGlobal, isFunction, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS, NO_TYPING_PREVIEW_API } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'intercom',
  name: 'Intercom',
  legalName: 'Intercom, Inc.',
  category: 'chat',
  purposes: ['chat'],
  hosts: [
    'widget.intercom.io',
    'js.intercomcdn.com',
    'app.intercom.io',
    'api-iam.intercom.io',
    'api-iam.eu.intercom.io',
    'api-iam.au.intercom.io',
    'api-ping.intercom.io',
    'via.intercom.io',
    'nexus-websocket-a.intercom.io',
    'nexus-websocket-b.intercom.io',
    'nexus-europe-websocket.intercom.io',
    'nexus-australia-websocket.intercom.io',
    '*.intercom.io',
    '*.intercom-messenger.com',
    'uploads.intercomcdn.com',
    'uploads.intercomusercontent.com',
    '*.intercomcdn.com',
    '*.intercomassets.com',
    'intercom-sheets.com',
  ],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.chat, CONTENTS.chatFiles, CONTENTS.chatIdentity],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://www.intercom.com/legal/privacy',
  cookies: [
    { name: 'intercom-id-{id}', lifetime: '9 months' },
    { name: 'intercom-session-{id}', lifetime: '1 week' },
    { name: 'intercom-device-id-{id}', lifetime: '9 months' },
    { name: 'intercom-', prefix: true, lifetime: 'up to 9 months' },
  ],
  storageKeys: [],
  masking: NO_TYPING_PREVIEW_API,
  liveSettings: CHAT_LIVE_SETTINGS,
  pinning: movingScript('The Messenger loader widget/{app_id} is built per workspace,'),
  unloadWithoutReload: 'partial',
  stopNote:
    "Intercom('shutdown') ends the session and clears its session cookie and the messenger; the Intercom global and its listeners stay until the page reloads with Intercom blocked.",
  configId: {
    setting: 'siteId',
    label: 'app ID (workspace ID)',
    pattern: '^[a-z0-9]{8}$',
    example: 'abc12345',
  },
  options: [
    {
      name: 'region',
      description: 'Intercom data region (api_base)',
      required: false,
      values: ['us', 'eu', 'au'],
      default: 'us',
      example: 'eu',
    },
  ],
  scriptUrls: ['https://widget.intercom.io/widget/{app_id}'],
  confidence: 'high',
  unconfirmed: [
    'messenger container selectors (#intercom-container, #intercom-frame, .intercom-lightweight-app) are from observed pages',
  ],
  sources: [
    'npm:@intercom/messenger-js-sdk@0.0.20/instance-manager.ts',
    'npm:@intercom/messenger-js-sdk@0.0.20/constants.ts',
    'npm:@intercom/messenger-js-sdk@0.0.20/index.ts',
    'https://www.intercom.com/help/en/articles/3894-using-intercom-with-content-security-policy',
    'https://intercom.com/help/en/articles/2361922-intercom-messenger-cookies',
    'https://intercom.com/help/en/articles/16845-how-do-i-end-a-session',
    'https://intercom-developer-hub.readme.io/docs/intercom-javascript',
    'npm:@c15t/scripts@2.2.0/dist/vendors/functional/intercom.js',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
    'https://www.intercom.com/help/en/articles/2361922 (cookie names and default durations)',
  ],
};

/** api_base per Intercom region. */
export const INTERCOM_API_BASE: Record<string, string> = {
  us: 'https://api-iam.intercom.io',
  eu: 'https://api-iam.eu.intercom.io',
  au: 'https://api-iam.au.intercom.io',
};

/** The Intercom queue as the snippet defines it: `Intercom(...)` → `Intercom.c(arguments)` → `.q`. */
interface IntercomStub extends Fn {
  q: unknown[][];
  c: (args: unknown[]) => void;
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    const intercomSettings = { api_base: INTERCOM_API_BASE[settings.string('region')], app_id: settings.id };
    setGlobal('intercomSettings', intercomSettings);
    const existing = getGlobal('Intercom');
    if (isFunction(existing)) {
      // As the snippet: a messenger already on the page is re-attached with the new settings.
      existing('reattach_activator');
      existing('update', intercomSettings);
      return;
    }
    const stub = ((...args: unknown[]) => {
      stub.c(args);
    }) as IntercomStub;
    stub.q = [];
    stub.c = (args) => {
      stub.q.push(args);
    };
    setGlobal('Intercom', stub);
    injectScript(manifest.id, `https://widget.intercom.io/widget/${settings.id}`, context);
  },
  shutdown() {
    call(['Intercom'], 'shutdown');
  },
  open() {
    call(['Intercom'], 'show');
  },
  selectors: [
    '#intercom-container',
    '#intercom-frame',
    '.intercom-lightweight-app',
    '#intercom-css-container',
  ],
});
