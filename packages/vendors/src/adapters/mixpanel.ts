import { defineAdapter } from '../lib/define';
import { call, getGlobal, isFunction, isRecord, setGlobal } from '../lib/globals';
import { checkMinimum, verifyLive } from '../lib/live';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { LiveSettings, VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'mixpanel',
  name: 'Mixpanel',
  legalName: 'Mixpanel, Inc.',
  category: 'analytics',
  purposes: ['analytics'],
  purposeNote:
    'Mixpanel can also record sessions; this adapter keeps Session Replay off (record_sessions_percent: 0), so it is analytics only.',
  hosts: [
    'cdn.mxpnl.com',
    'api-js.mixpanel.com',
    'api.mixpanel.com',
    'api-eu.mixpanel.com',
    'api-in.mixpanel.com',
    '*.mixpanel.com',
  ],
  capturesContents: false,
  captures: {
    contents: [CONTENTS.url],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.referrer],
  },
  ownUse: null,
  privacyPolicy: 'https://mixpanel.com/legal/privacy-policy/',
  cookies: [{ name: 'mp_{id}_mixpanel', lifetime: null }],
  storageKeys: [
    { key: '__mp_opt_in_out_{id}', storage: 'local' },
    { key: 'mp_{id}_mixpanel', storage: 'local' },
  ],
  masking:
    'Session Replay stays off (record_sessions_percent: 0), with record_mask_all_text and record_mask_all_inputs set anyway; autocapture is off.',
  liveSettings: {
    checked: ['maskInputs', 'maskText'],
    note: 'When Mixpanel calls loaded(), the adapter reads get_config("record_mask_all_inputs") and get_config("record_mask_all_text"), the masking Session Replay would use if started.',
  },
  pinning: {
    version: false,
    publishedIntegrity: false,
    selfHost: true,
    note: 'mixpanel-2-latest.min.js changes in place and no versioned URL is in the catalog. The snippet takes MIXPANEL_CUSTOM_LIB_URL, so `src` can pin a copy; the recorder stays unpinned.',
  },
  unloadWithoutReload: 'partial',
  stopNote:
    'mixpanel.opt_out_tracking() and stop_session_recording() stop sending; the mixpanel global stays until the page reloads with Mixpanel blocked.',
  configId: {
    setting: 'siteId',
    label: 'project token',
    pattern: '^[a-f0-9]{32}$',
    example: '0123456789abcdef0123456789abcdef',
  },
  options: [
    {
      name: 'region',
      description: 'data residency region',
      required: false,
      values: ['us', 'eu', 'in'],
      default: 'us',
      example: 'eu',
    },
  ],
  scriptUrls: [
    'https://cdn.mxpnl.com/libs/mixpanel-2-latest.min.js',
    'recorder bundle from lib_base_path https://cdn.mxpnl.com/libs/ (lazy)',
  ],
  confidence: 'high',
  unconfirmed: ['api-eu / api-in hosts come from third-party code, not the package'],
  sources: [
    'npm:mixpanel-browser@2.83.0/src/mixpanel-core.js (DEFAULT_CONFIG)',
    'npm:mixpanel-browser@2.83.0/src/recorder/masking.js',
    'npm:mixpanel-browser@2.83.0/src/mixpanel-persistence.js',
    'npm:mixpanel-browser@2.83.0/src/gdpr-utils.js',
    'npm:mixpanel-browser@2.83.0/src/loaders/mixpanel-jslib-snippet.js (MIXPANEL_CUSTOM_LIB_URL)',
    'npm:@c15t/scripts@2.2.0/dist/vendors/analytics/mixpanel-analytics.js',
    "public code (code-index 'api-eu.mixpanel.com': EU/India residency hosts)",
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
  ],
};

/** The methods Mixpanel's snippet stubs until the library has loaded. */
export const MIXPANEL_METHODS = [
  'disable',
  'time_event',
  'track',
  'track_pageview',
  'track_links',
  'track_forms',
  'register',
  'register_once',
  'alias',
  'unregister',
  'identify',
  'name_tag',
  'set_config',
  'reset',
  'opt_in_tracking',
  'opt_out_tracking',
  'has_opted_in_tracking',
  'has_opted_out_tracking',
  'clear_opt_in_out_tracking',
  'start_session_recording',
  'stop_session_recording',
  'people.set',
  'people.set_once',
  'people.unset',
  'people.increment',
  'people.append',
  'people.union',
  'people.track_charge',
  'people.clear_charges',
  'people.delete_user',
  'people.remove',
];

/** The most private init config (see `masking`). */
export function mixpanelConfig(region: string): Record<string, unknown> {
  return {
    ...(region !== 'us' && { api_host: `https://api-${region}.mixpanel.com` }),
    autocapture: false,
    record_sessions_percent: 0,
    record_mask_all_text: true,
    record_mask_all_inputs: true,
  };
}

/** Mixpanel's live privacy settings (R16), read through the instance's own `get_config`. */
export function mixpanelLiveSettings(mixpanel: unknown): LiveSettings {
  const get = isRecord(mixpanel) ? mixpanel.get_config : undefined;
  if (!isFunction(get)) return { maskInputs: null, maskText: null };
  const read = (name: string) => {
    try {
      return get.call(mixpanel, name) === true;
    } catch {
      return null;
    }
  };
  return { maskInputs: read('record_mask_all_inputs'), maskText: read('record_mask_all_text') };
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  check: (settings, errors) => checkMinimum(manifest, settings, errors),
  load(settings, context) {
    const existing = getGlobal('mixpanel');
    if (isRecord(existing) && existing.__SV) return;
    const queue: unknown[] = [];
    const mixpanel = queue as unknown as Record<string, unknown>;
    const people: unknown[] = [];
    mixpanel.people = people;
    for (const name of MIXPANEL_METHODS) {
      const [target, method] = name.startsWith('people.') ? [people, name.slice(7)] : [queue, name];
      (target as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        target.push([method, ...args]);
      };
    }
    const config = {
      ...mixpanelConfig(settings.string('region')),
      // Mixpanel calls this once the library has initialised with this config (R16).
      loaded: (instance: unknown) => verifyLive(adapter, context, mixpanelLiveSettings(instance)),
    };
    mixpanel._i = [[settings.id, config, 'mixpanel']];
    mixpanel.__SV = 1.2;
    setGlobal('mixpanel', mixpanel);
    injectScript(manifest.id, 'https://cdn.mxpnl.com/libs/mixpanel-2-latest.min.js', context);
  },
  shutdown() {
    call(['mixpanel', 'stop_session_recording']);
    call(['mixpanel', 'opt_out_tracking']);
  },
});
