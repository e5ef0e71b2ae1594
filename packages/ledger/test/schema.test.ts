// @vitest-environment node
import { readFileSync } from 'node:fs';
import type { ConsentRecord } from '@allparty/core';
import { describe, expect, it } from 'vitest';
import { canonicalJson, consentRecordSchema, createRecordValidator } from '../src/index';
import { makeRecord } from './helpers';

// Every field of ConsentRecord, optional ones included: adding or removing a field in core
// without the schema (or the other way round) breaks this object's type or the test below.
const FIELDS: Record<keyof Required<ConsentRecord>, true> = {
  schema: true,
  id: true,
  subject: true,
  previous: true,
  clientTime: true,
  event: true,
  method: true,
  purposes: true,
  vendors: true,
  notice: true,
  policy: true,
  controller: true,
  jurisdiction: true,
  gpc: true,
  sdk: true,
  page: true,
  expires: true,
  loads: true,
  serverTime: true,
  ipHmac: true,
  clockSkew: true,
};

describe('consent record schema', () => {
  it('is published as JSON exactly as defined in source', () => {
    const published = JSON.parse(
      readFileSync(new URL('../consent-record.schema.json', import.meta.url), 'utf8'),
    );
    expect(published).toEqual(JSON.parse(JSON.stringify(consentRecordSchema)));
  });

  it('names exactly the fields of ConsentRecord', () => {
    expect(Object.keys(consentRecordSchema.properties).sort()).toEqual(Object.keys(FIELDS).sort());
    const required = Object.keys(FIELDS).filter(
      (k) => !['expires', 'loads', 'serverTime', 'ipHmac', 'clockSkew'].includes(k),
    );
    expect([...consentRecordSchema.required].sort()).toEqual(required.sort());
  });

  const check = createRecordValidator();

  it('accepts a full record, with loads, and every method', () => {
    const id = makeRecord().id;
    const loads = [
      {
        kind: 'request' as const,
        vendor: 'hotjar',
        host: 'static.hotjar.com',
        via: 'script',
        t: 12.5,
        record: id,
      },
    ];
    expect(check(makeRecord({ loads }))).toMatchObject({ ok: true });
    for (const method of [
      { type: 'api', userActivation: false },
      { type: 'gpc' },
      { type: 'expiry' },
    ] as const)
      expect(check(makeRecord({ method })).ok).toBe(true);
    expect(
      check(makeRecord({ policy: null, controller: null, jurisdiction: { region: null, source: 'unknown' } }))
        .ok,
    ).toBe(true);
  });

  it('accepts settings entries (R16), and records made before them are unchanged', () => {
    const id = makeRecord().id;
    const entry = {
      kind: 'settings' as const,
      vendor: 'posthog',
      host: '',
      via: 'adapter',
      t: 40,
      record: id,
    };
    const compliant = { ...entry, settings: { maskInputs: true, maskText: true }, weaker: [] };
    const refused = {
      ...entry,
      settings: { maskInputs: true, maskText: false, blockMedia: null },
      weaker: ['maskText'],
    };
    expect(check(makeRecord({ loads: [compliant, refused] }))).toMatchObject({ ok: true });
    const older = {
      kind: 'request' as const,
      vendor: 'hotjar',
      host: 'static.hotjar.com',
      via: 'script',
      t: 1,
      record: id,
    };
    expect(check(makeRecord({ loads: [older] }))).toMatchObject({ ok: true });
  });

  it('accepts ledger entries kept from an earlier page view (page and start, D5), and refuses a page with a query string', () => {
    const entry = {
      kind: 'held' as const,
      vendor: 'hotjar',
      host: 'static.hotjar.com',
      via: 'fetch',
      t: 12,
      record: null,
    };
    const kept = { ...entry, page: '/product/mug', start: '2026-06-01T10:00:00.000Z' };
    expect(check(makeRecord({ loads: [kept, entry] }))).toMatchObject({ ok: true });
    expect(check(makeRecord({ loads: [{ ...kept, page: '/product?email=a@b.c' }] })).ok).toBe(false);
    expect(check(makeRecord({ loads: [{ ...kept, start: 'yesterday' }] })).ok).toBe(false);
  });

  const settingsEntry = (extra: Record<string, unknown>) => ({
    loads: [{ kind: 'settings', vendor: 'posthog', host: '', via: 'adapter', t: 1, record: null, ...extra }],
  });
  const bad: Array<[string, (r: Record<string, unknown>) => void, RegExp]> = [
    [
      'a settings value that is not a flag',
      (r) => Object.assign(r, settingsEntry({ settings: { maskText: 'typed text' } })),
      /\/loads\/0\/settings/,
    ],
    [
      'a settings name that is not a name',
      (r) => Object.assign(r, settingsEntry({ settings: { 'mask text': true } })),
      /\/loads\/0\/settings/,
    ],
    [
      'a weaker list with text in it',
      (r) => Object.assign(r, settingsEntry({ weaker: ['<b>x</b>'] })),
      /\/loads\/0\/weaker/,
    ],
    ['an unknown field', (r) => (r.typed = 'hello'), /unknown field "typed"/],
    ['a wrong type', (r) => (r.gpc = 'yes'), /\/gpc/],
    ['another version', (r) => (r.schema = 'allparty.consent-record/2'), /unknown record version/],
    ['a missing version', (r) => delete r.schema, /unknown record version/],
    ['an invalid UUID', (r) => (r.id = 'not-a-uuid'), /\/id/],
    ['a UUIDv4 id', (r) => (r.id = '0b6d2a4e-1c2f-4d3e-8f4a-5b6c7d8e9f01'), /\/id/],
    ['a query string', (r) => (r.page = { origin: 'https://a.example', path: '/p?email=x' }), /\/page\/path/],
    ['a fragment', (r) => (r.page = { origin: 'https://a.example', path: '/p#x' }), /\/page\/path/],
    [
      'a huge string',
      (r) => (r.notice = { id: 'x'.repeat(100_000), version: '1', language: 'en', hash: 'a'.repeat(64) }),
      /\/notice\/id/,
    ],
    ['a bad time', (r) => (r.clientTime = 'yesterday'), /\/clientTime/],
    ['a server field', (r) => (r.serverTime = new Date().toISOString()), /set by the server/],
    ['an unknown event', (r) => (r.event = 'maybe'), /\/event/],
    ['an unknown method field', (r) => (r.method = { type: 'gpc', text: 'typed' }), /\/method/],
  ];
  for (const [name, mutate, reason] of bad)
    it(`refuses ${name} with a reason`, () => {
      const r = makeRecord() as unknown as Record<string, unknown>;
      mutate(r);
      const result = check(r);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(reason);
    });

  it('refuses non-objects', () => {
    for (const v of [null, 1, 'x', [], [makeRecord()]]) expect(check(v).ok).toBe(false);
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops nothing else', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: null }, true] })).toBe(
      '{"a":[{"c":null,"d":"x"},true],"b":1}',
    );
    expect(canonicalJson({ é: 1, z: 2, A: 3 })).toBe('{"A":3,"z":2,"é":1}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
  });
});
