import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call, getGlobal, isRecord, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'heap',
  name: 'Heap',
  legalName: 'Heap Inc. (Contentsquare)',
  category: 'replay',
  purposes: ['analytics', 'replay'],
  purposeNote:
    'Heap captures every click, page view and form change automatically (analytics) and, on accounts with Session Replay, records the visit (replay), so it is asked for under both. A site whose Heap account has no Session Replay can narrow it with "purposes": ["analytics"].',
  hosts: [
    'cdn.us.heap-api.com',
    'cdn.eu.heap-api.com',
    '*.heap-api.com',
    'cdn.heapanalytics.com',
    'heapanalytics.com',
  ],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.replay, CONTENTS.url],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.referrer],
  },
  ownUse: null,
  privacyPolicy: 'https://heap.io/privacy',
  cookies: [
    { name: '_hp2_id.{id}', lifetime: null },
    { name: '_hp2_ses_props.{id}', lifetime: null },
    { name: '_hp2_props.{id}', lifetime: null },
    { name: '_hp5_meta.{id}', lifetime: null },
    { name: '_hp5_event_props.{id}', lifetime: null },
    { name: '_hp5_let.{id}', lifetime: null },
    { name: '_hp2_hld.', prefix: true, lifetime: null },
    { name: 'userty.core.p.', prefix: true, lifetime: null },
    { name: 'userty.core.s.', prefix: true, lifetime: null },
  ],
  storageKeys: [],
  masking:
    'The adapter sets clientConfig.disableTextCapture, so Heap does not collect the text of the elements you click. Use heap-ignore, data-heap-redact-text and data-heap-redact-attributes for anything else.',
  liveSettings: {
    checked: [],
    note: 'disableTextCapture is passed at load and redaction is set by attributes; the catalog names no browser API that reports the settings Heap applies (its environment config can change them), so nothing is checked at load.',
  },
  pinning: movingScript(
    'heap_config.js (or the classic heap-{appId}.js) is built per environment and carries its settings,',
  ),
  unloadWithoutReload: 'partial',
  stopNote:
    'heap.stopTracking() and resetIdentity() stop capture, but the heap global stays until the page reloads with Heap blocked.',
  configId: { setting: 'siteId', label: 'environment ID', pattern: '^[0-9]+$', example: '1234567890' },
  options: [
    {
      name: 'region',
      description: 'data region',
      required: false,
      values: ['us', 'eu'],
      default: 'us',
      example: 'eu',
    },
  ],
  scriptUrls: [
    'https://cdn.us.heap-api.com/config/{envId}/heap_config.js (heap.js v5)',
    'https://cdn.eu.heap-api.com/config/{envId}/heap_config.js',
    'https://cdn.heapanalytics.com/js/heap-{appId}.js (classic)',
  ],
  confidence: 'medium',
  unconfirmed: [
    'stopTracking/startTracking semantics (c15t lists them but says no documented opt-out)',
    'v5 ingestion hostnames beyond *.heap-api.com',
    'Heap replay host',
  ],
  sources: [
    'npm:@c15t/scripts@2.2.0/dist/vendors/analytics/heap.js (HEAP_QUEUE_METHODS incl. startTracking/stopTracking; v5 config URL)',
    'https://help.heap.io/data-privacy/data-privacy-faqs/what-cookies-does-heap-set-and-what-are-they-used-for',
    'https://c15t.com/docs/integrations/heap (states Heap has no documented browser opt-out API)',
    "public rrweb-fork docs, vendorCompat mask/block token table (code-index id 61919438305; secondary, cites each vendor's doc)",
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
  ],
};

/** The methods heap.js v5's snippet queues until heap_config.js has loaded. */
export const HEAP_METHODS = [
  'init',
  'startTracking',
  'stopTracking',
  'track',
  'resetIdentity',
  'identify',
  'getSessionId',
  'getUserId',
  'getIdentity',
  'addUserProperties',
  'addEventProperties',
  'removeEventProperty',
  'clearEventProperties',
  'addAccountProperties',
  'addAdapter',
  'addTransformer',
  'addTransformerFn',
  'onReady',
  'addPageviewProperties',
  'removePageviewProperty',
  'clearPageviewProperties',
  'trackPageview',
] as const;

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    const readyCb = Array.isArray(getGlobal('heapReadyCb')) ? (getGlobal('heapReadyCb') as unknown[]) : [];
    setGlobal('heapReadyCb', readyCb);
    const existing = getGlobal('heap');
    // `window.heap = window.heap || []`: an array carrying the queueing methods.
    const heap = isRecord(existing) ? existing : ([] as unknown as Record<string, unknown>);
    setGlobal('heap', heap);
    // As heap.load(): environment id, client config, then the queueing method stubs.
    heap.envId = settings.id;
    heap.clientConfig = { shouldFetchServerConfig: false, disableTextCapture: true };
    for (const name of HEAP_METHODS)
      heap[name] = (...args: unknown[]) => {
        readyCb.push({ name, fn: () => call(['heap', name], ...args) });
      };
    injectScript(
      manifest.id,
      `https://cdn.${settings.string('region')}.heap-api.com/config/${settings.id}/heap_config.js`,
      context,
    );
  },
  shutdown() {
    call(['heap', 'stopTracking']);
    call(['heap', 'resetIdentity']);
  },
});
