import { expect, it, vi } from 'vitest';
import { mixpanelConfig } from '../adapters/mixpanel';
import { GOOGLE_ALL_DENIED } from '../helpers/google';
import { adapters } from './adapters';
import type { AdapterCase } from './harness';
import { contextFor, entries, fireLoad, makeConsent, read, resetPage, w } from './harness';

/** The `loaded` callback the Mixpanel adapter put in its init config. */
const mixpanelLoaded = () =>
  ((read('mixpanel._i') as unknown[][])[0]![1] as { loaded: (instance: unknown) => boolean }).loaded;

const isArguments = (value: unknown) => Object.prototype.toString.call(value) === '[object Arguments]';

/** The gtag commands in dataLayer (Arguments objects), as arrays. */
const gtagCommands = () =>
  (w.dataLayer as unknown[]).filter(isArguments).map((a) => Array.from(a as ArrayLike<unknown>));

const consentMode = {
  loaded() {
    const commands = gtagCommands();
    // Consent Mode v2: everything denied first, then the visitor's choices. Only analytics exists
    // as a purpose on this page (no advertising vendor is configured), so ad_* stay denied.
    expect(commands[0]).toEqual(['consent', 'default', GOOGLE_ALL_DENIED]);
    expect(commands[1]).toEqual([
      'consent',
      'update',
      { ...GOOGLE_ALL_DENIED, analytics_storage: 'granted' },
    ]);
  },
};

export const pixelCases: Record<string, AdapterCase> = {
  'google-analytics-4': {
    src: 'https://www.googletagmanager.com/gtag/js?id=G-XTXF9YF0NB',
    loaded() {
      consentMode.loaded();
      const commands = gtagCommands();
      expect(commands[2]?.[0]).toBe('js');
      expect(commands[3]).toEqual([
        'config',
        'G-XTXF9YF0NB',
        { allow_google_signals: false, allow_ad_personalization_signals: false },
      ]);
      expect(w.gtag).toBeTypeOf('function');
    },
    stopApi: {
      install() {},
      stopped() {
        expect(w['ga-disable-G-XTXF9YF0NB']).toBe(true);
        expect(gtagCommands().at(-1)).toEqual(['consent', 'update', GOOGLE_ALL_DENIED]);
      },
    },
    more() {
      it('sends only what was granted, and passes later changes on', () => {
        resetPage();
        const settings = { siteId: 'G-XTXF9YF0NB' };
        const consent = makeConsent('google-analytics-4', settings, { purposes: ['analytics'] });
        adapters['google-analytics-4']!.load(contextFor('google-analytics-4', settings, consent));
        expect(gtagCommands()[1]).toEqual([
          'consent',
          'update',
          { ...GOOGLE_ALL_DENIED, analytics_storage: 'granted' },
        ]);
        consent.withdraw(['analytics']);
        expect(gtagCommands().at(-1)).toEqual(['consent', 'update', GOOGLE_ALL_DENIED]);
      });
    },
  },
  'google-tag-manager': {
    src: 'https://www.googletagmanager.com/gtm.js?id=GTM-K9WNLJ5',
    loaded() {
      consentMode.loaded();
      const layer = w.dataLayer as unknown[];
      // The consent default is in dataLayer before the container starts.
      const start = layer.findIndex((e) => !isArguments(e) && (e as { event?: string }).event === 'gtm.js');
      expect(start).toBe(2);
      expect(layer[start]).toMatchObject({ event: 'gtm.js', 'gtm.start': expect.any(Number) });
    },
    stopApi: {
      install() {},
      stopped() {
        expect(gtagCommands().at(-1)).toEqual(['consent', 'update', GOOGLE_ALL_DENIED]);
      },
    },
  },
  'meta-pixel': {
    src: 'https://connect.facebook.net/en_US/fbevents.js',
    loaded() {
      const queue = read('fbq.queue') as unknown[];
      expect(queue.every(isArguments)).toBe(true);
      expect(entries(queue)).toEqual([
        ['consent', 'revoke'],
        ['set', 'autoConfig', false, '123456789012345'],
        ['init', '123456789012345'],
        ['consent', 'grant'],
        ['track', 'PageView'],
      ]);
      expect(w._fbq).toBe(w.fbq);
      expect(read('fbq.version')).toBe('2.0');
    },
    stopApi: {
      install() {},
      stopped() {
        expect(entries(read('fbq.queue')).at(-1)).toEqual(['consent', 'revoke']);
      },
    },
    more() {
      it('adds Limited Data Use when the browser sends Global Privacy Control', () => {
        resetPage();
        const settings = { siteId: '123456789012345' };
        const consent = makeConsent('meta-pixel', settings, { gpc: true, purposes: ['advertising'] });
        adapters['meta-pixel']!.load(contextFor('meta-pixel', settings, consent));
        expect(entries(read('fbq.queue'))).toContainEqual(['dataProcessingOptions', ['LDU'], 0, 0]);
      });
      it('hands queued calls to fbevents.js once it is there', () => {
        resetPage();
        adapters['meta-pixel']!.load(contextFor('meta-pixel', { siteId: '123456789012345' }));
        const callMethod = vi.fn();
        (w.fbq as Record<string, unknown>).callMethod = callMethod;
        (w.fbq as (...a: unknown[]) => void)('track', 'Lead');
        expect(callMethod).toHaveBeenCalledWith('track', 'Lead');
      });
    },
  },
  'tiktok-pixel': {
    src: 'https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=C4ABCDEFGHIJKLMNOPQR&lib=ttq',
    loaded() {
      expect(w.TiktokAnalyticsObject).toBe('ttq');
      expect(entries(w.ttq)).toEqual([['holdConsent'], ['grantConsent'], ['page']]);
      expect(read('ttq._i.C4ABCDEFGHIJKLMNOPQR._u')).toBe(
        'https://analytics.tiktok.com/i18n/pixel/events.js',
      );
    },
    stopApi: {
      install() {},
      stopped() {
        expect(entries(w.ttq).slice(-2)).toEqual([['revokeConsent'], ['disableCookie']]);
      },
    },
  },
  'linkedin-insight': {
    src: 'https://snap.licdn.com/li.lms-analytics/insight.min.js',
    loaded() {
      expect(w._linkedin_partner_id).toBe('1234567');
      expect(w._linkedin_data_partner_ids).toEqual(['1234567']);
      (w.lintrk as (a: string, b: unknown) => void)('track', { conversion_id: 1 });
      expect(read('lintrk.q')).toEqual([['track', { conversion_id: 1 }]]);
    },
  },
  segment: {
    src: 'https://cdn.segment.com/analytics.js/v1/AbCdEf0123456789AbCdEf0123456789/analytics.min.js',
    scriptAttributes: { 'data-global-segment-analytics-key': 'analytics' },
    loaded() {
      expect(read('analytics._writeKey')).toBe('AbCdEf0123456789AbCdEf0123456789');
      expect(read('analytics.SNIPPET_VERSION')).toBe('5.2.0');
      // No device-mode destinations: Segment loads no other vendor's code in the page.
      expect(read('analytics._loadOptions')).toEqual({ integrations: { All: false, 'Segment.io': true } });
      expect(entries(w.analytics)).toEqual([['page']]);
    },
    stopApi: {
      install() {},
      stopped() {
        expect(entries(w.analytics).at(-1)).toEqual(['reset']);
      },
    },
    more() {
      it('lets device-mode destinations load only when the site opts in', () => {
        resetPage();
        adapters.segment!.load(contextFor('segment', { siteId: 'abc', deviceModeDestinations: true }));
        expect(read('analytics._loadOptions')).toEqual({});
      });
    },
  },
  mixpanel: {
    src: 'https://cdn.mxpnl.com/libs/mixpanel-2-latest.min.js',
    loaded() {
      expect(read('mixpanel._i')).toEqual([
        [
          '0123456789abcdef0123456789abcdef',
          { ...mixpanelConfig('us'), loaded: expect.any(Function) },
          'mixpanel',
        ],
      ]);
      expect(mixpanelConfig('us')).toEqual({
        autocapture: false,
        record_sessions_percent: 0,
        record_mask_all_text: true,
        record_mask_all_inputs: true,
      });
      expect(read('mixpanel.__SV')).toBe(1.2);
      (read('mixpanel.people.set') as (p: unknown) => void)({ plan: 'pro' });
      expect(entries(read('mixpanel.people'))).toEqual([['set', { plan: 'pro' }]]);
    },
    vendorArrives(context) {
      // Mixpanel calls loaded() with its instance once initialised; the adapter reads get_config (R16).
      const config: Record<string, unknown> = { ...mixpanelConfig('us') };
      const instance = { get_config: (name: string) => config[name] };
      expect(mixpanelLoaded()(instance)).toBe(true);
      expect(context.consent.ledger()).toContainEqual(
        expect.objectContaining({
          kind: 'settings',
          vendor: 'mixpanel',
          settings: { maskInputs: true, maskText: true },
          weaker: [],
        }),
      );
    },
    stopApi: {
      install() {},
      stopped() {
        expect(entries(w.mixpanel)).toEqual([['stop_session_recording'], ['opt_out_tracking']]);
      },
    },
    more() {
      it('sends to the EU endpoint when configured', () => {
        expect(mixpanelConfig('eu')).toMatchObject({ api_host: 'https://api-eu.mixpanel.com' });
      });

      it('refuses Mixpanel when its replay masking is off: held, stopped, purged, logged', () => {
        resetPage();
        const error = vi.spyOn(console, 'error').mockImplementation(() => {});
        const hold = vi.fn();
        const settings = { siteId: '0123456789abcdef0123456789abcdef' };
        const context = { ...contextFor('mixpanel', settings), hold };
        adapters.mixpanel!.load(context);
        localStorage.setItem('mp_0123456789abcdef0123456789abcdef_mixpanel', '1');
        const config: Record<string, unknown> = { ...mixpanelConfig('us'), record_mask_all_inputs: false };
        expect(mixpanelLoaded()({ get_config: (name: string) => config[name] })).toBe(false);
        expect(context.consent.ledger()).toContainEqual(
          expect.objectContaining({ kind: 'settings', vendor: 'mixpanel', weaker: ['maskInputs'] }),
        );
        expect(hold).toHaveBeenCalledTimes(1);
        expect(entries(w.mixpanel)).toEqual([['stop_session_recording'], ['opt_out_tracking']]);
        expect(localStorage.getItem('mp_0123456789abcdef0123456789abcdef_mixpanel')).toBeNull();
        expect(error).toHaveBeenCalledWith(expect.stringMatching(/Mixpanel was stopped.*maskInputs is off/));
      });

      it('loads a self-hosted library copy (the snippet’s MIXPANEL_CUSTOM_LIB_URL) (R32)', () => {
        resetPage();
        const settings = {
          siteId: '0123456789abcdef0123456789abcdef',
          src: 'https://static.example.com/mixpanel.min.js',
        };
        expect(adapters.mixpanel!.validate(settings)).toEqual([]);
        adapters.mixpanel!.load(contextFor('mixpanel', settings));
        expect(document.querySelector('script[data-allparty-vendor="mixpanel"]')?.getAttribute('src')).toBe(
          'https://static.example.com/mixpanel.min.js',
        );
      });
    },
  },
  amplitude: {
    src: 'https://cdn.amplitude.com/libs/analytics-browser-2.11.1-min.js.gz',
    scriptAttributes: { crossorigin: 'anonymous' },
    loaded() {
      const q = read('amplitude._q') as Array<{ name: string; args: unknown[] }>;
      expect(q.map(({ name, args }) => [name, args])).toEqual([
        [
          'init',
          [
            '0123456789abcdef0123456789abcdef',
            {
              serverZone: 'US',
              autocapture: { elementInteractions: false, formInteractions: false },
              trackingOptions: { ipAddress: false },
            },
          ],
        ],
      ]);
      expect(read('amplitude.invoked')).toBe(true);
    },
    stopApi: {
      install() {},
      stopped() {
        const q = read('amplitude._q') as Array<{ name: string; args: unknown[] }>;
        expect(q.slice(-2).map(({ name, args }) => [name, args])).toEqual([
          ['setOptOut', [true]],
          ['reset', []],
        ]);
      },
    },
  },
  'snap-pixel': {
    src: 'https://sc-static.net/scevent.min.js',
    loaded() {
      const queue = read('snaptr.queue') as unknown[];
      expect(queue.every(isArguments)).toBe(true);
      expect(entries(queue)).toEqual([
        ['init', '00000000-0000-0000-0000-000000000000', {}],
        ['track', 'PAGE_VIEW'],
      ]);
    },
  },
  'pinterest-tag': {
    src: 'https://s.pinimg.com/ct/core.js',
    loaded() {
      expect(read('pintrk.version')).toBe('3.0');
      expect(read('pintrk.queue')).toEqual([['load', '2612345678901'], ['page']]);
    },
  },
  'x-pixel': {
    src: 'https://static.ads-twitter.com/uwt.js',
    loaded() {
      expect(read('twq.version')).toBe('1.1');
      expect(entries(read('twq.queue'))).toEqual([['config', 'o1a2b']]);
    },
  },
  'reddit-pixel': {
    src: 'https://www.redditstatic.com/ads/pixel.js',
    loaded() {
      expect(entries(read('rdt.callQueue'))).toEqual([
        ['init', 't2_abc123'],
        ['track', 'PageVisit'],
      ]);
    },
    stopApi: {
      install() {},
      stopped() {
        expect(entries(read('rdt.callQueue')).at(-1)).toEqual(['disableFirstPartyCookies']);
      },
    },
  },
  'microsoft-uet': {
    src: 'https://bat.bing.com/bat.js',
    loaded() {
      expect(w.uetq).toEqual([
        'consent',
        'default',
        { ad_storage: 'denied' },
        'consent',
        'update',
        { ad_storage: 'granted' },
      ]);
    },
    vendorArrives() {
      const created: unknown[] = [];
      w.UET = class {
        readonly pushed: unknown[][] = [];
        constructor(options: unknown) {
          created.push(options);
        }
        push(...args: unknown[]) {
          this.pushed.push(args);
        }
      };
      const queue = w.uetq;
      fireLoad('microsoft-uet');
      expect(created).toEqual([{ ti: '343046885', enableAutoSpaTracking: true, q: queue }]);
      expect(read('uetq.pushed')).toEqual([['pageLoad']]);
    },
    stopApi: {
      install() {
        w.uetq = { push: vi.fn() };
      },
      stopped() {
        expect(read('uetq.push')).toHaveBeenCalledWith('consent', 'update', { ad_storage: 'denied' });
      },
    },
  },
  'adobe-analytics': {
    src: 'https://assets.adobedtm.com/0123456789ab/cdef01234567/launch-89abcdef0123.min.js',
    loaded() {
      expect(w.__alloyNS).toEqual(['alloy']);
      const q = read('alloy.q') as unknown[][];
      expect(q.map((e) => e[2])).toEqual([
        ['setConsent', { consent: [{ standard: 'Adobe', version: '1.0', value: { general: 'in' } }] }],
      ]);
    },
    stopApi: {
      install() {},
      stopped() {
        const q = read('alloy.q') as unknown[][];
        expect(q.at(-1)?.[2]).toEqual([
          'setConsent',
          { consent: [{ standard: 'Adobe', version: '1.0', value: { general: 'out' } }] },
        ]);
      },
    },
  },
};
