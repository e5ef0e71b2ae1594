import { beforeEach, describe, expect, it } from 'vitest';
import { resetPage, setCookie } from '../testing/harness';
import { cookieDomains, cookieNames, nameMatcher, purgeCookies, purgeStorage } from './purge';

describe('purge', () => {
  beforeEach(resetPage);

  it('matches exact names, prefixes and {id}, escaping everything else', () => {
    expect(nameMatcher({ name: '_hjSession_{id}' }, '123')('_hjSession_123')).toBe(true);
    expect(nameMatcher({ name: '_hjSession_{id}' }, '123')('_hjSession_456')).toBe(false);
    expect(nameMatcher({ name: '_hjSession_{id}' }, undefined)('_hjSession_456')).toBe(true);
    expect(nameMatcher({ name: '_hp2_id.{id}' }, '1')('_hp2_idX1')).toBe(false);
    expect(nameMatcher({ name: '_ga', prefix: true }, undefined)('_ga_ABC')).toBe(true);
    expect(nameMatcher({ name: '_ga' }, undefined)('_ga_ABC')).toBe(false);
  });

  it('walks from the host up to two labels', () => {
    expect(cookieDomains('www.shop.example.co.uk')).toEqual([
      'www.shop.example.co.uk',
      'shop.example.co.uk',
      'example.co.uk',
      'co.uk',
    ]);
    expect(cookieDomains('localhost')).toEqual(['localhost']);
    expect(cookieDomains('127.0.0.1')).toEqual(['127.0.0.1']);
  });

  it('deletes declared cookies on the host and parent domains, keeps opt-outs, third-party and unrelated cookies', () => {
    setCookie('_ga=1; path=/');
    setCookie('_ga_XYZ=1; path=/; domain=example.com');
    setCookie('_gid=1; path=/; domain=shop.example.com');
    setCookie('_hjOptedOut=true; path=/');
    setCookie('fr=1; path=/');
    setCookie('session=keep; path=/');
    setCookie('_gax=keep; path=/');
    const deleted = purgeCookies(
      [
        { name: '_ga', lifetime: '2 years' },
        { name: '_ga_', prefix: true, lifetime: '2 years' },
        { name: '_gid', lifetime: '24 hours' },
        { name: '_hjOptedOut', lifetime: '1 year', optOut: true },
        { name: 'fr', lifetime: '3 months', thirdParty: 'facebook.com' },
      ],
      undefined,
    );
    expect(deleted.sort()).toEqual(['_ga', '_ga_XYZ', '_gid']);
    expect(cookieNames().sort()).toEqual(['_gax', '_hjOptedOut', 'fr', 'session']);
  });

  it('deletes cookies set on the page path too', () => {
    setCookie('_fbp=1; path=/products');
    expect(cookieNames()).toContain('_fbp');
    purgeCookies([{ name: '_fbp', lifetime: '3 months' }], undefined);
    expect(cookieNames()).not.toContain('_fbp');
  });

  it('deletes declared storage keys in the right storage only', () => {
    localStorage.setItem('ajs_user_id', '1');
    localStorage.setItem('ajs_anonymous_id', '1');
    localStorage.setItem('keep', '1');
    sessionStorage.setItem('ajs_user_id', 'session copy, not declared');
    sessionStorage.setItem('sentryReplaySession', '1');
    const deleted = purgeStorage(
      [
        { key: 'ajs_', storage: 'local', prefix: true },
        { key: 'sentryReplaySession', storage: 'session' },
      ],
      undefined,
    );
    expect(deleted.sort()).toEqual([
      'local:ajs_anonymous_id',
      'local:ajs_user_id',
      'session:sentryReplaySession',
    ]);
    expect(localStorage.getItem('keep')).toBe('1');
    expect(sessionStorage.getItem('ajs_user_id')).toBe('session copy, not declared');
  });
});
