import { describe, expect, it } from 'vitest';
import { sha256 } from './sha256';
import type { ConsentState } from './state';
import { decodeState, encodeState } from './storage';

const state: ConsentState = {
  subject: 'AbCdEfGh12345678',
  lastRecord: '0190d0a0-0000-7000-8000-000000000001',
  purposes: { replay: { granted: true, fingerprint: 'abcdef0123456789', at: 1_767_225_600_000 } },
  vendors: { hotjar: true, clarity: false },
};

describe('stored consent', () => {
  it('round-trips', () => {
    expect(decodeState(encodeState(state))).toEqual(state);
  });

  it('stays compact', () => {
    expect(encodeState(state).length).toBeLessThan(300);
  });

  it.each([
    ['missing', null],
    ['empty', ''],
    ['garbled', 'not-a-cookie'],
    ['future version', encodeState(state).replace(/^1\./, '2.')],
    ['bad base64', '1.%%%.abcdefabcdef'],
    ['truncated', encodeState(state).slice(0, -5)],
    ['too long', `1.${'A'.repeat(5000)}.abcdefabcdef`],
  ])('a %s value means no consent, never an exception', (_name, value) => {
    expect(decodeState(value)).toBeNull();
  });

  it('a hand-edited value (grant flipped) is rejected by the checksum', () => {
    const [v, payload, sum] = encodeState({ ...state, vendors: { hotjar: false } }).split('.');
    const json = atob(payload!.replace(/-/g, '+').replace(/_/g, '/')).replace('"hotjar":0', '"hotjar":1');
    const edited = btoa(json).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(decodeState(`${v}.${edited}.${sum}`)).toBeNull();
  });

  it('a well-formed checksum over a wrong shape is still rejected', () => {
    const forge = (obj: unknown) => {
      const json = JSON.stringify(obj);
      const b64 = btoa(json).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      return `1.${b64}.${sha256(json).slice(0, 12)}`;
    };
    expect(decodeState(forge({ s: 'AbCdEfGh12345678', l: null, p: {}, v: { hotjar: 1 } }))).not.toBeNull();
    expect(decodeState(forge({ s: 'AbCdEfGh12345678', l: null, p: {}, v: { hotjar: true } }))).toBeNull();
    expect(decodeState(forge({ s: 'x', l: null, p: {}, v: {} }))).toBeNull();
    expect(
      decodeState(forge({ s: 'AbCdEfGh12345678', l: null, p: { replay: [2, '', 0] }, v: {} })),
    ).toBeNull();
    expect(decodeState(forge({ s: 'AbCdEfGh12345678', l: 'nope', p: {}, v: {} }))).toBeNull();
    expect(decodeState(forge({ s: 'AbCdEfGh12345678', l: null, p: {}, v: {}, extra: 1 }))).toBeNull();
    expect(decodeState(forge([1, 2]))).toBeNull();
  });
});
