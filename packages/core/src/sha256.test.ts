import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256 } from './sha256';

const node = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('sha256', () => {
  it('matches the FIPS 180-2 test vectors', () => {
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('matches node:crypto for every length across block boundaries and for non-ASCII text', () => {
    for (let n = 0; n < 200; n++) {
      const s = 'é✓'.repeat(n % 7) + 'x'.repeat(n);
      expect(sha256(s)).toBe(node(s));
    }
    const notice = 'Hotjar (Contentsquare SA) records your clicks, scrolling and what you type. 你好';
    expect(sha256(notice)).toBe(node(notice));
  });
});
