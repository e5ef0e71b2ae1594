import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mixpanelLiveSettings } from '../adapters/mixpanel';
import { posthogConfig, posthogLiveSettings } from '../adapters/posthog';
import { sentryLiveSettings } from '../adapters/sentry-replay';
import { adapters } from '../testing/adapters';
import { contextFor, resetPage } from '../testing/harness';
import type { AdapterContext, StopResult, VendorAdapter } from '../types';
import { checkMinimum, DEFAULT_MINIMUM, minimumOf, verifyLive, weakerThan } from './live';

describe('the site’s minimum', () => {
  it('defaults to inputs and text masked, for the settings the adapter checks', () => {
    expect(DEFAULT_MINIMUM).toEqual({ maskInputs: true, maskText: true });
    expect(minimumOf(['maskInputs', 'maskText', 'blockMedia'], undefined)).toEqual({
      maskInputs: true,
      maskText: true,
    });
    expect(minimumOf(['maskInputs'], undefined)).toEqual({ maskInputs: true });
  });

  it('takes the site’s own values over the defaults', () => {
    expect(
      minimumOf(['maskInputs', 'maskText', 'blockMedia'], { maskText: false, blockMedia: true }),
    ).toEqual({
      maskInputs: true,
      blockMedia: true,
    });
    // A setting the adapter does not check cannot be required of it.
    expect(minimumOf(['maskInputs'], { blockMedia: true })).toEqual({ maskInputs: true });
  });

  it('finds what is weaker: off, unreadable, or missing', () => {
    const minimum = { maskInputs: true, maskText: true };
    expect(weakerThan({ maskInputs: true, maskText: true }, minimum)).toEqual([]);
    expect(weakerThan({ maskInputs: true, maskText: false }, minimum)).toEqual(['maskText']);
    expect(weakerThan({ maskInputs: null, maskText: true }, minimum)).toEqual(['maskInputs']);
    expect(weakerThan({}, minimum)).toEqual(['maskInputs', 'maskText']);
    expect(weakerThan({ maskInputs: false }, {})).toEqual([]);
  });

  it('validates vendors.<id>.minimum against the settings the adapter reads', () => {
    const manifest = adapters['sentry-replay']!.manifest;
    const errors = (minimum: unknown) => {
      const out: Array<{ path: string; message: string }> = [];
      checkMinimum(manifest, { minimum }, out);
      return out;
    };
    expect(errors(undefined)).toEqual([]);
    expect(errors({ maskInputs: true, blockMedia: false })).toEqual([]);
    const refused = [
      {
        path: 'vendors.sentry-replay.minimum',
        message:
          'must be an object of true or false for maskInputs, maskText, blockMedia, the settings Sentry Session Replay exposes',
      },
    ];
    expect(errors(['maskText'])).toEqual(refused);
    expect(errors({ typingPreview: false })).toEqual(refused);
    expect(errors({ maskText: 1 })).toEqual(refused);
    expect(errors(null)).toEqual(refused);
  });

  it('is only a known setting where the adapter checks live settings', () => {
    expect(adapters.hotjar!.validate({ siteId: '123456', minimum: { maskText: true } })).toEqual([
      { path: 'vendors.hotjar.minimum', message: expect.stringContaining('unknown setting') },
    ]);
  });
});

describe('verifyLive', () => {
  beforeEach(resetPage);
  afterEach(() => vi.restoreAllMocks());

  /** A stand-in adapter around the PostHog manifest that counts stop and purge. */
  function fakeAdapter(): VendorAdapter & { stops: number; purges: number } {
    const real = adapters.posthog!;
    const fake = {
      manifest: real.manifest,
      validate: real.validate,
      load: () => true,
      stops: 0,
      purges: 0,
      stop(): StopResult {
        fake.stops++;
        return { unloaded: false, reason: 'test' };
      },
      purge() {
        fake.purges++;
      },
    };
    return fake;
  }

  function context(settings: Record<string, unknown> = { siteId: 'phc_abc' }) {
    const hold = vi.fn<() => void>();
    const ctx: AdapterContext & { hold: typeof hold } = { ...contextFor('posthog', settings), hold };
    return ctx;
  }

  it('records compliant settings against the grant and lets the vendor run', () => {
    const adapter = fakeAdapter();
    const ctx = context();
    expect(verifyLive(adapter, ctx, { maskInputs: true, maskText: true })).toBe(true);
    const entry = ctx.consent.ledger().find((e) => e.kind === 'settings');
    expect(entry).toEqual({
      kind: 'settings',
      vendor: 'posthog',
      host: '',
      via: 'adapter',
      t: expect.any(Number),
      record: ctx.consent.get().record,
      settings: { maskInputs: true, maskText: true },
      weaker: [],
    });
    expect(entry?.record).toMatch(/^[0-9a-f-]{36}$/);
    expect(ctx.hold).not.toHaveBeenCalled();
    expect(adapter.stops + adapter.purges).toBe(0);
  });

  it('records only the settings the manifest checks, null for those not read', () => {
    const ctx = context();
    verifyLive(fakeAdapter(), ctx, { maskInputs: true, blockMedia: false });
    expect(ctx.consent.ledger().find((e) => e.kind === 'settings')?.settings).toEqual({
      maskInputs: true,
      maskText: null,
    });
  });

  it('refuses weaker settings: holds the hosts, stops and purges once, names vendor and setting', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const adapter = fakeAdapter();
    const ctx = context();
    expect(verifyLive(adapter, ctx, { maskInputs: false, maskText: null })).toBe(false);
    expect(ctx.consent.ledger().find((e) => e.kind === 'settings')?.weaker).toEqual([
      'maskInputs',
      'maskText',
    ]);
    expect(ctx.hold).toHaveBeenCalledTimes(1);
    expect(adapter.stops).toBe(1);
    expect(adapter.purges).toBe(1);
    expect(error).toHaveBeenCalledTimes(1);
    const message = String(error.mock.calls[0]![0]);
    expect(message).toContain('PostHog was stopped');
    expect(message).toContain('maskInputs is off');
    expect(message).toContain('maskText is unreadable');
    expect(message).toContain('vendors.posthog.minimum');
  });

  it('follows the site’s minimum', () => {
    const ctx = context({ siteId: 'phc_abc', minimum: { maskText: false } });
    expect(verifyLive(fakeAdapter(), ctx, { maskInputs: true, maskText: false })).toBe(true);
  });

  it('still stops a refused vendor when the caller passes no hold (npm users hold it themselves)', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const adapter = fakeAdapter();
    const { hold: _, ...ctx } = context();
    expect(verifyLive(adapter, ctx, { maskInputs: false, maskText: true })).toBe(false);
    expect(adapter.stops).toBe(1);
  });
});

describe('reading live settings from the vendors', () => {
  it('PostHog: posthog.config, with maskAllInputs on unless set to false', () => {
    expect(posthogLiveSettings({ config: posthogConfig('us', true) })).toEqual({
      maskInputs: true,
      maskText: true,
    });
    expect(posthogLiveSettings({ config: { mask_all_text: true, session_recording: {} } })).toEqual({
      maskInputs: true,
      maskText: false,
    });
    expect(
      posthogLiveSettings({
        config: { mask_all_text: true, session_recording: { maskAllInputs: false, maskTextSelector: '*' } },
      }),
    ).toEqual({ maskInputs: false, maskText: true });
    // Text masking needs both: autocapture text (mask_all_text) and replay text (selector "*").
    expect(
      posthogLiveSettings({ config: { mask_all_text: false, session_recording: { maskTextSelector: '*' } } }),
    ).toEqual({ maskInputs: true, maskText: false });
    expect(
      posthogLiveSettings({
        config: { mask_all_text: true, session_recording: { maskTextSelector: '.secret' } },
      }).maskText,
    ).toBe(false);
    expect(posthogLiveSettings({})).toEqual({ maskInputs: null, maskText: null });
    expect(posthogLiveSettings(undefined)).toEqual({ maskInputs: null, maskText: null });
  });

  it('Sentry: all on only when the running Replay is the one the adapter built', () => {
    const built = { name: 'Replay' };
    const all = (v: boolean | null) => ({ maskInputs: v, maskText: v, blockMedia: v });
    expect(sentryLiveSettings({ getReplay: () => built }, built)).toEqual(all(true));
    expect(sentryLiveSettings({ getReplay: () => ({ name: 'Replay' }) }, built)).toEqual(all(null));
    expect(sentryLiveSettings({ getReplay: () => undefined }, undefined)).toEqual(all(null));
    expect(sentryLiveSettings({}, built)).toEqual(all(null));
    expect(
      sentryLiveSettings(
        {
          getReplay: () => {
            throw new Error('broken');
          },
        },
        built,
      ),
    ).toEqual(all(null));
  });

  it('Mixpanel: get_config of the replay masking options', () => {
    const config: Record<string, unknown> = { record_mask_all_inputs: true, record_mask_all_text: true };
    const mixpanel = {
      config,
      get_config(this: { config: Record<string, unknown> }, name: string) {
        return this.config[name];
      },
    };
    expect(mixpanelLiveSettings(mixpanel)).toEqual({ maskInputs: true, maskText: true });
    config.record_mask_all_text = false;
    expect(mixpanelLiveSettings(mixpanel)).toEqual({ maskInputs: true, maskText: false });
    delete config.record_mask_all_inputs;
    expect(mixpanelLiveSettings(mixpanel).maskInputs).toBe(false);
    expect(mixpanelLiveSettings({})).toEqual({ maskInputs: null, maskText: null });
    expect(
      mixpanelLiveSettings({
        get_config: () => {
          throw new Error('broken');
        },
      }),
    ).toEqual({ maskInputs: null, maskText: null });
  });
});
