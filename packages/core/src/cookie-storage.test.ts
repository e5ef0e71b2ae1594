// biome-ignore-all lint/suspicious/noDocumentCookie: the tests write cookies as the page (and earlier versions) did, to read them back through cookieStorage
// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cookieStorage } from './cookie-storage';

afterEach(() => {
  for (const pair of document.cookie.split(/; */))
    if (pair) document.cookie = `${pair.split('=')[0]}=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT`;
});

describe('cookieStorage', () => {
  it('reads back what it wrote, whatever the characters', () => {
    const storage = cookieStorage({ name: 'consent_x' });
    const value = '{"v":1,"vendors":{"hotjar":true},"note":"a; b=c %41 é"}';
    storage.write(value);
    expect(storage.read()).toBe(value);
    expect(document.cookie).not.toContain(';"');
  });

  it('reads a cookie written by earlier versions, which left some characters unencoded', () => {
    document.cookie = 'other=1; path=/';
    document.cookie = 'allparty=%7B%22v%22:1,%22vendors%22:%7B%22hotjar%22:true%7D%7D; path=/';
    document.cookie = 'allparty2=no; path=/';
    expect(cookieStorage().read()).toBe('{"v":1,"vendors":{"hotjar":true}}');
  });

  it('is null when the cookie is missing or not percent-decodable, and clear removes it', () => {
    const storage = cookieStorage({ name: 'c' });
    expect(storage.read()).toBeNull();
    document.cookie = 'c=%E0%A4%A; path=/';
    expect(storage.read()).toBeNull();
    storage.write('yes');
    expect(storage.read()).toBe('yes');
    storage.clear();
    expect(storage.read()).toBeNull();
  });
});
