import { CHAT_LIVE_SETTINGS, movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS, NO_TYPING_PREVIEW_API } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'zendesk-messaging',
  name: 'Zendesk Messaging',
  legalName: 'Zendesk, Inc.',
  category: 'chat',
  purposes: ['chat'],
  hosts: ['static.zdassets.com', 'ekr.zdassets.com', '*.zdassets.com', '*.zendesk.com'],
  sharesHostsWith: ['zendesk-classic'],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.chat, CONTENTS.chatFiles, CONTENTS.chatIdentity],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://www.zendesk.com/company/agreements-and-terms/privacy-notice/',
  cookies: [],
  storageKeys: [],
  masking: `The adapter sets the messenger's cookie range to "functional" (no analytics cookies). ${NO_TYPING_PREVIEW_API}`,
  liveSettings: CHAT_LIVE_SETTINGS,
  pinning: movingScript('snippet.js?key={key} is the per-account loader,'),
  unloadWithoutReload: 'partial',
  stopNote:
    "zE('messenger', 'close'/'hide') removes the messenger and zE('messenger:set', 'cookies', 'none') clears its storage; the widget code stays until the page reloads with Zendesk blocked.",
  configId: {
    setting: 'siteId',
    label: 'widget key',
    pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    example: '00000000-0000-0000-0000-000000000000',
  },
  scriptUrls: ["https://static.zdassets.com/ekr/snippet.js?key={key} (script id 'ze-snippet')"],
  confidence: 'medium',
  unconfirmed: [
    'exact localStorage key names (ZD-* prefix commonly reported)',
    'messaging WebSocket/API hostnames beyond *.zendesk.com',
    "with no declared cookies or storage keys, purge() relies on zE('messenger:set', 'cookies', 'none') to clear the messenger's storage",
  ],
  sources: [
    'https://developer.zendesk.com/api-reference/widget-messaging/web/core',
    'https://developer.zendesk.com/documentation/zendesk-web-widget-sdks/sdks/web/sdk_api_reference/',
    "https://c15t.com/docs/integrations/zendesk (cookie ranges; 'none' on withdrawal clears local/session storage)",
    "public code (code-index \"messenger:set', 'cookies'\": values 'all'/'functional'/'none' and booleans)",
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    const script = injectScript(
      manifest.id,
      `https://static.zdassets.com/ekr/snippet.js?key=${settings.id}`,
      context,
      {
        id: 'ze-snippet',
      },
    );
    // zE only exists once the snippet ran.
    script.addEventListener('load', () => {
      call(['zE'], 'messenger:set', 'cookies', 'functional');
    });
  },
  shutdown() {
    call(['zE'], 'messenger', 'close');
    call(['zE'], 'messenger', 'hide');
    call(['zE'], 'messenger:set', 'cookies', 'none');
  },
  open() {
    call(['zE'], 'messenger', 'open');
  },
});
