import { CHAT_LIVE_SETTINGS, movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { arrayQueue, call, getGlobal, getPath, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS, NO_TYPING_PREVIEW_API } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'hubspot-chat',
  name: 'HubSpot chat',
  legalName: 'HubSpot, Inc.',
  category: 'chat',
  purposes: ['chat'],
  hosts: [
    'js.hs-scripts.com',
    '*.hs-scripts.com',
    'js.usemessages.com',
    '*.usemessages.com',
    'js.hs-analytics.net',
    '*.hs-analytics.net',
    'js.hs-banner.com',
    '*.hs-banner.com',
    'js.hscollectedforms.net',
    'track.hubspot.com',
    '*.hubspot.com',
    '*.hubapi.com',
    '*.hsforms.com',
  ],
  capturesContents: true,
  captures: {
    contents: [
      CONTENTS.chat,
      CONTENTS.chatIdentity,
      'what you type into forms on this site, if HubSpot collected forms is on',
    ],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://legal.hubspot.com/privacy-policy',
  cookies: [
    { name: '__hstc', lifetime: '6 months' },
    { name: 'hubspotutk', lifetime: '6 months' },
    { name: '__hssc', lifetime: '30 minutes' },
    { name: '__hssrc', lifetime: 'session' },
    { name: 'messagesUtk', lifetime: '6 months' },
    { name: '__hs_do_not_track', lifetime: '6 months', optOut: true },
  ],
  storageKeys: [],
  masking: `The HubSpot loader also brings HubSpot's analytics tracking code; the adapter pushes _hsq 'doNotTrack' first, so only the chat runs under the chat purpose. ${NO_TYPING_PREVIEW_API}`,
  liveSettings: CHAT_LIVE_SETTINGS,
  pinning: movingScript('The loader {portalId}.js is built per portal and loads further scripts,'),
  unloadWithoutReload: 'partial',
  stopNote:
    'HubSpotConversations.clear({ resetWidget: true }) clears the chat cookies and widget.remove() removes the widget; the loader’s other scripts stay until the page reloads with HubSpot blocked.',
  configId: { setting: 'siteId', label: 'portal (Hub) ID', pattern: '^[0-9]+$', example: '123456' },
  options: [
    {
      name: 'region',
      description: 'HubSpot data centre of the portal',
      required: false,
      values: ['na1', 'eu1'],
      default: 'na1',
      example: 'eu1',
    },
  ],
  scriptUrls: [
    "https://js.hs-scripts.com/{portalId}.js (script id 'hs-script-loader'; region: js-eu1.hs-scripts.com)",
    'https://js.usemessages.com/conversations-embed.js (chat; region: js-eu1.usemessages.com)',
    'https://js.hs-analytics.net/analytics/... (analytics)',
    'https://js.hs-banner.com/... (cookie banner)',
  ],
  confidence: 'medium',
  unconfirmed: [
    'messagesUtk cookie name not in retrieved official text',
    'official HubSpot CSP host list not retrieved',
    "that _hsq 'doNotTrack' leaves the chat widget working",
    "cookie lifetimes vary between HubSpot's published versions (6 or 13 months, 2 years); the shortest current one is shown",
    'widget container selector #hubspot-messages-iframe-container is from observed pages',
  ],
  sources: [
    'https://developers.hubspot.com/docs/api-reference/conversations-chat-configuration/chat-widget-sdk',
    'https://developers.hubspot.com/changelog/new-features-released-for-the-chat-widget-sdk (clear({resetWidget:true}))',
    'https://developers.hubspot.com/docs/methods/tracking_code_api/remove_cookies',
    'https://developers.hubspot.com/docs/api/events/cookie-banner',
    'https://developers.hubspot.com/docs/api-reference/latest/account/settings/tracking-code/do-not-track',
    'https://c15t.com/docs/integrations/hubspot.md (region-prefixed js-eu1.hs-scripts.com)',
    "public code (code-index 'usemessages.com': conversations-embed.js loader and CSP lists)",
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
    'https://cookiesentry.com/cookies/providers/hubspot (cookie lifetimes; secondary)',
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    // Chat only: HubSpot's analytics tracking code, which the same loader brings, must not send.
    arrayQueue('_hsq').push(['doNotTrack']);
    const region = settings.string('region');
    const host = region === 'na1' ? 'js.hs-scripts.com' : `js-${region}.hs-scripts.com`;
    injectScript(manifest.id, `https://${host}/${settings.id}.js`, context, {
      id: 'hs-script-loader',
      attributes: { defer: '' },
    });
  },
  shutdown() {
    call(['HubSpotConversations', 'clear'], { resetWidget: true });
    call(['HubSpotConversations', 'widget', 'remove']);
  },
  open() {
    if (getPath('HubSpotConversations', 'widget') !== undefined) {
      call(['HubSpotConversations', 'widget', 'open']);
      return;
    }
    const ready = Array.isArray(getGlobal('hsConversationsOnReady'))
      ? (getGlobal('hsConversationsOnReady') as unknown[])
      : [];
    ready.push(() => call(['HubSpotConversations', 'widget', 'open']));
    setGlobal('hsConversationsOnReady', ready);
  },
  selectors: ['#hubspot-messages-iframe-container'],
});
