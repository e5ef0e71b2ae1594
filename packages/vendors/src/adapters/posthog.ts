import { defineAdapter } from '../lib/define';
import { call, getGlobal, isRecord, setGlobal } from '../lib/globals';
import { checkMinimum, verifyLive } from '../lib/live';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { AdapterContext, LiveSettings, VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'posthog',
  name: 'PostHog',
  legalName: 'PostHog Inc.',
  category: 'replay',
  purposes: ['analytics', 'replay'],
  purposeNote:
    'PostHog is product analytics with autocapture (analytics) plus session recording (replay), asked for under both. A site that narrows it to "purposes": ["analytics"] gets PostHog with session recording off.',
  hosts: [
    'us.i.posthog.com',
    'eu.i.posthog.com',
    'us-assets.i.posthog.com',
    'eu-assets.i.posthog.com',
    'app.posthog.com',
    '*.posthog.com',
  ],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.replay, CONTENTS.url, CONTENTS.network],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.referrer],
  },
  ownUse: null,
  privacyPolicy: 'https://posthog.com/privacy',
  cookies: [{ name: 'ph_{id}_posthog', lifetime: null }],
  storageKeys: [
    { key: 'ph_{id}_posthog', storage: 'local' },
    { key: 'ph_{id}_posthog', storage: 'session' },
    { key: '__ph_opt_in_out_{id}', storage: 'local' },
  ],
  masking:
    'PostHog masks inputs by default but not text. The adapter sets session_recording.maskAllInputs and maskTextSelector "*", mask_all_text and mask_all_element_attributes, and turns session recording off unless the replay purpose is configured. Use ph-no-capture for areas that must not be recorded.',
  liveSettings: {
    checked: ['maskInputs', 'maskText'],
    note: 'When PostHog calls loaded(), the adapter reads posthog.config: session_recording.maskAllInputs, and mask_all_text with maskTextSelector "*". This client config overrides the project’s remote masking settings.',
  },
  pinning: {
    version: false,
    publishedIntegrity: false,
    selfHost: true,
    note: 'array.js is unversioned. PostHog also runs it from the site’s host ({api_host}/static/array.js), so `src` can pin a copy of posthog-js; the recorder it loads later stays unpinned.',
  },
  unloadWithoutReload: 'partial',
  stopNote:
    'posthog.opt_out_capturing() and stopSessionRecording() stop capture, but the posthog global and its lazy-loaded recorder stay until the page reloads with PostHog blocked.',
  configId: {
    setting: 'siteId',
    label: 'project API key',
    pattern: '^phc_[A-Za-z0-9]+$',
    example: 'phc_XXXXXXXXXXXXXXXXXXXX',
  },
  options: [
    {
      name: 'region',
      description: 'PostHog Cloud region',
      required: false,
      values: ['us', 'eu'],
      default: 'us',
      example: 'eu',
    },
  ],
  notes: [
    'A reverse proxy (api_host on the site itself) defeats host blocking; the adapter only uses PostHog Cloud hosts.',
  ],
  scriptUrls: [
    'https://us-assets.i.posthog.com/static/array.js',
    'https://eu-assets.i.posthog.com/static/array.js',
    '{api_host}/static/array.js (self-host/proxy)',
    'lazy-loaded extension bundles (recorder, surveys, toolbar) from the same assets host /static/',
  ],
  confidence: 'high',
  unconfirmed: [],
  sources: [
    'npm:posthog-js@1.449.2/lib/src/posthog-core.js (defaultConfig: api_host, persistence, opt_out_* , mask_all_text)',
    'npm:posthog-js@1.449.2/lib/src/utils/request-router.js (region hosts)',
    'npm:posthog-js@1.449.2/lib/src/posthog-persistence.js',
    'npm:posthog-js@1.449.2/lib/src/consent.js',
    'npm:posthog-js@1.449.2/lib/src/extensions/replay/external/lazy-loaded-session-recorder.js (maskAllInputs default)',
    'https://posthog.com/docs/advanced/content-security-policy',
    'npm:@c15t/scripts@2.2.0/dist/vendors/analytics/posthog.js',
    'npm:tarteaucitronjs@1.34.0/tarteaucitron.services.js',
  ],
};

/** The methods posthog's snippet stubs until array.js has loaded. */
export const POSTHOG_METHODS = [
  'capture',
  'identify',
  'alias',
  'register',
  'register_once',
  'unregister',
  'reset',
  'opt_in_capturing',
  'opt_out_capturing',
  'has_opted_in_capturing',
  'has_opted_out_capturing',
  'startSessionRecording',
  'stopSessionRecording',
  'group',
  'setPersonProperties',
  'onFeatureFlags',
  'getFeatureFlag',
  'isFeatureEnabled',
  'reloadFeatureFlags',
] as const;

/** Whether the site uses PostHog for replay too (its configured purposes, or the manifest's). */
function recordsReplay(context: AdapterContext): boolean {
  return (context.settings.purposes ?? manifest.purposes).includes('replay');
}

/** The most private init config (see `masking`). */
export function posthogConfig(region: string, replay: boolean): Record<string, unknown> {
  return {
    api_host: `https://${region}.i.posthog.com`,
    person_profiles: 'identified_only',
    mask_all_text: true,
    mask_all_element_attributes: true,
    disable_session_recording: !replay,
    session_recording: { maskAllInputs: true, maskTextSelector: '*' },
  };
}

/**
 * PostHog's live privacy settings (R16), read from the instance `loaded()` receives: its `config`,
 * which is the client config merged over PostHog's defaults.
 */
export function posthogLiveSettings(posthog: unknown): LiveSettings {
  const config = isRecord(posthog) && isRecord(posthog.config) ? posthog.config : null;
  if (!config) return { maskInputs: null, maskText: null };
  const recording = isRecord(config.session_recording) ? config.session_recording : {};
  return {
    maskInputs: recording.maskAllInputs !== false,
    maskText: config.mask_all_text === true && recording.maskTextSelector === '*',
  };
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  check: (settings, errors) => checkMinimum(manifest, settings, errors),
  load(settings, context) {
    const existing = getGlobal('posthog');
    if (isRecord(existing) && existing.__SV) return;
    // `window.posthog = []` with `_i` (init calls) and a stub per method that queues `[name, ...args]`.
    const queue: unknown[] = [];
    const posthog = queue as unknown as Record<string, unknown>;
    for (const name of POSTHOG_METHODS)
      posthog[name] = (...args: unknown[]) => {
        queue.push([name, ...args]);
      };
    posthog.people = [];
    posthog.__SV = 1;
    const config = {
      ...posthogConfig(settings.string('region'), recordsReplay(context)),
      // PostHog calls this at the end of init: the settings it will record with are in place (R16).
      loaded: (instance: unknown) => verifyLive(adapter, context, posthogLiveSettings(instance)),
    };
    posthog._i = [[settings.id, config, 'posthog']];
    setGlobal('posthog', posthog);
    injectScript(
      manifest.id,
      `https://${settings.string('region')}-assets.i.posthog.com/static/array.js`,
      context,
      {
        crossOrigin: true,
      },
    );
  },
  shutdown() {
    call(['posthog', 'opt_out_capturing']);
    call(['posthog', 'stopSessionRecording']);
  },
});
