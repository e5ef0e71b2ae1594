import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { arrayQueue, getGlobal, isFunction, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { CookieSpec, VendorAdapter, VendorManifest } from '../types';

const COOKIES: CookieSpec[] = [
  'li_fat_id',
  'li_sugr',
  'bcookie',
  'bscookie',
  'lidc',
  'UserMatchHistory',
  'AnalyticsSyncHistory',
  'li_gc',
].map((name) => ({ name, lifetime: null }));

export const manifest: VendorManifest = {
  id: 'linkedin-insight',
  name: 'LinkedIn Insight Tag',
  legalName: 'LinkedIn Corporation',
  category: 'advertising',
  purposes: ['advertising'],
  hosts: ['snap.licdn.com', 'px.ads.linkedin.com', 'www.linkedin.com', '*.linkedin.com'],
  capturesContents: false,
  captures: {
    contents: [CONTENTS.url],
    addressing: [
      ADDRESSING.ip,
      ADDRESSING.device,
      ADDRESSING.visitorId,
      ADDRESSING.referrer,
      ADDRESSING.adClick,
    ],
  },
  ownUse:
    'LinkedIn matches visitors to LinkedIn members and uses the data to measure and target ads on LinkedIn.',
  privacyPolicy: 'https://www.linkedin.com/legal/privacy-policy',
  cookies: COOKIES,
  storageKeys: [],
  pinning: movingScript('insight.min.js is served at one unversioned URL,'),
  unloadWithoutReload: false,
  stopNote: 'The Insight Tag has no consent or stop API, so the page reloads with it blocked.',
  configId: { setting: 'siteId', label: 'partner ID', pattern: '^[0-9]+$', example: '1234567' },
  scriptUrls: ['https://snap.licdn.com/li.lms-analytics/insight.min.js'],
  confidence: 'high',
  unconfirmed: [
    "which of these cookies are first-party (purge tries each on the site; LinkedIn's own-domain cookies stay)",
    'the own-use sentence summarises the catalog\'s "matches visitors to LinkedIn members" and LinkedIn\'s ad terms',
  ],
  sources: [
    'npm:@c15t/scripts@2.2.0/dist/vendors/ads-and-pixels/linkedin-insights.js',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
    'https://www.linkedin.com/legal/l/cookie-table',
    'https://www.consentstack.io/vendors/linkedin-insight-tag (secondary)',
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    setGlobal('_linkedin_partner_id', settings.id);
    arrayQueue('_linkedin_data_partner_ids').push(settings.id);
    if (!isFunction(getGlobal('lintrk'))) {
      const q: unknown[][] = [];
      const lintrk = Object.assign((a: unknown, b: unknown) => q.push([a, b]), { q });
      setGlobal('lintrk', lintrk);
    }
    injectScript(manifest.id, 'https://snap.licdn.com/li.lms-analytics/insight.min.js', context);
  },
});
