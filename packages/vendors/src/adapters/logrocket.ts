import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call, getGlobal, isRecord } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

/** LogRocket's interchangeable CDN/ingest domains (`cdn.X` loads, `r.X` receives). */
const DOMAINS = [
  'lr-ingest.io',
  'lr-in.com',
  'lr-in-prod.com',
  'lr-ingest.com',
  'ingest-lr.com',
  'lr-intake.com',
  'intake-lr.com',
  'logr-ingest.com',
  'lrkt-in.com',
  'lgrckt-in.com',
  'logr-in.com',
  'logrocket.com',
];

export const manifest: VendorManifest = {
  id: 'logrocket',
  name: 'LogRocket',
  legalName: 'LogRocket, Inc.',
  category: 'replay',
  purposes: ['replay'],
  hosts: [
    'cdn.logrocket.io',
    'r.logrocket.io',
    'cdn.logr-in.com',
    'r.logr-in.com',
    ...DOMAINS.map((d) => `*.${d}`),
  ],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.replay, CONTENTS.pageText, CONTENTS.typing, CONTENTS.network],
    addressing: [ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://logrocket.com/privacy/',
  cookies: [],
  storageKeys: [],
  masking:
    'LogRocket only excludes password fields by default. The adapter turns on dom.inputSanitizer and dom.textSanitizer (all inputs and text masked), drops request and response bodies, strips query strings from recorded URLs and sets shouldCaptureIP: false.',
  liveSettings: {
    checked: [],
    note: 'The adapter passes dom.inputSanitizer and dom.textSanitizer to LogRocket.init, but LogRocket documents no way to read the options in force, so nothing is checked at load.',
  },
  pinning: movingScript(
    'LogRocket.min.js is served at one unversioned URL (LogRocket’s npm package is its versioned route, for sites that bundle it),',
  ),
  unloadWithoutReload: 'partial',
  stopNote:
    'LogRocket has no documented stop API; the adapter calls its undocumented uninstall() if present, but some of its fetch/XHR/console wrappers cannot be removed, so the page reloads with LogRocket blocked.',
  configId: {
    setting: 'siteId',
    label: 'app ID',
    pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*/[A-Za-z0-9][A-Za-z0-9_-]*$',
    example: 'my-org/my-app',
  },
  notes: [
    'LogRocket ships many interchangeable CDN and ingest domains, and serverURL/ingestServer proxies send data through the site itself: keep those options off, or the guard cannot hold them.',
  ],
  scriptUrls: [
    'https://cdn.logrocket.io/LogRocket.min.js (script-tag install)',
    'https://cdn.logr-in.com/logger-1.min.js (loaded by npm SDK)',
    'https://cdn.{lr-ingest.io|lr-in.com|lr-in-prod.com|lr-ingest.com|ingest-lr.com|lr-intake.com|intake-lr.com|logr-ingest.com|lrkt-in.com|lgrckt-in.com|logr-in.com|logrocket.com}/...',
  ],
  confidence: 'high',
  unconfirmed: [
    'the app ID pattern is narrowed from the catalog’s (any text around a slash) to letters, digits, - and _ on each side',
    'cookie and localStorage key names (_lr_* prefix commonly reported) not verified',
    'with no declared cookies or storage keys, purge() deletes nothing for LogRocket',
  ],
  sources: [
    'npm:logrocket@12.4.0/dist/build.umd.js (CDN_SERVER_MAP, setup(), uninstall())',
    'npm:logrocket@12.4.0/dist/types.d.ts',
    'https://docs.logrocket.com/reference/dom',
    'https://docs.logrocket.com/docs/privacy',
    'https://c15t.com/docs/integrations/logrocket (no documented opt-out/stop API)',
    'npm:@c15t/scripts@2.2.0/dist/vendors/analytics/logrocket.js',
  ],
};

/** The most private init options LogRocket offers (see `masking`). */
export function logrocketOptions(): Record<string, unknown> {
  const dropBody = (item: unknown) => {
    if (isRecord(item)) item.body = null;
    return item;
  };
  return {
    shouldCaptureIP: false,
    dom: { inputSanitizer: true, textSanitizer: true },
    network: { requestSanitizer: dropBody, responseSanitizer: dropBody },
    browser: { urlSanitizer: (url: string) => url.split('?')[0] },
  };
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    const script = injectScript(manifest.id, 'https://cdn.logrocket.io/LogRocket.min.js', context, {
      crossOrigin: true,
    });
    // The script-tag install calls init right after the script; ours is async, so on load.
    script.addEventListener('load', () => {
      call(['LogRocket', 'init'], settings.id, logrocketOptions());
    });
  },
  shutdown() {
    const lr = getGlobal('LogRocket');
    if (isRecord(lr)) call(['LogRocket', 'uninstall']);
  },
});
