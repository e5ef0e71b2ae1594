import { describe, expect, it } from 'vitest';
import type { ControlId } from './controls';
import {
  anyGranted,
  bulkChoices,
  type ConsentContext,
  type ConsentState,
  checkChoices,
  currentChoices,
  gpcBlocks,
  gpcOptOut,
  initialState,
  reaskedVendors,
  togglePurpose,
  toggleVendor,
  transition,
  vendorAllowed,
  vendorGrant,
  view,
} from './state';

const DAY = 86_400_000;
const ctx: ConsentContext = {
  purposes: ['analytics', 'replay', 'chat'],
  vendors: { ga4: ['analytics'], hotjar: ['replay'], clarity: ['replay'], intercom: ['chat'] },
  fingerprints: { analytics: 'fa', replay: 'fr', chat: 'fc' },
  lifetime: 365 * DAY,
};
const T0 = Date.UTC(2026, 0, 1);
const ui = (control: ControlId) => ({ type: 'control' as const, control });

function decide(
  state: ConsentState,
  purposes: Record<string, boolean>,
  vendors?: Record<string, boolean>,
  now = T0,
) {
  return transition(ctx, state, {
    type: 'decide',
    choices: vendors ? { purposes, vendors } : { purposes },
    method: ui('save'),
    now,
  });
}

describe('consent state transitions', () => {
  it('starts with nothing granted and everything pending', () => {
    const v = view(ctx, initialState('subject-1'), T0);
    expect(v.purposes).toEqual({ necessary: true, analytics: false, replay: false, chat: false });
    expect(Object.values(v.vendors).some(Boolean)).toBe(false);
    expect(v.pendingPurposes).toEqual(['analytics', 'replay', 'chat']);
    expect(v.needsDecision).toBe(true);
  });

  it('grant: releases every vendor of the granted purposes and records "given"', () => {
    const { state, effects } = decide(initialState('s'), { analytics: true, replay: true, chat: true });
    const v = view(ctx, state, T0);
    expect(v.vendors).toEqual({ ga4: true, hotjar: true, clarity: true, intercom: true });
    expect(v.needsDecision).toBe(false);
    expect(effects.find((e) => e.type === 'record')).toMatchObject({ event: 'given' });
    expect(effects.find((e) => e.type === 'release')).toMatchObject({
      vendors: ['ga4', 'hotjar', 'clarity', 'intercom'],
    });
    expect(effects.some((e) => e.type === 'stop')).toBe(false);
  });

  it('refuse: nothing released, "refused" recorded, nothing pending', () => {
    const { state, effects } = decide(initialState('s'), { analytics: false, replay: false, chat: false });
    const v = view(ctx, state, T0);
    expect(Object.values(v.vendors).some(Boolean)).toBe(false);
    expect(v.needsDecision).toBe(false);
    expect(effects.find((e) => e.type === 'record')).toMatchObject({ event: 'refused' });
    expect(effects.some((e) => e.type === 'release')).toBe(false);
  });

  it('partial: per-purpose and per-vendor choices, recorded as "partial"', () => {
    const { state, effects } = decide(
      initialState('s'),
      { analytics: true, replay: true, chat: false },
      { hotjar: true, clarity: false },
    );
    const v = view(ctx, state, T0);
    expect(v.vendors).toEqual({ ga4: true, hotjar: true, clarity: false, intercom: false });
    expect(effects.find((e) => e.type === 'record')).toMatchObject({
      event: 'partial',
      vendors: { ga4: true, hotjar: true, clarity: false, intercom: false },
    });
  });

  it('a vendor cannot be granted while its purpose is refused', () => {
    const { state } = decide(initialState('s'), { replay: false }, { hotjar: true });
    expect(view(ctx, state, T0).vendors.hotjar).toBe(false);
  });

  it('withdraw: stops exactly the withdrawn purposes’ vendors and records "withdrawn"', () => {
    const granted = decide(initialState('s'), { analytics: true, replay: true, chat: true }).state;
    const { state, effects } = transition(ctx, granted, {
      type: 'withdraw',
      purposes: ['replay'],
      method: ui('stop-recording'),
      now: T0 + 1000,
    });
    const v = view(ctx, state, T0 + 1000);
    expect(v.vendors).toEqual({ ga4: true, hotjar: false, clarity: false, intercom: true });
    expect(effects.find((e) => e.type === 'stop')).toMatchObject({
      vendors: ['hotjar', 'clarity'],
      purposes: ['replay'],
    });
    expect(effects.find((e) => e.type === 'record')).toMatchObject({
      event: 'withdrawn',
      purposes: { replay: false },
    });
    expect(effects.map((e) => e.type)).toEqual(['store', 'record', 'stop']);
  });

  it('withdraw with no purposes withdraws all', () => {
    const granted = decide(initialState('s'), { analytics: true, replay: true, chat: true }).state;
    const { state } = transition(ctx, granted, { type: 'withdraw', method: ui('reject-all'), now: T0 });
    expect(Object.values(view(ctx, state, T0).vendors).some(Boolean)).toBe(false);
  });

  it('a changed notice asks again for that purpose only', () => {
    const granted = decide(initialState('s'), { analytics: true, replay: true, chat: true }).state;
    const changed = { ...ctx, fingerprints: { ...ctx.fingerprints, replay: 'fr2' } };
    const v = view(changed, granted, T0);
    expect(v.pendingPurposes).toEqual(['replay']);
    expect(v.vendors).toEqual({ ga4: true, hotjar: false, clarity: false, intercom: true });
    expect(v.needsDecision).toBe(true);
  });

  it('a new vendor asks again for that vendor only, its purpose staying granted for the others', () => {
    const granted = decide(initialState('s'), { analytics: true, replay: true, chat: true }).state;
    const grown: ConsentContext = { ...ctx, vendors: { ...ctx.vendors, fullstory: ['replay'] } };
    const v = view(grown, granted, T0);
    expect(v.pendingPurposes).toEqual([]);
    expect(v.pendingVendors).toEqual(['fullstory']);
    expect(v.vendors).toMatchObject({ hotjar: true, fullstory: false });
    // Answering for the new vendor alone settles it.
    const next = transition(grown, granted, {
      type: 'decide',
      choices: { vendors: { fullstory: true } },
      method: ui('save'),
      now: T0,
    });
    expect(view(grown, next.state, T0)).toMatchObject({ needsDecision: false, vendors: { fullstory: true } });
  });

  it('a new purpose asks again for that purpose only', () => {
    const granted = decide(initialState('s'), { analytics: true, replay: true, chat: true }).state;
    const grown: ConsentContext = {
      ...ctx,
      purposes: [...ctx.purposes, 'advertising'],
      vendors: { ...ctx.vendors, meta: ['advertising'] },
      fingerprints: { ...ctx.fingerprints, advertising: 'fad' },
    };
    const v = view(grown, granted, T0);
    expect(v.pendingPurposes).toEqual(['advertising']);
    expect(v.vendors).toMatchObject({ ga4: true, hotjar: true, meta: false });
  });

  it('expiry: decisions older than the lifetime are pending again and recorded as "expired"', () => {
    const granted = decide(initialState('s'), { analytics: true, replay: true, chat: true }).state;
    const later = T0 + 366 * DAY;
    expect(view(ctx, granted, later).needsDecision).toBe(true);
    expect(view(ctx, granted, later).vendors.hotjar).toBe(false);
    const { state, effects } = transition(ctx, granted, { type: 'expire', now: later });
    expect(effects.find((e) => e.type === 'record')).toMatchObject({
      event: 'expired',
      method: { type: 'expiry' },
      purposes: { analytics: false, replay: false, chat: false },
    });
    expect(state.purposes).toEqual({});
    // Nothing expired yet: no effects at all.
    expect(transition(ctx, granted, { type: 'expire', now: T0 + DAY }).effects).toEqual([]);
  });

  it('a decision dated in the future (clock tampering) is not honoured', () => {
    const granted = decide(initialState('s'), { replay: true }, undefined, T0 + 10 * DAY).state;
    expect(view(ctx, granted, T0).purposes.replay).toBe(false);
  });

  it('decisions about unknown purposes change nothing and record nothing', () => {
    const s = initialState('s');
    expect(decide(s, { unknown: true }).effects).toEqual([]);
  });

  it('necessary-only vendors are always on', () => {
    const withCdn: ConsentContext = { ...ctx, vendors: { ...ctx.vendors, fonts: ['necessary'] } };
    expect(view(withCdn, initialState('s'), T0).vendors.fonts).toBe(true);
    expect(view(withCdn, initialState('s'), T0).pendingVendors).not.toContain('fonts');
  });
});

describe('consent rules the UI applies', () => {
  // A page with advertising too, so the GPC rules have something to keep off.
  const page: ConsentContext = {
    purposes: ['analytics', 'replay', 'chat', 'advertising'],
    vendors: {
      ga4: ['analytics'],
      hotjar: ['replay'],
      intercom: ['chat'],
      drift: ['chat'],
      meta: ['advertising'],
      'ads-analytics': ['analytics', 'advertising'],
      fonts: ['necessary'],
    },
    fingerprints: { analytics: 'fa', replay: 'fr', chat: 'fc', advertising: 'fad' },
    lifetime: 365 * DAY,
  };
  const first = view(page, initialState('s'), T0);
  const after = (choices: Record<string, boolean>, vendors?: Record<string, boolean>) =>
    view(
      page,
      transition(page, initialState('s'), {
        type: 'decide',
        choices: vendors ? { purposes: choices, vendors } : { purposes: choices },
        method: ui('save'),
        now: T0,
      }).state,
      T0,
    );

  it('a vendor needs every purpose it serves; necessary always counts as granted', () => {
    expect(vendorAllowed(['analytics', 'advertising'], (p) => p === 'analytics')).toBe(false);
    expect(vendorAllowed(['analytics', 'advertising'], () => true)).toBe(true);
    expect(vendorAllowed(['necessary'], () => false)).toBe(true);
  });

  it('GPC blocks the GPC purposes (advertising) and only while it is on', () => {
    expect(gpcBlocks(['analytics', 'advertising'], true)).toBe(true);
    expect(gpcBlocks(['analytics'], true)).toBe(false);
    expect(gpcBlocks(['advertising'], false)).toBe(false);
  });

  it('Accept all grants every purpose and vendor; under GPC the GPC purposes and their vendors stay off', () => {
    expect(bulkChoices(page, first, true, false)).toEqual({
      purposes: { analytics: true, replay: true, chat: true, advertising: true },
      vendors: {
        ga4: true,
        hotjar: true,
        intercom: true,
        drift: true,
        meta: true,
        'ads-analytics': true,
        fonts: true,
      },
    });
    const gpc = bulkChoices(page, first, true, true);
    expect(gpc.purposes).toEqual({ analytics: true, replay: true, chat: true, advertising: false });
    expect(gpc.vendors).toMatchObject({ ga4: true, meta: false, 'ads-analytics': false });
    expect(Object.values(bulkChoices(page, first, false, false).vendors).some(Boolean)).toBe(false);
  });

  it('in a re-ask, Accept decides only what is pending and keeps an earlier refusal of a purpose', () => {
    // Everything but advertising granted; then a video purpose appears, with two vendors.
    const decided = transition(page, initialState('s'), {
      type: 'decide',
      choices: { purposes: { analytics: true, replay: true, chat: true, advertising: false } },
      method: ui('save'),
      now: T0,
    }).state;
    const grown: ConsentContext = {
      ...page,
      purposes: [...page.purposes, 'video'],
      vendors: { ...page.vendors, youtube: ['video'], 'video-ads': ['video', 'advertising'] },
      fingerprints: { ...page.fingerprints, video: 'fv' },
    };
    const v = view(grown, decided, T0);
    expect(reaskedVendors(grown, v, false)).toEqual(['youtube', 'video-ads']);
    expect(bulkChoices(grown, v, true, false, v.pendingPurposes, v.pendingVendors)).toEqual({
      purposes: { video: true },
      vendors: { youtube: true, 'video-ads': false },
    });
  });

  it('a first visit is not a re-ask, even when GPC turned advertising off', () => {
    expect(reaskedVendors(page, first, false)).toBeNull();
    const gpcApplied = after({ advertising: false });
    expect(reaskedVendors(page, gpcApplied, true)).toBeNull();
    expect(reaskedVendors(page, gpcApplied, false)).not.toBeNull();
  });

  it('the preference switches start from the view; a necessary-only vendor has none', () => {
    const v = after({ analytics: true, replay: false, chat: false, advertising: false });
    expect(currentChoices(page, v)).toEqual({
      purposes: { analytics: true, replay: false, chat: false, advertising: false },
      vendors: {
        ga4: true,
        hotjar: false,
        intercom: false,
        drift: false,
        meta: false,
        'ads-analytics': false,
      },
    });
  });

  it('a purpose switch carries its vendors; a vendor switch turns its purposes on', () => {
    const start = currentChoices(page, first);
    const analytics = togglePurpose(page, start, 'analytics', true);
    // ads-analytics also needs advertising, still off.
    expect(analytics.vendors).toMatchObject({ ga4: true, 'ads-analytics': false });
    const ads = toggleVendor(page, analytics, 'ads-analytics', true);
    expect(ads.purposes).toMatchObject({ analytics: true, advertising: true });
    expect(ads.vendors).toMatchObject({ 'ads-analytics': true, meta: false });
    expect(togglePurpose(page, ads, 'analytics', false).vendors).toMatchObject({
      ga4: false,
      'ads-analytics': false,
    });
  });

  it('one vendor granted (a chat start) leaves the other vendors of its purpose as they were', () => {
    const v = after({ chat: true }, { intercom: false, drift: true });
    expect(vendorGrant(page, v, 'intercom', ['chat'])).toEqual({
      purposes: { chat: true },
      vendors: { drift: true, intercom: true },
    });
  });

  it('GPC opts out of advertising when it is pending or granted, and has nothing to do once it is off', () => {
    expect(gpcOptOut(page, first)).toEqual({ advertising: false });
    expect(gpcOptOut(page, after({ advertising: true }))).toEqual({ advertising: false });
    expect(gpcOptOut(page, after({ advertising: false }))).toBeNull();
    expect(gpcOptOut({ ...page, purposes: ['analytics'] }, first)).toBeNull();
  });

  it('set() choices: a vendor grant implies its purposes; unknown ids, contradictions and GPC grants are refused', () => {
    expect(checkChoices(page, { vendors: { hotjar: true } }, false)).toEqual({
      choices: { purposes: { replay: true }, vendors: { hotjar: true } },
      implied: ['replay'],
    });
    expect(checkChoices(page, { purposes: { maps: true } }, false)).toContain('purpose "maps" is not in use');
    expect(checkChoices(page, { vendors: { nobody: true } }, false)).toContain(
      'vendor "nobody" is not configured',
    );
    expect(checkChoices(page, { purposes: { replay: false }, vendors: { hotjar: true } }, false)).toContain(
      'while its purpose "replay" is refused',
    );
    expect(checkChoices(page, { vendors: { meta: true } }, true)).toContain('Global Privacy Control is on');
  });

  it('something is granted once any purpose shown is', () => {
    expect(anyGranted(page, first)).toBe(false);
    expect(anyGranted(page, after({ chat: true }))).toBe(true);
  });
});
