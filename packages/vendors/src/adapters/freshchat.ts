import { CHAT_LIVE_SETTINGS, movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS, NO_TYPING_PREVIEW_API } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'freshchat',
  name: 'Freshchat',
  legalName: 'Freshworks Inc.',
  category: 'chat',
  purposes: ['chat'],
  hosts: ['wchat.freshchat.com', 'assetscdn-wchat.freshchat.com', '*.freshchat.com', '*.freshworks.com'],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.chat, CONTENTS.chatFiles, CONTENTS.chatIdentity],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://www.freshworks.com/privacy/',
  cookies: [{ name: '_fw_crm_v', lifetime: null }],
  storageKeys: [],
  masking: NO_TYPING_PREVIEW_API,
  liveSettings: CHAT_LIVE_SETTINGS,
  pinning: movingScript('widget.js is served at one unversioned URL,'),
  unloadWithoutReload: 'partial',
  stopNote:
    'fcWidget.user.clear() and fcWidget.destroy() clear the visitor and remove the widget frame; the widget script stays until the page reloads with Freshchat blocked.',
  configId: {
    setting: 'siteId',
    label: 'widget token',
    pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    example: '00000000-0000-0000-0000-000000000000',
  },
  options: [
    {
      name: 'host',
      description: 'Freshchat widget host',
      required: false,
      pattern: '^https://[a-z0-9-]+(\\.[a-z0-9-]+)*\\.freshchat\\.com$',
      default: 'https://wchat.freshchat.com',
      example: 'https://wchat.freshchat.com',
    },
  ],
  scriptUrls: [
    'https://wchat.freshchat.com/js/widget.js',
    "newer Freshworks loader '//fw-cdn.com/{id}.js' (unverified)",
  ],
  confidence: 'medium',
  unconfirmed: ['newer fw-cdn.com / fwSettings loader', 'full cookie list'],
  sources: [
    'https://developers.freshchat.com/web-sdk',
    'https://github.com/freshworks/freshchat-widget',
    'https://raw.githubusercontent.com/barionleg/Tribar/master/wchat/freshchat/com/js/widget.js (copy of widget.js: assetscdn host, fc_frame/fc_widget ids, _fw_crm_v)',
    "public code (code-index 'fcWidget.destroy(': destroy, user.clear, widget:destroyed)",
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    const host = settings.string('host');
    const script = injectScript(manifest.id, `${host}/js/widget.js`, context, { id: 'freshchat-js-sdk' });
    script.addEventListener('load', () => call(['fcWidget', 'init'], { token: settings.id, host }));
  },
  shutdown() {
    call(['fcWidget', 'user', 'clear']);
    call(['fcWidget', 'destroy']);
  },
  open() {
    call(['fcWidget', 'open']);
  },
  selectors: ['#fc_frame', '#fc_widget'],
});
