import { CHAT_LIVE_SETTINGS, movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call, getGlobal, isFunction, isRecord, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS, NO_TYPING_PREVIEW_API } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'drift',
  name: 'Drift',
  legalName: 'Drift.com, Inc. (Salesloft)',
  category: 'chat',
  purposes: ['chat'],
  hosts: ['js.driftt.com', 'event.api.drift.com', '*.drift.com', '*.driftt.com'],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.chat, CONTENTS.chatIdentity],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://www.salesloft.com/legal/privacy-notice',
  cookies: [
    { name: 'driftt_aid', lifetime: '2 years' },
    { name: 'driftt_sid', lifetime: null },
    { name: 'DFTT_END_USER_PREV_BOOTSTRAPPED', lifetime: null },
  ],
  storageKeys: [],
  masking: NO_TYPING_PREVIEW_API,
  liveSettings: CHAT_LIVE_SETTINGS,
  pinning: movingScript(
    'The loader include/{timeBucket}/{embedId}.js is built per account and its URL moves with the time bucket,',
  ),
  unloadWithoutReload: 'partial',
  stopNote:
    'drift.reset() clears the visitor identity and drift.unload() removes the widget; the drift global stays until the page reloads with Drift blocked.',
  configId: { setting: 'siteId', label: 'embed ID', pattern: '^[a-z0-9]{12}$', example: 'mdgc5huhubck' },
  scriptUrls: ['https://js.driftt.com/include/{timeBucket}/{embedId}.js'],
  confidence: 'medium',
  unconfirmed: [
    'drift.unload() is widely used but official doc text not retrieved',
    'WebSocket hostname',
    'full cookie list',
    'widget container selectors (#drift-widget-container, #drift-frame-controller, #drift-frame-chat) are from observed pages',
  ],
  sources: [
    'public snippet (gist chasestarr/3526e8ff1d7a510d62649c4e88f7e794: methods identify,init,track,reset,debug,show,ping,page,hide,off,on,config; js.driftt.com/include URL)',
    'https://devdocs.drift.com/docs/drift-events',
    'https://devdocs.drift.com/docs/driftidentify-implementation-guide',
    "public code (code-index 'drift.unload()': used on logout/consent revocation)",
    'https://casers.org/cookies (Drift cookie descriptions; secondary)',
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
  ],
};

/** The methods Drift's snippet queues until its script has loaded. */
export const DRIFT_METHODS = [
  'identify',
  'config',
  'track',
  'reset',
  'debug',
  'show',
  'ping',
  'page',
  'hide',
  'off',
  'on',
];

/** Drift's snippet URL changes every 5 minutes (a cache bucket). */
export function driftScriptUrl(embedId: string, now: number): string {
  const bucket = 300_000;
  return `https://js.driftt.com/include/${Math.ceil(now / bucket) * bucket}/${embedId}.js`;
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    const existing = getGlobal('drift');
    const queue: unknown[] = Array.isArray(existing) ? existing : [];
    const drift = queue as unknown as Record<string, unknown>;
    setGlobal('drift', drift);
    setGlobal('driftt', drift);
    if (isRecord(existing) && (existing.init || existing.invoked)) return;
    drift.invoked = true;
    drift.methods = DRIFT_METHODS;
    for (const name of DRIFT_METHODS)
      drift[name] = (...args: unknown[]) => {
        queue.push([name, ...args]);
        return drift;
      };
    drift.SNIPPET_VERSION = '0.3.1';
    injectScript(manifest.id, driftScriptUrl(settings.id, Date.now()), context, { crossOrigin: true });
  },
  shutdown() {
    call(['drift', 'reset']);
    call(['drift', 'unload']);
  },
  open() {
    call(['drift', 'on'], 'ready', (api: unknown) => {
      if (isRecord(api) && isFunction(api.openChat)) api.openChat();
    });
  },
  selectors: ['#drift-widget-container', '#drift-frame-controller', '#drift-frame-chat'],
});
