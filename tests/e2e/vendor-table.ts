/**
 * One row per adapter for vendors.spec.ts: what the vendor's stand-in does and what the test
 * expects to see. The facts that come from the manifest (hosts, cookies, storage keys, whether
 * it unloads without a reload) are read from the manifest itself; what is written here is what
 * the official snippet and the vendor's script do, derived from each adapter and its sources. The
 * vendor's own part of its stand-in is in fixtures/vendors/runtimes.ts.
 */
import { expect } from '@playwright/test';
import type { Transport } from './fixtures/vendors/stand-in';

export interface VendorCase {
  /** Settings beyond the manifest's examples (the id example plus required options). */
  settings?: Record<string, unknown>;
  /** The vendor script URL the adapter injects; null for embeds, which only release iframes. */
  script: RegExp | null;
  /**
   * Globals the snippet and the vendor's script set up: none before consent, all after a grant,
   * none again after a withdrawal that reloads the page.
   */
  globals: readonly string[];
  /** What the runtime found in the page when it arrived: the globals as the official snippet sets them. */
  seen: unknown;
  /** Calls the live vendor API received after it arrived (the adapter's on-load calls). @default [] */
  loadCalls?: readonly unknown[][];
  /** Calls the live vendor API received on withdrawal (the adapter's stop). @default [] */
  stopCalls?: readonly unknown[][];
  /** Where the vendor beacons while it runs: a URL on one of its declared hosts. */
  beacon: { url: string; via: Transport };
  /** The chat widget the vendor renders. `removedByStop`: `stop()` removes it before any reload. */
  widget?: { html: string; selector: string; removedByStop: boolean };
  /** Embeds: the tagged iframe and the private URL the adapter releases it to. */
  embed?: { purpose: 'video' | 'maps'; dataSrc: string; released: string };
  /**
   * R16: vendors whose live privacy settings the adapter reads. `settings`: what the adapter records
   * from the stand-in as the snippet configured it; `weakened`: what it records, and finds weaker than
   * the default minimum, when the stand-in reports weaker settings (`window.__standinWeaker`).
   */
  live?: {
    settings: Record<string, boolean | null>;
    weakened: { settings: Record<string, boolean | null>; weaker: string[] };
  };
}

const DENIED = {
  ad_storage: 'denied',
  ad_user_data: 'denied',
  ad_personalization: 'denied',
  analytics_storage: 'denied',
};
const ANALYTICS_GRANTED = { ...DENIED, analytics_storage: 'granted' };

export const VENDOR_CASES: Record<string, VendorCase> = {
  // --- Session replay -------------------------------------------------------------------------
  fullstory: {
    script: /^https:\/\/edge\.fullstory\.com\/s\/fs\.js$/,
    globals: ['FS', '_fs_org', '_fs_host', '_fs_script', '_fs_namespace'],
    // fs.js hands itself to the snippet's FS function through `_api` and drains `FS.q`.
    seen: {
      org: 'o-1BY118-na1',
      host: 'fullstory.com',
      script: 'edge.fullstory.com/s/fs.js',
      namespace: 'FS',
      version: '2.0.0',
      queue: [],
      keepsFetch: true,
      masked: true,
    },
    stopCalls: [['FS', 'shutdown']],
    beacon: { url: 'https://rs.fullstory.com/rec/bundle?OrgId=o-1BY118-na1', via: 'xhr' },
  },
  hotjar: {
    script: /^https:\/\/static\.hotjar\.com\/c\/hotjar-123456\.js\?sv=6$/,
    globals: ['hj', '_hjSettings'],
    seen: { settings: { hjid: 123456, hjsv: 6 }, queue: [], suppressed: true },
    beacon: { url: 'https://in.hotjar.com/api/v2/client/sites/123456/visit-data', via: 'xhr' },
  },
  contentsquare: {
    script: /^https:\/\/t\.contentsquare\.net\/uxa\/f6f72d509axzd\.js$/,
    globals: ['_uxa'],
    seen: {
      queue: [['optin'], ['setPath', expect.stringMatching(/^\/t\d+-[a-z0-9]+\/page-\d+\.html$/)]],
      masked: true,
    },
    stopCalls: [['_uxa', 'optout']],
    beacon: { url: 'https://c.contentsquare.net/pageview?pid=f6f72d509axzd', via: 'img' },
  },
  'microsoft-clarity': {
    script: /^https:\/\/www\.clarity\.ms\/tag\/vnmy25t03u$/,
    globals: ['clarity'],
    seen: { queue: [['consentv2', { ad_Storage: 'denied', analytics_Storage: 'granted' }]], mask: 'true' },
    stopCalls: [['clarity', 'stop']],
    beacon: { url: 'https://c.clarity.ms/collect', via: 'beacon' },
  },
  logrocket: {
    script: /^https:\/\/cdn\.logrocket\.io\/LogRocket\.min\.js$/,
    globals: ['LogRocket'],
    seen: { LogRocket: 'undefined' },
    loadCalls: [
      [
        'LogRocket.init',
        'my-org/my-app',
        {
          shouldCaptureIP: false,
          dom: { inputSanitizer: true, textSanitizer: true },
          network: { requestSanitizer: 'ƒ', responseSanitizer: 'ƒ' },
          browser: { urlSanitizer: 'ƒ' },
        },
      ],
    ],
    stopCalls: [['LogRocket.uninstall']],
    beacon: { url: 'https://r.logrocket.io/i', via: 'xhr' },
  },
  mouseflow: {
    script: /^https:\/\/cdn\.mouseflow\.com\/projects\/62d1dfac-cc7e-4965-984d-5dd5b973efde\.js$/,
    globals: ['_mfq', 'mouseflow'],
    seen: { queue: [], masked: true },
    stopCalls: [['mouseflow.stopSession']],
    beacon: { url: 'https://n2.mouseflow.com/events', via: 'xhr' },
  },
  smartlook: {
    script: /^https:\/\/web-sdk\.smartlook\.com\/recorder\.js$/,
    globals: ['smartlook'],
    seen: { api: [['init', '85aa51a7d9a02dad0ac1d269cf13e3e0b3989f09', { region: 'eu' }]], mask: 'mask' },
    stopCalls: [['smartlook', 'disable']],
    beacon: { url: 'https://web-writer.eu.smartlook.cloud/rec/v2/write', via: 'fetch' },
  },
  heap: {
    script: /^https:\/\/cdn\.us\.heap-api\.com\/config\/1234567890\/heap_config\.js$/,
    globals: ['heap', 'heapReadyCb'],
    // heap_config.js replaces the array stub with the SDK and runs what was queued for it.
    seen: {
      envId: '1234567890',
      clientConfig: { shouldFetchServerConfig: false, disableTextCapture: true },
      isArray: true,
      track: 'function',
    },
    stopCalls: [['heap.stopTracking'], ['heap.resetIdentity']],
    beacon: { url: 'https://c.us.heap-api.com/api/track', via: 'fetch' },
  },
  'quantum-metric': {
    script: /^https:\/\/cdn\.quantummetric\.com\/qscripts\/quantum-gnm\.js$/,
    globals: ['QuantumMetricAPI'],
    seen: { api: 'undefined' },
    beacon: { url: 'https://ingest.quantummetric.com/horizon/gnm', via: 'xhr' },
  },
  posthog: {
    script: /^https:\/\/us-assets\.i\.posthog\.com\/static\/array\.js$/,
    globals: ['posthog'],
    // array.js inits from the snippet's _i, merges the config over its defaults into posthog.config and
    // calls config.loaded(posthog) at the end of init.
    seen: {
      init: [
        [
          'phc_XXXXXXXXXXXXXXXXXXXX',
          {
            api_host: 'https://us.i.posthog.com',
            person_profiles: 'identified_only',
            mask_all_text: true,
            mask_all_element_attributes: true,
            disable_session_recording: false,
            session_recording: { maskAllInputs: true, maskTextSelector: '*' },
            loaded: 'ƒ',
          },
          'posthog',
        ],
      ],
      SV: 1,
      queue: [],
    },
    stopCalls: [['posthog.opt_out_capturing'], ['posthog.stopSessionRecording']],
    live: {
      settings: { maskInputs: true, maskText: true },
      weakened: { settings: { maskInputs: true, maskText: false }, weaker: ['maskText'] },
    },
    beacon: { url: 'https://us.i.posthog.com/e/', via: 'fetch' },
  },
  'sentry-replay': {
    script: /^https:\/\/js\.sentry-cdn\.com\/0123456789abcdef0123456789abcdef\.min\.js$/,
    globals: ['Sentry', 'sentryOnLoad'],
    // The Loader Script calls window.sentryOnLoad once the SDK is there; getReplay() returns the Replay
    // that init() installed. Weakened: the page's own Sentry already runs a Replay, so Sentry refuses
    // a second one and getReplay() returns that one.
    seen: { onLoad: 'function' },
    loadCalls: [
      [
        'Sentry.init',
        {
          dsn: 'https://0123456789abcdef0123456789abcdef@o0.ingest.sentry.io/0',
          sendDefaultPii: false,
          integrations: [
            {
              name: 'Replay',
              options: { maskAllText: true, maskAllInputs: true, blockAllMedia: true },
              stop: 'ƒ',
            },
          ],
          replaysSessionSampleRate: 0.1,
          replaysOnErrorSampleRate: 1,
        },
      ],
    ],
    stopCalls: [['Replay.stop'], ['Sentry.close']],
    beacon: { url: 'https://o0.ingest.sentry.io/api/0/envelope/', via: 'fetch' },
    live: {
      settings: { maskInputs: true, maskText: true, blockMedia: true },
      weakened: {
        settings: { maskInputs: null, maskText: null, blockMedia: null },
        weaker: ['maskInputs', 'maskText'],
      },
    },
  },
  'lucky-orange': {
    script: /^https:\/\/tools\.luckyorange\.com\/core\/lo\.js\?site-id=f7f4db75$/,
    globals: ['LO'],
    seen: { masked: true, deferred: true },
    beacon: { url: 'https://api.luckyorange.com/events', via: 'xhr' },
  },
  inspectlet: {
    script: /^https:\/\/cdn\.inspectlet\.com\/inspectlet\.js\?wid=1771092486&r=\d+$/,
    globals: ['__insp', '__inspld'],
    seen: { queue: [['wid', 1771092486]], loaded: 1, masked: true, id: 'inspsync' },
    beacon: { url: 'https://hn.inspectlet.com/capture', via: 'xhr' },
  },

  // --- Chat -----------------------------------------------------------------------------------
  intercom: {
    script: /^https:\/\/widget\.intercom\.io\/widget\/abc12345$/,
    globals: ['Intercom', 'intercomSettings'],
    seen: { settings: { api_base: 'https://api-iam.intercom.io', app_id: 'abc12345' }, queue: [] },
    stopCalls: [['Intercom', 'shutdown']],
    beacon: { url: 'https://api-iam.intercom.io/messenger/web/ping', via: 'xhr' },
    widget: {
      html: '<div id="intercom-container"><iframe title="Intercom live chat"></iframe></div>',
      selector: '#intercom-container',
      removedByStop: true,
    },
  },
  drift: {
    script: /^https:\/\/js\.driftt\.com\/include\/\d+\/mdgc5huhubck\.js$/,
    globals: ['drift', 'driftt'],
    seen: {
      same: true,
      invoked: true,
      version: '0.3.1',
      methods: ['identify', 'config', 'track', 'reset', 'debug', 'show', 'ping', 'page', 'hide', 'off', 'on'],
      queue: [],
    },
    stopCalls: [['drift.reset'], ['drift.unload']],
    beacon: { url: 'https://event.api.drift.com/track', via: 'fetch' },
    widget: {
      html: '<div id="drift-widget-container"><iframe title="Drift chat"></iframe></div>',
      selector: '#drift-widget-container',
      removedByStop: true,
    },
  },
  'zendesk-messaging': {
    script: /^https:\/\/static\.zdassets\.com\/ekr\/snippet\.js\?key=00000000-0000-0000-0000-000000000000$/,
    globals: ['zE'],
    seen: { zE: 'undefined', id: 'ze-snippet' },
    loadCalls: [['zE', 'messenger:set', 'cookies', 'functional']],
    stopCalls: [
      ['zE', 'messenger', 'close'],
      ['zE', 'messenger', 'hide'],
      ['zE', 'messenger:set', 'cookies', 'none'],
    ],
    beacon: { url: 'https://ekr.zdassets.com/compose/00000000-0000-0000-0000-000000000000', via: 'xhr' },
    // The adapter names no messenger containers: the page reload removes the frame.
    widget: {
      html: '<iframe id="launcher" title="Button to launch messaging window"></iframe>',
      selector: 'iframe[title="Button to launch messaging window"]',
      removedByStop: false,
    },
  },
  'zendesk-classic': {
    script: /^https:\/\/static\.zdassets\.com\/ekr\/snippet\.js\?key=00000000-0000-0000-0000-000000000000$/,
    globals: ['zE'],
    seen: { zE: 'undefined', id: 'ze-snippet' },
    stopCalls: [
      ['zE', 'webWidget', 'close'],
      ['zE', 'webWidget', 'hide'],
    ],
    beacon: { url: 'https://v2.zopim.com/w', via: 'xhr' },
    widget: {
      html: '<iframe id="launcher" title="Opens a widget where you can chat to one of our agents"></iframe>',
      selector: '#launcher',
      removedByStop: true,
    },
  },
  livechat: {
    script: /^https:\/\/cdn\.livechatinc\.com\/tracking\.js$/,
    globals: ['__lc', 'LiveChatWidget'],
    // tracking.js installs `_h`, through which the snippet's stub forwards every later call.
    seen: {
      lc: { license: 12345678, integration_name: 'manual_channels', product_name: 'livechat' },
      version: '2.0',
      queue: [],
    },
    stopCalls: [['LiveChatWidget.call', 'destroy']],
    beacon: { url: 'https://api.livechatinc.com/v3.5/customer/action/get_dynamic_configuration', via: 'xhr' },
    widget: {
      html: '<div id="chat-widget-container"><iframe title="LiveChat chat widget"></iframe></div>',
      selector: '#chat-widget-container',
      removedByStop: true,
    },
  },
  'hubspot-chat': {
    script: /^https:\/\/js\.hs-scripts\.com\/123456\.js$/,
    globals: ['_hsq', 'HubSpotConversations'],
    seen: { hsq: [['doNotTrack']], id: 'hs-script-loader', deferred: true },
    stopCalls: [
      ['HubSpotConversations.clear', { resetWidget: true }],
      ['HubSpotConversations.widget.remove'],
    ],
    beacon: { url: 'https://api.hubspot.com/livechat-public/v1/message/public', via: 'fetch' },
    widget: {
      html: '<div id="hubspot-messages-iframe-container"><iframe title="Chat Widget"></iframe></div>',
      selector: '#hubspot-messages-iframe-container',
      removedByStop: true,
    },
  },
  crisp: {
    script: /^https:\/\/client\.crisp\.chat\/l\.js$/,
    globals: ['$crisp', 'CRISP_WEBSITE_ID'],
    seen: { queue: [], website: '00000000-0000-0000-0000-000000000000' },
    stopCalls: [
      ['$crisp', 'do', 'chat:hide'],
      ['$crisp', 'do', 'session:reset'],
    ],
    beacon: { url: 'https://client.relay.crisp.chat/visitor/ping', via: 'xhr' },
    widget: {
      html: '<div class="crisp-client"><iframe title="Crisp chat"></iframe></div>',
      selector: '.crisp-client',
      removedByStop: true,
    },
  },
  tidio: {
    script: /^https:\/\/code\.tidio\.co\/abcdefghijklmnopqrstuvwxyz123456\.js$/,
    globals: ['tidioChatApi'],
    seen: { api: 'undefined' },
    stopCalls: [['tidioChatApi.hide']],
    beacon: { url: 'https://socket.tidio.co/socket.io/?EIO=4&transport=polling', via: 'xhr' },
    widget: {
      html: '<div id="tidio-chat"><iframe id="tidio-chat-iframe" title="Tidio Chat"></iframe></div>',
      selector: '#tidio-chat',
      removedByStop: true,
    },
  },
  olark: {
    script: /^https:\/\/static\.olark\.com\/jsclient\/loader\.js$/,
    globals: ['olark'],
    seen: { calls: [['identify', '1234-567-89-0123']], loader: 'static.olark.com/jsclient/loader.js' },
    stopCalls: [['olark', 'api.box.hide']],
    beacon: { url: 'https://knrpc.olark.com/nrpc/v1/ping', via: 'xhr' },
    widget: {
      html: '<div id="olark-wrapper"><iframe title="Olark chat"></iframe></div>',
      selector: '#olark-wrapper',
      removedByStop: true,
    },
  },
  'tawk-to': {
    script: /^https:\/\/embed\.tawk\.to\/5f0000000000000000000000\/default$/,
    globals: ['Tawk_API', 'Tawk_LoadStart'],
    seen: { api: {}, loadStart: true, charset: 'UTF-8', crossorigin: '*' },
    stopCalls: [['Tawk_API.endChat'], ['Tawk_API.shutdown']],
    beacon: { url: 'https://va.tawk.to/log', via: 'xhr' },
    // Its chat frame comes from its own host, which `stop()` removes.
    widget: {
      html: '<iframe src="https://embed.tawk.to/_s/v4/app/widget.html" title="chat widget"></iframe>',
      selector: 'iframe[title="chat widget"]',
      removedByStop: true,
    },
  },
  'salesforce-messaging': {
    script: /^https:\/\/x\.my\.site\.com\/ESWFDE011763545810631\/assets\/js\/bootstrap\.min\.js$/,
    globals: ['initEmbeddedMessaging', 'embeddedservice_bootstrap'],
    // bootstrap.min.js defines embeddedservice_bootstrap; the snippet's onload calls initEmbeddedMessaging.
    seen: { init: 'function' },
    loadCalls: [
      [
        'embeddedservice_bootstrap.init',
        'en_US',
        '00DgL00000EuD9X',
        'FDE01',
        'https://x.my.site.com/ESWFDE011763545810631',
        { scrt2URL: 'https://x.my.salesforce-scrt.com' },
      ],
    ],
    stopCalls: [
      ['embeddedservice_bootstrap.userVerificationAPI.clearSession', true],
      ['embeddedservice_bootstrap.utilAPI.removeAllComponents'],
    ],
    beacon: { url: 'https://x.my.salesforce-scrt.com/embeddedservice/v1/businesshours', via: 'fetch' },
    widget: {
      html: '<div class="embedded-messaging"><iframe title="Chat with an Agent"></iframe></div>',
      selector: '.embedded-messaging',
      removedByStop: true,
    },
  },
  freshchat: {
    script: /^https:\/\/wchat\.freshchat\.com\/js\/widget\.js$/,
    globals: ['fcWidget'],
    seen: { fcWidget: 'undefined', id: 'freshchat-js-sdk' },
    loadCalls: [
      [
        'fcWidget.init',
        { token: '00000000-0000-0000-0000-000000000000', host: 'https://wchat.freshchat.com' },
      ],
    ],
    stopCalls: [['fcWidget.user.clear'], ['fcWidget.destroy']],
    beacon: { url: 'https://wchat.freshchat.com/app/services/app/webchat/heartbeat', via: 'xhr' },
    widget: {
      html: '<div id="fc_frame"><iframe id="fc_widget" title="Chat"></iframe></div>',
      selector: '#fc_frame',
      removedByStop: true,
    },
  },

  // --- Analytics and advertising --------------------------------------------------------------
  'google-analytics-4': {
    script: /^https:\/\/www\.googletagmanager\.com\/gtag\/js\?id=G-XTXF9YF0NB$/,
    globals: ['dataLayer', 'gtag'],
    seen: {
      dataLayer: [
        ['consent', 'default', DENIED],
        ['consent', 'update', ANALYTICS_GRANTED],
        ['js', expect.any(String)],
        ['config', 'G-XTXF9YF0NB', { allow_google_signals: false, allow_ad_personalization_signals: false }],
      ],
      gtag: 'function',
    },
    // Consent Mode follows the withdrawal, then stop() denies again and sets ga-disable-<ID>.
    stopCalls: [
      ['dataLayer', 'consent', 'update', DENIED],
      ['dataLayer', 'consent', 'update', DENIED],
    ],
    beacon: { url: 'https://region1.google-analytics.com/g/collect?v=2&tid=G-XTXF9YF0NB', via: 'beacon' },
  },
  'google-tag-manager': {
    script: /^https:\/\/www\.googletagmanager\.com\/gtm\.js\?id=GTM-K9WNLJ5$/,
    globals: ['dataLayer', 'gtag'],
    seen: {
      dataLayer: [
        ['consent', 'default', DENIED],
        ['consent', 'update', ANALYTICS_GRANTED],
        { 'gtm.start': expect.any(Number), event: 'gtm.js' },
      ],
      gtag: 'function',
    },
    stopCalls: [
      ['dataLayer', 'consent', 'update', DENIED],
      ['dataLayer', 'consent', 'update', DENIED],
    ],
    // Tag Manager's own host serves only gtm.js and the noscript frame.
    beacon: { url: 'https://www.googletagmanager.com/ns.html?id=GTM-K9WNLJ5', via: 'img' },
  },
  'meta-pixel': {
    script: /^https:\/\/connect\.facebook\.net\/en_US\/fbevents\.js$/,
    globals: ['fbq', '_fbq'],
    // fbevents.js installs callMethod, which the snippet's fbq forwards to, and replays the queue.
    seen: {
      queue: [
        ['consent', 'revoke'],
        ['set', 'autoConfig', false, '123456789012345'],
        ['init', '123456789012345'],
        ['consent', 'grant'],
        ['track', 'PageView'],
      ],
      version: '2.0',
      loaded: true,
      same: true,
    },
    stopCalls: [['fbq', 'consent', 'revoke']],
    beacon: { url: 'https://www.facebook.com/tr/?id=123456789012345&ev=PageView', via: 'img' },
  },
  'tiktok-pixel': {
    script: /^https:\/\/analytics\.tiktok\.com\/i18n\/pixel\/events\.js\?sdkid=C4ABCDEFGHIJKLMNOPQR&lib=ttq$/,
    globals: ['ttq', 'TiktokAnalyticsObject'],
    seen: {
      object: 'ttq',
      queue: [['holdConsent'], ['grantConsent'], ['page']],
      url: 'https://analytics.tiktok.com/i18n/pixel/events.js',
    },
    stopCalls: [['ttq.revokeConsent'], ['ttq.disableCookie']],
    beacon: { url: 'https://analytics.tiktok.com/api/v2/pixel', via: 'fetch' },
  },
  'linkedin-insight': {
    script: /^https:\/\/snap\.licdn\.com\/li\.lms-analytics\/insight\.min\.js$/,
    globals: ['lintrk', '_linkedin_partner_id', '_linkedin_data_partner_ids'],
    seen: { partner: '1234567', partners: ['1234567'], queue: [] },
    beacon: { url: 'https://px.ads.linkedin.com/collect/?pid=1234567&fmt=gif', via: 'img' },
  },
  segment: {
    script:
      /^https:\/\/cdn\.segment\.com\/analytics\.js\/v1\/AbCdEf0123456789AbCdEf0123456789\/analytics\.min\.js$/,
    globals: ['analytics'],
    seen: {
      writeKey: 'AbCdEf0123456789AbCdEf0123456789',
      version: '5.2.0',
      loadOptions: { integrations: { All: false, 'Segment.io': true } },
      queue: [['page']],
      key: 'analytics',
    },
    stopCalls: [['analytics.reset']],
    beacon: { url: 'https://api.segment.io/v1/p', via: 'fetch' },
  },
  mixpanel: {
    script: /^https:\/\/cdn\.mxpnl\.com\/libs\/mixpanel-2-latest\.min\.js$/,
    globals: ['mixpanel'],
    // The library inits from the snippet's _i, answers get_config from that config and calls
    // config.loaded(mixpanel) once initialised.
    seen: {
      init: [
        [
          '0123456789abcdef0123456789abcdef',
          {
            autocapture: false,
            record_sessions_percent: 0,
            record_mask_all_text: true,
            record_mask_all_inputs: true,
            loaded: 'ƒ',
          },
          'mixpanel',
        ],
      ],
      SV: 1.2,
      queue: [],
      people: [],
    },
    stopCalls: [['mixpanel.stop_session_recording'], ['mixpanel.opt_out_tracking']],
    live: {
      settings: { maskInputs: true, maskText: true },
      weakened: { settings: { maskInputs: false, maskText: true }, weaker: ['maskInputs'] },
    },
    beacon: { url: 'https://api-js.mixpanel.com/track/?verbose=1', via: 'xhr' },
  },
  amplitude: {
    script: /^https:\/\/cdn\.amplitude\.com\/libs\/analytics-browser-2\.11\.1-min\.js\.gz$/,
    globals: ['amplitude'],
    seen: {
      invoked: true,
      queue: [
        [
          'init',
          '0123456789abcdef0123456789abcdef',
          {
            serverZone: 'US',
            autocapture: { elementInteractions: false, formInteractions: false },
            trackingOptions: { ipAddress: false },
          },
        ],
      ],
      crossorigin: 'anonymous',
    },
    stopCalls: [['amplitude.setOptOut', true], ['amplitude.reset']],
    beacon: { url: 'https://api2.amplitude.com/2/httpapi', via: 'fetch' },
  },
  'snap-pixel': {
    script: /^https:\/\/sc-static\.net\/scevent\.min\.js$/,
    globals: ['snaptr'],
    seen: {
      queue: [
        ['init', '00000000-0000-0000-0000-000000000000', {}],
        ['track', 'PAGE_VIEW'],
      ],
    },
    beacon: { url: 'https://tr.snapchat.com/p', via: 'img' },
  },
  'pinterest-tag': {
    script: /^https:\/\/s\.pinimg\.com\/ct\/core\.js$/,
    globals: ['pintrk'],
    seen: { version: '3.0', queue: [['load', '2612345678901'], ['page']] },
    beacon: { url: 'https://ct.pinterest.com/v3/?tid=2612345678901&event=init', via: 'img' },
  },
  'x-pixel': {
    script: /^https:\/\/static\.ads-twitter\.com\/uwt\.js$/,
    globals: ['twq'],
    seen: { version: '1.1', queue: [['config', 'o1a2b']] },
    beacon: { url: 'https://analytics.twitter.com/i/adsct?txn_id=o1a2b', via: 'img' },
  },
  'reddit-pixel': {
    script: /^https:\/\/www\.redditstatic\.com\/ads\/pixel\.js$/,
    globals: ['rdt'],
    seen: {
      queue: [
        ['init', 't2_abc123'],
        ['track', 'PageVisit'],
      ],
    },
    stopCalls: [['rdt', 'disableFirstPartyCookies']],
    beacon: { url: 'https://alb.reddit.com/rp.gif?id=t2_abc123&event=PageVisit', via: 'img' },
  },
  'microsoft-uet': {
    script: /^https:\/\/bat\.bing\.com\/bat\.js$/,
    globals: ['uetq', 'UET'],
    // bat.js defines UET; the snippet's onload turns the queue into an instance and records the page load.
    seen: {
      queue: ['consent', 'default', { ad_storage: 'denied' }, 'consent', 'update', { ad_storage: 'granted' }],
    },
    loadCalls: [
      ['UET', { ti: '343046885', enableAutoSpaTracking: true, queued: 6 }],
      ['uetq.push', 'pageLoad'],
    ],
    stopCalls: [['uetq.push', 'consent', 'update', { ad_storage: 'denied' }]],
    beacon: { url: 'https://bat.bing.com/action/0?ti=343046885&evt=pageLoad', via: 'img' },
  },
  'adobe-analytics': {
    script: /^https:\/\/assets\.adobedtm\.com\/0123456789ab\/cdef01234567\/launch-89abcdef0123\.min\.js$/,
    globals: ['alloy', '__alloyNS'],
    // The Web SDK resolves what the snippet's alloy queued, then answers calls itself.
    seen: {
      ns: ['alloy'],
      queue: [['setConsent', { consent: [{ standard: 'Adobe', version: '1.0', value: { general: 'in' } }] }]],
    },
    stopCalls: [
      [
        'alloy',
        'setConsent',
        { consent: [{ standard: 'Adobe', version: '1.0', value: { general: 'out' } }] },
      ],
    ],
    beacon: { url: 'https://edge.adobedc.net/ee/v1/interact', via: 'beacon' },
  },

  // --- Embeds ---------------------------------------------------------------------------------
  youtube: {
    script: null,
    globals: [],
    seen: undefined,
    beacon: { url: 'https://www.youtube-nocookie.com/youtubei/v1/log_event', via: 'fetch' },
    embed: {
      purpose: 'video',
      dataSrc: 'https://www.youtube.com/embed/dQw4w9WgXcQ?start=10',
      released: 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=10',
    },
  },
  vimeo: {
    script: null,
    globals: [],
    seen: undefined,
    beacon: { url: 'https://fresnel.vimeocdn.com/add/player-stats', via: 'fetch' },
    embed: {
      purpose: 'video',
      dataSrc: 'https://player.vimeo.com/video/76979871?h=8272103f6e',
      released: 'https://player.vimeo.com/video/76979871?h=8272103f6e&dnt=1',
    },
  },
  'google-maps': {
    script: null,
    globals: [],
    seen: undefined,
    beacon: { url: 'https://maps.googleapis.com/maps/api/js/GeoPhotoService.GetMetadata', via: 'fetch' },
    embed: {
      purpose: 'maps',
      dataSrc: 'https://www.google.com/maps/embed?pb=!1m18!1m12',
      released: 'https://www.google.com/maps/embed?pb=!1m18!1m12',
    },
  },
};
