import { defineAdapter } from '../lib/define';
import { call, getGlobal, isRecord, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'amplitude',
  name: 'Amplitude',
  legalName: 'Amplitude, Inc.',
  category: 'analytics',
  purposes: ['analytics'],
  purposeNote:
    'The Session Replay plugin is a separate script this adapter never loads, so Amplitude is analytics only here.',
  hosts: [
    'cdn.amplitude.com',
    'api2.amplitude.com',
    'api.eu.amplitude.com',
    'api-sr.amplitude.com',
    'api-sr.eu.amplitude.com',
    'sr-client-cfg.amplitude.com',
    'sr-client-cfg.eu.amplitude.com',
    'diagnostics.prod.us-west-2.amplitude.com',
    'diagnostics.prod.eu-central-1.amplitude.com',
    '*.amplitude.com',
  ],
  capturesContents: false,
  captures: {
    contents: [CONTENTS.url],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.referrer],
  },
  ownUse: null,
  privacyPolicy: 'https://amplitude.com/privacy',
  cookies: [
    { name: 'AMP_', prefix: true, lifetime: null },
    { name: 'amp_', prefix: true, lifetime: null },
  ],
  storageKeys: [
    { key: 'AMP_unsent_', storage: 'local', prefix: true },
    { key: 'AMP_PAGE_VIEW', storage: 'session', prefix: true },
  ],
  masking:
    'Autocapture of element clicks and form interactions is off, and trackingOptions.ipAddress is false so Amplitude does not store the IP address. The Session Replay plugin is not loaded.',
  liveSettings: {
    checked: [],
    note: 'privacyConfig.defaultMaskLevel belongs to the Session Replay plugin, which this adapter never loads.',
  },
  pinning: {
    version: true,
    publishedIntegrity: true,
    selfHost: false,
    note: 'Each release is its own file, picked by `version`; Amplitude’s snippet for it carries its SRI hash, for `integrity`. Self-hosting is not in the catalog.',
  },
  unloadWithoutReload: 'partial',
  stopNote:
    'amplitude.setOptOut(true) and reset() stop sending and clear the identifiers; the SDK stays until the page reloads with Amplitude blocked.',
  configId: {
    setting: 'siteId',
    label: 'API key',
    pattern: '^[a-f0-9]{32}$',
    example: '0123456789abcdef0123456789abcdef',
  },
  options: [
    {
      name: 'version',
      description: 'Browser SDK 2 version to load (pinned, R32)',
      required: true,
      pattern: '^2\\.[0-9]+\\.[0-9]+$',
      example: '2.11.1',
    },
    {
      name: 'region',
      description: 'data region (serverZone)',
      required: false,
      values: ['us', 'eu'],
      default: 'us',
      example: 'eu',
    },
  ],
  scriptUrls: [
    'https://cdn.amplitude.com/libs/analytics-browser-{version}-min.js.gz',
    'https://cdn.amplitude.com/libs/... (plugins, e.g. background-capture)',
  ],
  confidence: 'high',
  unconfirmed: [
    'what each mask level masks (not read from source)',
    'AMP_unsent key suffix',
    'the autocapture keys (elementInteractions, formInteractions) and trackingOptions.ipAddress come from the Browser SDK 2 docs, not from the catalog',
  ],
  sources: [
    'npm:@amplitude/analytics-browser@2.48.1/lib/scripts/amplitude-snippet-instructions.html',
    'github:amplitude/Amplitude-TypeScript packages/analytics-browser/template/browser-snippet.template.js (integrity)',
    'npm:@amplitude/analytics-core@2.61.0/lib/cjs/types/constants.js',
    'npm:@amplitude/analytics-core@2.61.0/lib/cjs/cookie-name.js',
    'npm:@amplitude/session-replay-browser@1.51.6/lib/cjs/constants.js',
    "npm:@amplitude/session-replay-browser@1.51.6/lib/cjs/config/joined-config.js (defaultMaskLevel 'medium')",
    'npm:@c15t/scripts@2.2.0/dist/vendors/analytics/amplitude.js',
  ],
};

/** The methods the Browser SDK 2 snippet queues on `_q` until the SDK has loaded. */
export const AMPLITUDE_METHODS = [
  'add',
  'extendSession',
  'flush',
  'getDeviceId',
  'getSessionId',
  'getUserId',
  'groupIdentify',
  'identify',
  'init',
  'logEvent',
  'remove',
  'reset',
  'revenue',
  'setDeviceId',
  'setGroup',
  'setOptOut',
  'setSessionId',
  'setUserId',
  'track',
];

/** The most private init options (see `masking`). */
export function amplitudeOptions(region: string): Record<string, unknown> {
  return {
    serverZone: region === 'eu' ? 'EU' : 'US',
    autocapture: { elementInteractions: false, formInteractions: false },
    trackingOptions: { ipAddress: false },
  };
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    const existing = getGlobal('amplitude');
    if (isRecord(existing) && existing.invoked) return;
    const q: unknown[] = [];
    const amplitude: Record<string, unknown> = { invoked: true, _q: q, _iq: {} };
    for (const name of AMPLITUDE_METHODS)
      amplitude[name] = (...args: unknown[]) => {
        // As the snippet: each call is queued with a resolver and returns { promise }.
        const promise = new Promise((resolve) => q.push({ name, args, resolve }));
        return { promise };
      };
    setGlobal('amplitude', amplitude);
    injectScript(
      manifest.id,
      `https://cdn.amplitude.com/libs/analytics-browser-${settings.string('version')}-min.js.gz`,
      context,
      { crossOrigin: true },
    );
    call(['amplitude', 'init'], settings.id, amplitudeOptions(settings.string('region')));
  },
  shutdown() {
    call(['amplitude', 'setOptOut'], true);
    call(['amplitude', 'reset']);
  },
});
