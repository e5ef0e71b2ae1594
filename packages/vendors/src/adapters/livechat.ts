import { CHAT_LIVE_SETTINGS, movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call, getGlobal, isRecord, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { AdapterContext, VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'livechat',
  name: 'LiveChat',
  legalName: 'Text S.A. (formerly LiveChat Software S.A.)',
  category: 'chat',
  purposes: ['chat'],
  hosts: ['cdn.livechatinc.com', 'secure.livechatinc.com', 'api.livechatinc.com', '*.livechatinc.com'],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.chat, CONTENTS.chatFiles, CONTENTS.chatIdentity],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://www.livechat.com/legal/privacy-policy/',
  cookies: [
    { name: '__lc_cid', lifetime: '2 years' },
    { name: '__lc_cst', lifetime: '2 years' },
  ],
  storageKeys: [],
  masking:
    'Typing previews: LiveChat can show agents what a visitor types before sending (its "sneak peek"); no client setting to turn it off was found, so turn it off in LiveChat’s agent settings or say so in the chat-start notice.',
  liveSettings: CHAT_LIVE_SETTINGS,
  pinning: movingScript('tracking.js is served at one unversioned URL,'),
  unloadWithoutReload: 'partial',
  stopNote:
    "LiveChatWidget.call('destroy') removes the widget; whether it removes every listener is not confirmed, so the page reloads with LiveChat blocked.",
  configId: { setting: 'siteId', label: 'license number', pattern: '^[0-9]+$', example: '12345678' },
  scriptUrls: ['https://cdn.livechatinc.com/tracking.js'],
  confidence: 'medium',
  unconfirmed: [
    'CSP host list (page found, list not captured)',
    'whether destroy removes all listeners/storage',
    "LiveChat's sneak-peek feature and where it is switched off were not in the research catalog",
    'cookie lifetimes are from a site cookie table (secondary)',
    'widget container selector #chat-widget-container is from observed pages',
  ],
  sources: [
    'npm:@livechat/widget-core@1.4.1/dist/widget-core.d.ts',
    'npm:@livechat/widget-core@1.4.1/dist/widget-core.esm.js (tracking.js URL, destroy)',
    'https://www.livechat.com/help/use-livechat-with-content-security-policy/ (domain list not captured)',
    'https://careerswales.gov.wales/node/785 (LiveChat cookies; secondary)',
    'https://careerswales.gov.wales/node/785 (cookie lifetimes; secondary)',
  ],
};

/** The LiveChatWidget queue as the snippet defines it (`_q` until tracking.js sets `_h`). */
function widgetStub(context: AdapterContext): Record<string, unknown> {
  const stub: Record<string, unknown> = { _q: [] as unknown[], _h: null, _v: '2.0' };
  const enqueue = (entry: unknown[]) => {
    const handler = stub._h;
    if (typeof handler === 'function') return handler(...entry);
    (stub._q as unknown[]).push(entry);
  };
  for (const name of ['on', 'once', 'off', 'call'])
    stub[name] = (...args: unknown[]) => {
      enqueue([name, args]);
    };
  stub.get = (...args: unknown[]) => {
    if (!stub._h) throw new Error("[LiveChatWidget] You can't use getters before load.");
    return enqueue(['get', args]);
  };
  stub.init = () => injectScript(manifest.id, 'https://cdn.livechatinc.com/tracking.js', context);
  return stub;
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    const lc = isRecord(getGlobal('__lc')) ? (getGlobal('__lc') as Record<string, unknown>) : {};
    lc.license = Number(settings.id);
    lc.integration_name = 'manual_channels';
    lc.product_name = 'livechat';
    setGlobal('__lc', lc);
    if (!isRecord(getGlobal('LiveChatWidget'))) setGlobal('LiveChatWidget', widgetStub(context));
    if (!lc.asyncInit) call(['LiveChatWidget', 'init']);
  },
  shutdown() {
    call(['LiveChatWidget', 'call'], 'destroy');
  },
  open() {
    call(['LiveChatWidget', 'call'], 'maximize');
  },
  selectors: ['#chat-widget-container'],
});
