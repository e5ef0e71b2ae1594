import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { arrayQueue, type Fn, getGlobal, isFunction, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'adobe-analytics',
  name: 'Adobe Analytics',
  legalName: 'Adobe Inc.',
  category: 'analytics',
  purposes: ['analytics'],
  purposeNote:
    'The adapter loads an Adobe Tags (Launch) property, which like a tag manager can add further tags; treated as analytics, and every other vendor it adds stays held by the guard until that vendor is granted.',
  hosts: [
    'assets.adobedtm.com',
    'edge.adobedc.net',
    'adobedc.demdex.net',
    '*.demdex.net',
    '*.omtrdc.net',
    '*.2o7.net',
  ],
  capturesContents: false,
  captures: {
    contents: [CONTENTS.url],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.referrer],
  },
  ownUse: null,
  privacyPolicy: 'https://www.adobe.com/privacy.html',
  cookies: [
    { name: 'kndctr_', prefix: true, lifetime: null },
    { name: 'AMCV_', prefix: true, lifetime: null },
    { name: 'AMCVS_', prefix: true, lifetime: null },
    { name: 's_cc', lifetime: null },
    { name: 's_sq', lifetime: null },
    { name: 's_vi', lifetime: null },
    { name: 's_fid', lifetime: null },
    { name: 's_ecid', lifetime: null },
  ],
  storageKeys: [],
  masking:
    "If the property uses the Web SDK (alloy) with defaultConsent 'pending', the adapter sends setConsent general 'in' after load and 'out' on withdrawal.",
  pinning: movingScript('The Tags (Launch) library launch-{env}.min.js is rebuilt on every publish,'),
  unloadWithoutReload: false,
  stopNote:
    "alloy('setConsent', … 'out') stops the Web SDK; Adobe Tags has no teardown, so the page reloads with Adobe blocked.",
  configId: {
    setting: 'siteId',
    label: 'Tags (Launch) embed URL',
    pattern: '^https://assets\\.adobedtm\\.com/([A-Za-z0-9_-]+/)*launch-[A-Za-z0-9_-]+\\.min\\.js$',
    example: 'https://assets.adobedtm.com/0123456789ab/cdef01234567/launch-89abcdef0123.min.js',
  },
  notes: [
    'CNAME tracking servers (smetrics.<your domain>) are first-party to the guard and cannot be held by host: use Adobe’s own hosts, or gate the property itself.',
  ],
  scriptUrls: [
    'https://assets.adobedtm.com/{...}/launch-{env}.min.js (Tags/Launch)',
    'alloy.js Web SDK (self-hosted or Adobe CDN; URL unverified)',
  ],
  confidence: 'medium',
  unconfirmed: [
    'setConsent payload shape not re-read from docs',
    'AMCV/AppMeasurement Opt-In service API',
    "the Tags embed URL format in the id pattern is inferred from Adobe's embed codes, not from the catalog",
    'that a predefined alloy queue (__alloyNS) is picked up by the Web SDK extension inside Tags',
  ],
  sources: [
    'npm:@adobe/alloy@2.33.1/dist/types/core/src/constants/domain.d.ts (edge.adobedc.net, adobedc.demdex.net)',
    'npm:@adobe/alloy@2.33.1/dist/types/core/src/constants/cookieNamePrefix.d.ts (kndctr)',
    'npm:@adobe/alloy@2.33.1/dist/types/core/src/components/Consent/index.d.ts',
    'npm:@c15t/scripts@2.2.0/dist/vendors/analytics/adobe-analytics.js',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
  ],
};

/** The alloy queue as Adobe's base code defines it: `alloy(...)` returns a promise and queues `[resolve, reject, args]`. */
interface AlloyStub extends Fn {
  q: unknown[];
}

const CONSENT = (general: 'in' | 'out') => ({
  consent: [{ standard: 'Adobe', version: '1.0', value: { general } }],
});

/** Sends setConsent through alloy; a rejection (a property without consent settings) is not an error here. */
function setConsent(general: 'in' | 'out'): void {
  const alloy = getGlobal('alloy');
  if (!isFunction(alloy)) return;
  try {
    const result = alloy('setConsent', CONSENT(general));
    if (result instanceof Promise) result.catch(() => {});
  } catch {
    // A broken Web SDK must not stop the rest of load/stop.
  }
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    if (!isFunction(getGlobal('alloy'))) {
      arrayQueue('__alloyNS').push('alloy');
      const alloy = ((...args: unknown[]) =>
        new Promise((resolve, reject) => alloy.q.push([resolve, reject, args]))) as AlloyStub;
      alloy.q = [];
      setGlobal('alloy', alloy);
    }
    injectScript(manifest.id, settings.id, context);
    setConsent('in');
  },
  shutdown() {
    setConsent('out');
  },
});
