import { expect, it, vi } from 'vitest';
import type { logrocketOptions } from '../adapters/logrocket';
import { posthogConfig } from '../adapters/posthog';
import { adapters } from './adapters';
import type { AdapterCase } from './harness';
import { contextFor, entries, fireLoad, read, resetPage, setCookie, vendorScripts, w } from './harness';

const html = () => document.documentElement;

/** The `loaded` callback the PostHog adapter put in its init config. */
const posthogLoaded = () =>
  ((read('posthog._i') as unknown[][])[0]![1] as { loaded: (instance: unknown) => boolean }).loaded;

export const replayCases: Record<string, AdapterCase> = {
  fullstory: {
    src: 'https://edge.fullstory.com/s/fs.js',
    scriptAttributes: { crossorigin: 'anonymous' },
    loaded() {
      expect(w._fs_org).toBe('o-1BY118-na1');
      expect(w._fs_host).toBe('fullstory.com');
      expect(w._fs_script).toBe('edge.fullstory.com/s/fs.js');
      expect(w._fs_namespace).toBe('FS');
      expect(read('FS.q')).toEqual([]);
      expect(html().classList.contains('fs-mask')).toBe(true);
      expect(document.body.classList.contains('fs-mask')).toBe(true);
      // The snippet's pass-through fetch, with the original kept for fs.js.
      expect(read('FS._w.fetch')).not.toBe(window.fetch);
      expect(typeof read('FS._w.fetch')).toBe('function');
    },
    stopApi: {
      install() {},
      stopped() {
        expect(entries(read('FS.q'))).toContainEqual(['shutdown']);
        expect(window.fetch).toBe(read('FS._w.fetch'));
      },
    },
    more() {
      it('hands later calls to fs.js once it set _api, as the snippet does', () => {
        resetPage();
        adapters.fullstory!.load(contextFor('fullstory', { siteId: 'o-1BY118-na1' }));
        const api = vi.fn();
        (w.FS as Record<string, unknown>)._api = api;
        (w.FS as (...a: unknown[]) => void)('shutdown');
        expect(api).toHaveBeenCalledWith('shutdown');
        expect(read('FS.q')).toEqual([]);
      });
      it('loads from the EU data centre for an eu1 org id', () => {
        resetPage();
        adapters.fullstory!.load(contextFor('fullstory', { siteId: 'o-ABC12-eu1' }));
        expect(vendorScripts('fullstory')[0]?.getAttribute('src')).toBe(
          'https://edge.eu1.fullstory.com/s/fs.js',
        );
        expect(w._fs_host).toBe('eu1.fullstory.com');
      });
    },
  },
  hotjar: {
    src: 'https://static.hotjar.com/c/hotjar-123456.js?sv=6',
    loaded() {
      expect(typeof w.hj).toBe('function');
      expect(read('hj.q')).toEqual([]);
      expect(w._hjSettings).toEqual({ hjid: 123456, hjsv: 6 });
      expect(html().hasAttribute('data-hj-suppress')).toBe(true);
    },
  },
  contentsquare: {
    src: 'https://t.contentsquare.net/uxa/f6f72d509axzd.js',
    loaded() {
      const uxa = entries(w._uxa);
      expect(uxa).toContainEqual(['optin']);
      // The path and hash only: the query string (?q=secret) never reaches Contentsquare.
      expect(uxa).toContainEqual(['setPath', '/products/list?__top']);
      expect(html().hasAttribute('data-cs-mask')).toBe(true);
    },
    stopApi: {
      install() {},
      stopped() {
        expect(entries(w._uxa).at(-1)).toEqual(['optout']);
      },
    },
  },
  'microsoft-clarity': {
    src: 'https://www.clarity.ms/tag/vnmy25t03u',
    loaded() {
      expect(entries(read('clarity.q'))).toEqual([
        ['consentv2', { ad_Storage: 'denied', analytics_Storage: 'granted' }],
      ]);
      expect(html().getAttribute('data-clarity-mask')).toBe('true');
    },
    stopApi: {
      install() {},
      stopped() {
        const q = entries(read('clarity.q'));
        expect(q.at(-1)).toEqual(['stop']);
        // Never consentv2 'denied': Clarity would restart in cookieless mode and keep recording.
        expect(q.filter((c) => c[0] === 'consentv2')).toHaveLength(1);
      },
    },
  },
  logrocket: {
    src: 'https://cdn.logrocket.io/LogRocket.min.js',
    scriptAttributes: { crossorigin: 'anonymous' },
    loaded() {},
    vendorArrives() {
      const init = vi.fn();
      w.LogRocket = { init };
      fireLoad('logrocket');
      expect(init).toHaveBeenCalledTimes(1);
      const [appId, options] = init.mock.calls[0] as [string, ReturnType<typeof logrocketOptions>];
      expect(appId).toBe('my-org/my-app');
      expect(options).toMatchObject({
        shouldCaptureIP: false,
        dom: { inputSanitizer: true, textSanitizer: true },
      });
      const browser = options.browser as { urlSanitizer(url: string): string };
      expect(browser.urlSanitizer('https://shop.example/a?card=4111')).toBe('https://shop.example/a');
      const network = options.network as { requestSanitizer(r: unknown): unknown };
      expect(network.requestSanitizer({ url: '/x', body: 'secret' })).toEqual({ url: '/x', body: null });
    },
    stopApi: {
      install() {
        w.LogRocket = { uninstall: vi.fn() };
      },
      stopped() {
        expect(read('LogRocket.uninstall')).toHaveBeenCalledTimes(1);
      },
    },
  },
  mouseflow: {
    src: 'https://cdn.mouseflow.com/projects/62d1dfac-cc7e-4965-984d-5dd5b973efde.js',
    loaded() {
      expect(w._mfq).toEqual([]);
      expect(html().classList.contains('mf-masked')).toBe(true);
    },
    stopApi: {
      install() {
        w.mouseflow = { stopSession: vi.fn() };
      },
      stopped() {
        expect(read('mouseflow.stopSession')).toHaveBeenCalledTimes(1);
      },
    },
  },
  smartlook: {
    src: 'https://web-sdk.smartlook.com/recorder.js',
    scriptAttributes: { charset: 'utf-8' },
    loaded() {
      const api = entries(read('smartlook.api'));
      expect(api).toEqual([['init', '85aa51a7d9a02dad0ac1d269cf13e3e0b3989f09', { region: 'eu' }]]);
      // No record(...) call: forms, numbers, emails and IPs stay out of recordings.
      expect(api.some((c) => c[0] === 'record')).toBe(false);
      expect(html().getAttribute('data-sl')).toBe('mask');
    },
    stopApi: {
      install() {},
      stopped() {
        expect(entries(read('smartlook.api')).at(-1)).toEqual(['disable']);
      },
    },
  },
  heap: {
    src: 'https://cdn.us.heap-api.com/config/1234567890/heap_config.js',
    loaded() {
      expect(read('heap.envId')).toBe('1234567890');
      expect(read('heap.clientConfig')).toEqual({ shouldFetchServerConfig: false, disableTextCapture: true });
      expect(Array.isArray(w.heap)).toBe(true);
      (read('heap.track') as (e: string) => void)('Signed up');
      expect((w.heapReadyCb as Array<{ name: string }>).map((c) => c.name)).toEqual(['track']);
    },
    stopApi: {
      install() {},
      stopped() {
        expect((w.heapReadyCb as Array<{ name: string }>).map((c) => c.name)).toEqual([
          'stopTracking',
          'resetIdentity',
        ]);
      },
    },
    more() {
      it('loads from the EU region when configured', () => {
        resetPage();
        adapters.heap!.load(contextFor('heap', { siteId: '1234567890', region: 'eu' }));
        expect(vendorScripts('heap')[0]?.getAttribute('src')).toBe(
          'https://cdn.eu.heap-api.com/config/1234567890/heap_config.js',
        );
      });
    },
  },
  'quantum-metric': {
    src: 'https://cdn.quantummetric.com/qscripts/quantum-gnm.js',
    loaded() {},
    more() {
      it('does not load a second copy when the page already has the Quantum Metric API', () => {
        resetPage();
        w.QuantumMetricAPI = {};
        adapters['quantum-metric']!.load(contextFor('quantum-metric', { siteId: 'gnm' }));
        expect(vendorScripts('quantum-metric')).toHaveLength(0);
      });
    },
  },
  posthog: {
    src: 'https://us-assets.i.posthog.com/static/array.js',
    scriptAttributes: { crossorigin: 'anonymous' },
    loaded() {
      const init = read('posthog._i') as unknown[][];
      expect(init).toEqual([
        [
          'phc_XXXXXXXXXXXXXXXXXXXX',
          { ...posthogConfig('us', true), loaded: expect.any(Function) },
          'posthog',
        ],
      ]);
      expect(init[0]![1]).toMatchObject({
        api_host: 'https://us.i.posthog.com',
        mask_all_text: true,
        disable_session_recording: false,
        session_recording: { maskAllInputs: true, maskTextSelector: '*' },
      });
      expect(read('posthog.__SV')).toBe(1);
    },
    vendorArrives(context) {
      // PostHog calls loaded() with its instance at the end of init: the adapter reads and records (R16).
      expect(posthogLoaded()({ config: posthogConfig('us', true) })).toBe(true);
      expect(context.consent.ledger()).toContainEqual(
        expect.objectContaining({
          kind: 'settings',
          vendor: 'posthog',
          host: '',
          via: 'adapter',
          record: context.consent.get().record,
          settings: { maskInputs: true, maskText: true },
          weaker: [],
        }),
      );
      expect(vendorScripts('posthog')).toHaveLength(1);
    },
    stopApi: {
      install() {},
      stopped() {
        expect(entries(w.posthog)).toEqual([['opt_out_capturing'], ['stopSessionRecording']]);
      },
    },
    more() {
      it('refuses PostHog when its live settings are weaker than the minimum: held, stopped, purged, logged', () => {
        resetPage();
        const error = vi.spyOn(console, 'error').mockImplementation(() => {});
        const hold = vi.fn();
        const settings = { siteId: 'phc_abc' };
        const context = { ...contextFor('posthog', settings), hold };
        adapters.posthog!.load(context);
        setCookie('ph_phc_abc_posthog=1; path=/');
        localStorage.setItem('ph_phc_abc_posthog', '1');
        const weaker = { ...posthogConfig('us', true), mask_all_text: false };
        expect(posthogLoaded()({ config: weaker })).toBe(false);
        expect(context.consent.ledger()).toContainEqual(
          expect.objectContaining({
            kind: 'settings',
            vendor: 'posthog',
            settings: { maskInputs: true, maskText: false },
            weaker: ['maskText'],
          }),
        );
        expect(hold).toHaveBeenCalledTimes(1);
        expect(vendorScripts('posthog')).toHaveLength(0);
        expect(entries(w.posthog)).toEqual([['opt_out_capturing'], ['stopSessionRecording']]);
        expect(document.cookie).not.toContain('ph_phc_abc_posthog');
        expect(localStorage.getItem('ph_phc_abc_posthog')).toBeNull();
        expect(error).toHaveBeenCalledWith(expect.stringMatching(/PostHog was stopped.*maskText is off/));
        // The grant stands: refusing is not a withdrawal.
        expect(context.consent.get().vendors.posthog).toBe(true);
      });

      it('starts PostHog with text unmasked when the site’s minimum allows it', () => {
        resetPage();
        const hold = vi.fn();
        const settings = { siteId: 'phc_abc', minimum: { maskText: false } };
        const context = { ...contextFor('posthog', settings), hold };
        expect(adapters.posthog!.load(context)).toBe(true);
        expect(posthogLoaded()({ config: { mask_all_text: false, session_recording: {} } })).toBe(true);
        expect(hold).not.toHaveBeenCalled();
        expect(vendorScripts('posthog')).toHaveLength(1);
      });

      it('refuses a minimum that names a setting PostHog does not expose, or is not a flag', () => {
        const validate = adapters.posthog!.validate;
        expect(validate({ siteId: 'phc_abc', minimum: { maskInputs: true, maskText: false } })).toEqual([]);
        const error = {
          path: 'vendors.posthog.minimum',
          message:
            'must be an object of true or false for maskInputs, maskText, the settings PostHog exposes',
        };
        expect(validate({ siteId: 'phc_abc', minimum: { blockMedia: true } })).toEqual([error]);
        expect(validate({ siteId: 'phc_abc', minimum: { maskText: 'yes' } })).toEqual([error]);
        expect(validate({ siteId: 'phc_abc', minimum: true })).toEqual([error]);
        expect(validate({ siteId: 'phc_abc', minimum: ['maskText'] })).toEqual([error]);
      });

      it('loads a self-hosted array.js with its integrity hash (R32)', () => {
        resetPage();
        const integrity = `sha384-${'A'.repeat(64)}`;
        const settings = { siteId: 'phc_abc', src: '/vendor/posthog/array.js', integrity };
        adapters.posthog!.load(contextFor('posthog', settings));
        const script = vendorScripts('posthog')[0]!;
        expect(script.getAttribute('src')).toBe('/vendor/posthog/array.js');
        expect(script.getAttribute('integrity')).toBe(integrity);
        expect(script.getAttribute('crossorigin')).toBe('anonymous');
      });

      it('keeps session recording off when the site uses PostHog for analytics only', () => {
        resetPage();
        const settings = { siteId: 'phc_abc', region: 'eu', purposes: ['analytics'] };
        adapters.posthog!.load(contextFor('posthog', settings));
        expect(vendorScripts('posthog')[0]?.getAttribute('src')).toBe(
          'https://eu-assets.i.posthog.com/static/array.js',
        );
        expect((read('posthog._i') as unknown[][])[0]![1]).toMatchObject({
          disable_session_recording: true,
          api_host: 'https://eu.i.posthog.com',
        });
      });
    },
  },
  'sentry-replay': {
    src: 'https://js.sentry-cdn.com/0123456789abcdef0123456789abcdef.min.js',
    scriptAttributes: { crossorigin: 'anonymous' },
    loaded() {
      expect(typeof w.sentryOnLoad).toBe('function');
    },
    vendorArrives(context) {
      // A Sentry whose getReplay() returns the integration init() installed, as Sentry's does.
      const running: { replay?: unknown } = {};
      const init = vi.fn((options: { integrations: unknown[] }) => {
        running.replay = options.integrations[0];
      });
      const replayIntegration = vi.fn(() => ({ name: 'Replay' }));
      w.Sentry = { init, replayIntegration, getReplay: () => running.replay };
      (w.sentryOnLoad as () => void)();
      expect(context.consent.ledger()).toContainEqual(
        expect.objectContaining({
          kind: 'settings',
          vendor: 'sentry-replay',
          settings: { maskInputs: true, maskText: true, blockMedia: true },
          weaker: [],
        }),
      );
      expect(replayIntegration).toHaveBeenCalledWith({
        maskAllText: true,
        maskAllInputs: true,
        blockAllMedia: true,
      });
      expect(init).toHaveBeenCalledWith({
        dsn: 'https://0123456789abcdef0123456789abcdef@o0.ingest.sentry.io/0',
        sendDefaultPii: false,
        integrations: [{ name: 'Replay' }],
        replaysSessionSampleRate: 0.1,
        replaysOnErrorSampleRate: 1,
      });
    },
    stopApi: {
      install() {
        const replay = { stop: vi.fn() };
        w.Sentry = { getReplay: () => replay, close: vi.fn(), replay };
      },
      stopped() {
        expect(read('Sentry.replay.stop')).toHaveBeenCalledTimes(1);
        expect(read('Sentry.close')).toHaveBeenCalledTimes(1);
      },
    },
    more() {
      const dsn = 'https://0123456789abcdef0123456789abcdef@o0.ingest.sentry.io/0';

      it('loads a pinned CDN bundle with its integrity hash and starts Sentry once it has run (R32)', () => {
        resetPage();
        const integrity = `sha384-${'B'.repeat(64)}`;
        const context = contextFor('sentry-replay', { siteId: dsn, version: '10.57.0', integrity });
        adapters['sentry-replay']!.load(context);
        const script = vendorScripts('sentry-replay')[0]!;
        expect(script.getAttribute('src')).toBe(
          'https://browser.sentry-cdn.com/10.57.0/bundle.replay.min.js',
        );
        expect(script.getAttribute('integrity')).toBe(integrity);
        expect(script.getAttribute('crossorigin')).toBe('anonymous');
        expect(w.sentryOnLoad).toBeUndefined();
        const running: { replay?: unknown } = {};
        const init = vi.fn((options: { integrations: unknown[] }) => {
          running.replay = options.integrations[0];
        });
        w.Sentry = { init, replayIntegration: () => ({ name: 'Replay' }), getReplay: () => running.replay };
        fireLoad('sentry-replay');
        expect(init).toHaveBeenCalledWith(expect.objectContaining({ dsn, sendDefaultPii: false }));
        expect(context.consent.ledger()).toContainEqual(
          expect.objectContaining({ kind: 'settings', vendor: 'sentry-replay', weaker: [] }),
        );
      });

      it('refuses Sentry when the Replay running is not the one the adapter built', () => {
        resetPage();
        const error = vi.spyOn(console, 'error').mockImplementation(() => {});
        const hold = vi.fn();
        const context = { ...contextFor('sentry-replay', { siteId: dsn }), hold };
        adapters['sentry-replay']!.load(context);
        // The page's own Sentry set up a Replay first; Sentry refuses a second one.
        const theirs = { name: 'Replay', stop: vi.fn() };
        const close = vi.fn();
        w.Sentry = {
          init: vi.fn(),
          replayIntegration: () => {
            throw new Error('Multiple Sentry Session Replay instances are not supported');
          },
          getReplay: () => theirs,
          close,
        };
        (w.sentryOnLoad as () => void)();
        expect(context.consent.ledger()).toContainEqual(
          expect.objectContaining({
            kind: 'settings',
            settings: { maskInputs: null, maskText: null, blockMedia: null },
            weaker: ['maskInputs', 'maskText'],
          }),
        );
        expect(hold).toHaveBeenCalledTimes(1);
        expect(theirs.stop).toHaveBeenCalledTimes(1);
        expect(close).toHaveBeenCalledTimes(1);
        expect(vendorScripts('sentry-replay')).toHaveLength(0);
        expect(error).toHaveBeenCalledWith(
          expect.stringMatching(/Sentry Session Replay was stopped.*maskInputs is unreadable/),
        );
      });

      it('takes a version only as x.y.z', () => {
        const errors = adapters['sentry-replay']!.validate({ siteId: dsn, version: 'latest' });
        expect(errors).toEqual([{ path: 'vendors.sentry-replay.version', message: expect.any(String) }]);
      });
    },
  },
  'lucky-orange': {
    src: 'https://tools.luckyorange.com/core/lo.js?site-id=f7f4db75',
    loaded() {
      expect(html().classList.contains('lo-sensitive')).toBe(true);
    },
  },
  inspectlet: {
    src: /^https:\/\/cdn\.inspectlet\.com\/inspectlet\.js\?wid=1771092486&r=\d+$/,
    scriptAttributes: { id: 'inspsync' },
    loaded() {
      expect(entries(w.__insp)).toEqual([['wid', 1771092486]]);
      expect(w.__inspld).toBe(1);
      expect(html().classList.contains('inspectlet-sensitive')).toBe(true);
    },
  },
};
