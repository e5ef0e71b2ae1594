import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call, getGlobal, isRecord, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'segment',
  name: 'Segment',
  legalName: 'Twilio Inc. (Segment)',
  category: 'analytics',
  purposes: ['analytics'],
  hosts: ['cdn.segment.com', 'api.segment.io'],
  capturesContents: false,
  captures: {
    contents: [CONTENTS.url, 'the page title'],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.referrer],
  },
  ownUse: null,
  privacyPolicy: 'https://www.twilio.com/en-us/legal/privacy',
  cookies: [
    { name: 'ajs_anonymous_id', lifetime: null },
    { name: 'ajs_user_id', lifetime: null },
    { name: 'ajs_group_id', lifetime: null },
  ],
  storageKeys: [{ key: 'ajs_', storage: 'local', prefix: true }],
  masking:
    'The adapter loads Segment with every device-mode destination off (integrations: { All: false, "Segment.io": true }), so Segment loads no other vendor’s code in the page. Set deviceModeDestinations: true only when every destination has its own adapter.',
  pinning: movingScript('analytics.min.js under the write key is built per source and carries its settings,'),
  unloadWithoutReload: false,
  stopNote:
    'analytics.reset() clears the ajs_* identifiers; analytics.js has no teardown, so the page reloads with Segment blocked.',
  configId: {
    setting: 'siteId',
    label: 'write key',
    pattern: '^[A-Za-z0-9]{1,64}$',
    example: 'AbCdEf0123456789AbCdEf0123456789',
  },
  options: [
    {
      name: 'deviceModeDestinations',
      description: 'let Segment load device-mode destinations in the page',
      required: false,
      type: 'boolean',
      default: false,
      example: false,
    },
  ],
  notes: [
    'Cloud-mode destinations receive the data from Segment’s servers; the notice must name them, the guard cannot see them.',
  ],
  scriptUrls: [
    'https://cdn.segment.com/analytics.js/v1/{writeKey}/analytics.min.js',
    'https://cdn.segment.com/analytics-next/bundles/... (lazy chunks)',
    'https://cdn.segment.com/v1/projects/{writeKey}/settings (CDN settings)',
    'device-mode destination scripts from cdn.segment.com and vendor CDNs',
  ],
  confidence: 'high',
  unconfirmed: ['EU-region ingestion hostname (not present in package source)'],
  sources: [
    'npm:@segment/analytics-next@1.84.3/dist/cjs/lib/parse-cdn.js',
    'npm:@segment/analytics-next@1.84.3/dist/cjs/core/constants/index.js',
    'npm:@segment/analytics-next@1.84.3/dist/cjs/core/user/index.js',
    'npm:@segment/analytics-next@1.84.3/dist/types/browser/settings.d.ts',
    'npm:@segment/analytics-consent-tools@2.0.3/README.md',
    'npm:@c15t/scripts@2.2.0/dist/vendors/analytics/segment.js',
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
  ],
};

/** The methods the analytics.js snippet queues until the library has loaded. */
export const SEGMENT_METHODS = [
  'trackSubmit',
  'trackClick',
  'trackLink',
  'trackForm',
  'pageview',
  'identify',
  'reset',
  'group',
  'track',
  'ready',
  'alias',
  'debug',
  'page',
  'screen',
  'once',
  'off',
  'on',
  'addSourceMiddleware',
  'addIntegrationMiddleware',
  'setAnonymousId',
  'addDestinationMiddleware',
  'register',
];

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    const existing = getGlobal('analytics');
    if (isRecord(existing) && (existing.initialize || existing.invoked)) return;
    const queue: unknown[] = [];
    const analytics = queue as unknown as Record<string, unknown>;
    analytics.invoked = true;
    analytics.methods = SEGMENT_METHODS;
    for (const name of SEGMENT_METHODS)
      analytics[name] = (...args: unknown[]) => {
        queue.push([name, ...args]);
        return analytics;
      };
    analytics._writeKey = settings.id;
    analytics.SNIPPET_VERSION = '5.2.0';
    analytics._loadOptions = settings.flag('deviceModeDestinations')
      ? {}
      : { integrations: { All: false, 'Segment.io': true } };
    setGlobal('analytics', analytics);
    injectScript(
      manifest.id,
      `https://cdn.segment.com/analytics.js/v1/${settings.id}/analytics.min.js`,
      context,
      {
        attributes: { 'data-global-segment-analytics-key': 'analytics' },
      },
    );
    call(['analytics', 'page']);
  },
  shutdown() {
    call(['analytics', 'reset']);
  },
});
