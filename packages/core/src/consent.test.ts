import { hotjar, intercom, metaPixel } from '@allparty/test-utils/vendors';
import { describe, expect, it, vi } from 'vitest';
import { parseConfig } from './config';
import { applyGpc, createConsent } from './consent';
import type { ConsentRecord } from './record';
import { decodeState, memoryStorage } from './storage';
import type { VendorDescriptor } from './vendor';

const vendors: VendorDescriptor[] = [hotjar, metaPixel, intercom];

function setup(
  overrides: Record<string, unknown> = {},
  opts: { activation?: boolean; gpc?: boolean; now?: number } = {},
) {
  const parsed = parseConfig(
    {
      vendors: { hotjar: { siteId: '1' }, 'meta-pixel': { pixelId: '1' }, intercom: { appId: 'abc' } },
      ...overrides,
    },
    { vendors },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const storage = memoryStorage();
  let now = opts.now ?? Date.UTC(2026, 5, 1);
  const warn = vi.fn();
  const make = () =>
    createConsent({
      config: parsed.config,
      vendors,
      storage,
      now: () => now,
      userActivation: () => opts.activation ?? true,
      gpc: () => opts.gpc ?? false,
      page: () => ({ origin: 'https://shop.example', path: '/checkout' }),
      console: { warn, error: vi.fn(), info: vi.fn() },
    });
  return { consent: make(), make, storage, warn, advance: (ms: number) => (now += ms) };
}

describe('set() (D3)', () => {
  it("a vendor grant grants the purpose it needs, records a grant, and leaves that purpose's other vendors undecided", () => {
    const more: VendorDescriptor = {
      id: 'tiktok-pixel',
      legalName: 'TikTok Inc.',
      purposes: ['advertising'],
      hosts: ['*.tiktok.com'],
    };
    const parsed = parseConfig(
      { vendors: { 'meta-pixel': {}, 'tiktok-pixel': {}, hotjar: {} } },
      { vendors: [...vendors, more] },
    );
    if (!parsed.ok) throw new Error('config');
    const consent = createConsent({
      config: parsed.config,
      vendors: [...vendors, more],
      storage: memoryStorage(),
      userActivation: () => true,
      gpc: () => false,
      console: { warn: vi.fn(), error: vi.fn(), info: vi.fn() },
    });
    const records: ConsentRecord[] = [];
    consent.on('record', (r) => records.push(r));
    expect(consent.set({ vendors: { 'meta-pixel': true } })).toBe(true);
    expect(records.map((r) => [r.event, r.purposes, r.vendors])).toEqual([
      ['given', { advertising: true }, { 'meta-pixel': true }],
    ]);
    expect(consent.has('advertising', 'meta-pixel')).toBe(true);
    expect(consent.get().vendors['tiktok-pixel']).toBe(false);
    expect(consent.get().pendingVendors).toContain('tiktok-pixel');
  });

  it('refuses with false, records nothing and warns for an unknown purpose, an unconfigured vendor or a contradiction', () => {
    const { consent, warn } = setup();
    const records: ConsentRecord[] = [];
    const refused: string[] = [];
    consent.on('record', (r) => records.push(r));
    consent.on('refused', ({ reason }) => refused.push(reason));
    expect(consent.set({ purposes: { nonsense: true } })).toBe(false);
    expect(consent.set({ vendors: { 'google-analytics-4': true } })).toBe(false);
    expect(consent.set({ vendors: { 'google-analytics-4': false } })).toBe(false);
    expect(consent.set({ purposes: { advertising: false }, vendors: { 'meta-pixel': true } })).toBe(false);
    expect(records).toEqual([]);
    expect(refused).toHaveLength(4);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringContaining('purpose "nonsense" is not in use'),
      expect.stringContaining('vendor "google-analytics-4" is not configured'),
      expect.stringContaining('vendor "google-analytics-4" is not configured'),
      expect.stringContaining('"meta-pixel" cannot be granted while its purpose "advertising" is refused'),
    ]);
    expect(consent.get().needsDecision).toBe(true);
  });

  it('never records a refusal for a vendor the call asked to allow', () => {
    const { consent } = setup();
    const records: ConsentRecord[] = [];
    consent.on('record', (r) => records.push(r));
    consent.set({ vendors: { 'meta-pixel': true, hotjar: true } });
    expect(records.map((r) => r.event)).toEqual(['given']);
    expect(Object.values(records[0]!.vendors).every(Boolean)).toBe(true);
  });
});

describe('createConsent', () => {
  it('a first visit needs a decision and grants nothing', () => {
    const { consent } = setup();
    expect(consent.get().needsDecision).toBe(true);
    expect(consent.has('replay')).toBe(false);
    expect(consent.has('necessary')).toBe(true);
  });

  it('acceptAll with a user gesture grants, stores, records and releases', () => {
    const { consent, storage } = setup();
    const records: ConsentRecord[] = [];
    const released: string[][] = [];
    consent.on('record', (r) => records.push(r));
    consent.on('release', (r) => released.push(r.vendors));
    expect(consent.acceptAll({ control: 'accept-all' })).toBe(true);
    expect(consent.has('replay', 'hotjar')).toBe(true);
    expect(consent.has('replay', 'intercom')).toBe(false); // intercom is not a replay vendor
    expect(released).toEqual([['hotjar', 'meta-pixel', 'intercom']]);
    expect(records).toHaveLength(1);
    const r = records[0]!;
    expect(r).toMatchObject({
      schema: 'allparty.consent-record/1',
      event: 'given',
      method: { type: 'control', control: 'accept-all' },
      previous: null,
      page: { origin: 'https://shop.example', path: '/checkout' },
      purposes: { replay: true, advertising: true, chat: true },
      gpc: false,
    });
    expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.notice.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.expires).toBe(new Date(Date.UTC(2026, 5, 1) + 365 * 86_400_000).toISOString());
    expect(decodeState(storage.value)?.vendors).toEqual({ hotjar: true, 'meta-pixel': true, intercom: true });
  });

  it('records chain: each record names the previous one', () => {
    const { consent } = setup();
    const records: ConsentRecord[] = [];
    consent.on('record', (r) => records.push(r));
    consent.acceptAll();
    consent.withdraw(['replay']);
    expect(records.map((r) => r.event)).toEqual(['given', 'withdrawn']);
    expect(records[1]!.previous).toBe(records[0]!.id);
  });

  it('a grant from script without user activation is refused and said so; a refusal is not', () => {
    const { consent, warn } = setup({}, { activation: false });
    const refused = vi.fn();
    consent.on('refused', refused);
    expect(consent.acceptAll()).toBe(false);
    expect(consent.has('replay')).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('without a user gesture was refused'));
    expect(refused).toHaveBeenCalledOnce();
    expect(consent.rejectAll()).toBe(true);
    expect(consent.get().needsDecision).toBe(false);
  });

  it('scriptGrants "allow" lets script grant, and the record says there was no activation', () => {
    const { consent } = setup({ scriptGrants: 'allow' }, { activation: false });
    const records: ConsentRecord[] = [];
    consent.on('record', (r) => records.push(r));
    expect(consent.acceptAll()).toBe(true);
    expect(records[0]!.method).toEqual({ type: 'api', userActivation: false });
  });

  it('a returning visitor gets stored grants synchronously, with no decision needed', () => {
    const { consent, make } = setup();
    consent.set({ purposes: { replay: true, advertising: false, chat: false } });
    const again = make();
    expect(again.get().needsDecision).toBe(false);
    expect(again.get().vendors).toEqual({ hotjar: true, 'meta-pixel': false, intercom: false });
  });

  it('a tampered cookie yields the first-visit state', () => {
    const { consent, make, storage } = setup();
    consent.acceptAll();
    storage.value = storage.value!.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    const again = make();
    expect(again.get().needsDecision).toBe(true);
    expect(again.has('replay')).toBe(false);
  });

  it('an expired consent is recorded as expired and asked again', () => {
    const { consent, make, advance } = setup({ expiryDays: 30 });
    consent.acceptAll();
    advance(31 * 86_400_000);
    const records: ConsentRecord[] = [];
    const again = make();
    again.on('record', (r) => records.push(r));
    expect(again.get().needsDecision).toBe(true);
    expect(again.has('replay')).toBe(false);
    // Made at start-up, before anyone listened: delivered to the first listener.
    expect(records.map((r) => r.event)).toEqual(['expired']);
    expect(records[0]!.method).toEqual({ type: 'expiry' });
  });

  it('GPC refuses advertising without asking and records gpc-applied; it never grants', () => {
    const { consent } = setup({}, { gpc: true });
    const records: ConsentRecord[] = [];
    consent.on('record', (r) => records.push(r));
    expect(applyGpc(consent)).toBe(true);
    expect(records[0]).toMatchObject({
      event: 'gpc-applied',
      method: { type: 'gpc' },
      purposes: { advertising: false },
      gpc: true,
    });
    expect(consent.get().purposes.advertising).toBe(false);
    expect(consent.get().pendingPurposes).not.toContain('advertising');
    expect(consent.get().pendingPurposes).toContain('replay');
    // Applied once; not again on the next call.
    expect(applyGpc(consent)).toBe(false);
  });

  it('under GPC, Accept all grants everything but advertising, nothing grants advertising, and the next page view changes nothing (D2)', () => {
    const { consent, make, warn } = setup({}, { gpc: true });
    const records: ConsentRecord[] = [];
    consent.on('record', (r) => records.push(r));
    applyGpc(consent);
    expect(consent.acceptAll({ control: 'accept-all' })).toBe(true);
    expect(records.map((r) => r.event)).toEqual(['gpc-applied', 'partial']);
    expect(records[1]).toMatchObject({
      purposes: { replay: true, chat: true, advertising: false },
      vendors: { hotjar: true, intercom: true, 'meta-pixel': false },
    });
    expect(consent.has('advertising')).toBe(false);
    expect(consent.get().vendors['meta-pixel']).toBe(false);
    expect(consent.get().needsDecision).toBe(false);
    expect(consent.set({ purposes: { advertising: true } })).toBe(false);
    expect(consent.set({ vendors: { 'meta-pixel': true } })).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Global Privacy Control is on'));
    expect(records).toHaveLength(2);
    // The next page view: the stored decision stands, GPC has nothing to undo.
    const next = make();
    const later: ConsentRecord[] = [];
    next.on('record', (r) => later.push(r));
    expect(applyGpc(next)).toBe(false);
    expect(later).toEqual([]);
    expect(next.get().vendors).toMatchObject({ hotjar: true, intercom: true, 'meta-pixel': false });
  });

  it('the notice hash is the SHA-256 of the text the UI rendered', async () => {
    const { consent } = setup();
    const { createHash } = await import('node:crypto');
    const text = 'We use Hotjar (Hotjar Ltd) to record your clicks, scrolling and what you type.';
    const hash = consent.setNotice(`  ${text}\n `, 'en');
    expect(hash).toBe(createHash('sha256').update(text).digest('hex'));
    const records: ConsentRecord[] = [];
    consent.on('record', (r) => records.push(r));
    consent.acceptAll();
    expect(records[0]!.notice).toMatchObject({ hash, language: 'en' });
    expect(consent.noticeText(hash)).toBe(text);
  });

  it('show() asks the UI to open', () => {
    const { consent } = setup();
    const shown = vi.fn();
    consent.on('show', shown);
    consent.show({ preferences: true });
    expect(shown).toHaveBeenCalledWith({ preferences: true });
  });
});
