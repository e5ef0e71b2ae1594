import { CHAT_LIVE_SETTINGS, movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call, getGlobal, getPath, isRecord, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS, NO_TYPING_PREVIEW_API } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'tawk-to',
  name: 'tawk.to',
  legalName: 'tawk.to inc.',
  category: 'chat',
  purposes: ['chat'],
  hosts: ['embed.tawk.to', '*.tawk.to'],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.chat, CONTENTS.chatFiles, CONTENTS.chatIdentity],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://www.tawk.to/privacy-policy/',
  cookies: [
    { name: 'tawkUUID', lifetime: null },
    { name: '_tawkuuid', lifetime: null },
    { name: 'tawk_uuid_', prefix: true, lifetime: null },
    { name: 'TawkConnectionTime', lifetime: null },
    { name: 'twk_idm_key', lifetime: null },
    { name: 'ss', lifetime: null },
    { name: 'Tawk_', prefix: true, lifetime: null },
  ],
  storageKeys: [{ key: 'twk_token_', storage: 'local', prefix: true }],
  masking: NO_TYPING_PREVIEW_API,
  liveSettings: CHAT_LIVE_SETTINGS,
  pinning: movingScript('embed.tawk.to/{propertyId}/{widgetId} is built per widget,'),
  unloadWithoutReload: 'partial',
  stopNote:
    'Tawk_API.endChat() and shutdown() end the chat and close its socket; the widget code stays until the page reloads with tawk.to blocked.',
  configId: {
    setting: 'siteId',
    label: 'property ID / widget ID',
    pattern: '^[0-9a-f]{24}/[A-Za-z0-9]+$',
    example: '5f0000000000000000000000/default',
  },
  scriptUrls: ['https://embed.tawk.to/{propertyId}/{widgetId}'],
  confidence: 'high',
  unconfirmed: [
    'socket hostname',
    'the cookie named "ss" is generic; purge() deletes it because the catalog lists it for tawk.to',
  ],
  sources: [
    'npm:@tawk.to/tawk-messenger-react@2.0.2/dist/tawk-messenger-react.es.js (embed URL)',
    'https://developer.tawk.to/jsapi/',
    'https://developer.tawk.to/?p=92 (autoStart/start/shutdown)',
    'https://help.tawk.to/article/what-are-tawkto-cookies-and-what-do-they-do',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    if (!isRecord(getGlobal('Tawk_API'))) setGlobal('Tawk_API', {});
    setGlobal('Tawk_LoadStart', new Date());
    injectScript(manifest.id, `https://embed.tawk.to/${settings.id}`, context, {
      attributes: { charset: 'UTF-8', crossorigin: '*' },
    });
  },
  shutdown() {
    call(['Tawk_API', 'endChat']);
    call(['Tawk_API', 'shutdown']);
  },
  open() {
    const api = getGlobal('Tawk_API');
    if (!isRecord(api)) return;
    if (typeof getPath('Tawk_API', 'maximize') === 'function') call(['Tawk_API', 'maximize']);
    else api.onLoad = () => call(['Tawk_API', 'maximize']);
  },
});
