import { defineAdapter } from '../lib/define';
import { call, getGlobal, getPath, isFunction, isRecord, setGlobal } from '../lib/globals';
import { checkMinimum, verifyLive } from '../lib/live';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { LiveSettings, VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'sentry-replay',
  name: 'Sentry Session Replay',
  legalName: 'Functional Software, Inc. (Sentry)',
  category: 'replay',
  purposes: ['replay'],
  hosts: [
    '*.ingest.sentry.io',
    '*.ingest.us.sentry.io',
    '*.ingest.de.sentry.io',
    'browser.sentry-cdn.com',
    'js.sentry-cdn.com',
  ],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.replay, CONTENTS.network],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://sentry.io/privacy/',
  cookies: [],
  storageKeys: [{ key: 'sentryReplaySession', storage: 'session' }],
  masking:
    'The adapter initialises replayIntegration with maskAllText, maskAllInputs and blockAllMedia on (Sentry’s defaults, set explicitly so a changed default cannot weaken them); networkDetailAllowUrls stays empty so request and response bodies are never recorded.',
  liveSettings: {
    checked: ['maskInputs', 'maskText', 'blockMedia'],
    note: 'Sentry offers no getter for a Replay’s options, so after Sentry.init the adapter checks that Sentry.getReplay() is the integration it built with all masking on; any other Replay, or none, is unreadable.',
  },
  pinning: {
    version: true,
    publishedIntegrity: true,
    selfHost: true,
    note: 'The Loader Script changes with the project’s settings. With `version` the adapter loads the CDN bundle {version}/bundle.replay.min.js, whose SRI hash Sentry publishes; `src` serves that file from the site.',
  },
  unloadWithoutReload: 'partial',
  stopNote:
    'Sentry.getReplay().stop() and Sentry.close() stop replay and error reporting, but Sentry "does not support a teardown" of its instrumentation, so the page reloads with Sentry blocked.',
  configId: {
    setting: 'siteId',
    label: 'DSN',
    pattern: '^https://[0-9a-f]+@o[0-9]+\\.ingest\\.([a-z]{2}\\.)?sentry\\.io/[0-9]+$',
    example: 'https://0123456789abcdef0123456789abcdef@o0.ingest.sentry.io/0',
  },
  options: [
    {
      name: 'sessionSampleRate',
      description: 'share of sessions recorded (replaysSessionSampleRate, 0 to 1)',
      required: false,
      pattern: '^(0(\\.[0-9]+)?|1(\\.0+)?)$',
      default: '0.1',
      example: '0.1',
    },
    {
      name: 'onErrorSampleRate',
      description: 'share of sessions with an error recorded (replaysOnErrorSampleRate, 0 to 1)',
      required: false,
      pattern: '^(0(\\.[0-9]+)?|1(\\.0+)?)$',
      default: '1.0',
      example: '1.0',
    },
    {
      name: 'version',
      description: 'SDK version of the CDN bundle to load instead of the Loader Script (R32)',
      required: false,
      pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+$',
      example: '10.57.0',
    },
  ],
  notes: [
    'This adapter loads the whole Sentry SDK through the project’s Loader Script under the replay purpose, and the guard holds the Sentry ingest hosts until replay is granted. A site that reports errors with its own bundled Sentry SDK should add replay there (gated on allparty.has("replay")) instead of using this adapter.',
  ],
  scriptUrls: [
    'npm @sentry/browser with Sentry.replayIntegration()',
    'https://browser.sentry-cdn.com/{version}/bundle.tracing.replay.min.js (CDN bundles)',
    'https://js.sentry-cdn.com/{publicKey}.min.js (Loader Script)',
    'https://browser.sentry-cdn.com/{version}/bundle.replay.min.js (with `version`)',
  ],
  confidence: 'high',
  unconfirmed: [
    "whether the project's Loader Script settings must include Session Replay for replayIntegration to be available on load",
  ],
  sources: [
    'npm:@sentry-internal/replay@10.57.0/build/npm/cjs/index.js (maskAllText/maskAllInputs/blockAllMedia = true)',
    'npm:@sentry-internal/replay@10.57.0/build/npm/types/integration.d.ts (start/stop)',
    'npm:@sentry-internal/replay@10.57.0/build/npm/types/constants.d.ts',
    'https://docs.sentry.io/platforms/javascript/guides/react/session-replay/privacy/',
    'https://sentry.io/quickstart/session-replay',
    'github:getsentry/sentry-javascript@013d473/packages/replay-internal/src/integration.ts (private options)',
    'https://github.com/getsentry/sentry-javascript/pull/6431 (CDN bundle SRI hashes)',
    'npm:@sentry/browser@10.46.0/build/npm/types/index.bundle.replay.d.ts',
  ],
};

/** The public key of a DSN (`https://KEY@o0.ingest.sentry.io/0` → KEY), which names the Loader Script. */
export function sentryPublicKey(dsn: string): string {
  return /^https:\/\/([0-9a-f]+)@/.exec(dsn)?.[1] ?? '';
}

/**
 * Sentry's live privacy settings (R16): all on when the Replay integration running is the one the
 * adapter built (with maskAllInputs, maskAllText and blockAllMedia), unreadable otherwise, since
 * Sentry offers no way to read a Replay integration's options back.
 */
export function sentryLiveSettings(sentry: unknown, built: unknown): LiveSettings {
  let running: unknown;
  try {
    running = isRecord(sentry) && isFunction(sentry.getReplay) ? sentry.getReplay() : undefined;
  } catch {
    running = undefined;
  }
  const ours = built !== undefined && running === built ? true : null;
  return { maskInputs: ours, maskText: ours, blockMedia: ours };
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  check: (settings, errors) => checkMinimum(manifest, settings, errors),
  load(settings, context) {
    const dsn = settings.id;
    const start = () => {
      const replayIntegration = getPath('Sentry', 'replayIntegration');
      let built: unknown;
      try {
        // Sentry throws if the page already set up a Replay of its own; that one is checked below.
        built = isFunction(replayIntegration)
          ? replayIntegration({ maskAllText: true, maskAllInputs: true, blockAllMedia: true })
          : undefined;
      } catch {
        built = undefined;
      }
      call(['Sentry', 'init'], {
        dsn,
        sendDefaultPii: false,
        integrations: built === undefined ? [] : [built],
        replaysSessionSampleRate: Number(settings.string('sessionSampleRate')),
        replaysOnErrorSampleRate: Number(settings.string('onErrorSampleRate')),
      });
      verifyLive(adapter, context, sentryLiveSettings(getGlobal('Sentry'), built));
    };
    const version = settings.string('version');
    if (version) {
      // R32: the versioned CDN bundle (its SRI hash published by Sentry), started once it has run.
      const script = injectScript(
        manifest.id,
        `https://browser.sentry-cdn.com/${version}/bundle.replay.min.js`,
        context,
        { crossOrigin: true },
      );
      script.addEventListener('load', start);
      return;
    }
    // The Loader Script calls window.sentryOnLoad once the SDK is there (Sentry's documented hook).
    setGlobal('sentryOnLoad', start);
    injectScript(manifest.id, `https://js.sentry-cdn.com/${sentryPublicKey(dsn)}.min.js`, context, {
      crossOrigin: true,
    });
  },
  shutdown() {
    const getReplay = getPath('Sentry', 'getReplay');
    if (isFunction(getReplay)) {
      try {
        const replay = getReplay();
        if (isRecord(replay) && isFunction(replay.stop)) replay.stop();
      } catch {
        // Sentry.close() below still runs.
      }
    }
    call(['Sentry', 'close']);
  },
});
