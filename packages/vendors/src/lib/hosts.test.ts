import { describe, expect, it } from 'vitest';
import { parseHostPattern, patternsOverlap, urlMatches } from './hosts';

describe('host patterns', () => {
  it('parses the documented forms', () => {
    expect(parseHostPattern('static.hotjar.com')).toEqual({
      kind: 'exact',
      host: 'static.hotjar.com',
      port: null,
      path: null,
    });
    expect(parseHostPattern('*.hotjar.com')?.kind).toBe('subdomains');
    expect(parseHostPattern('.hotjar.com')?.kind).toBe('apex-and-subdomains');
    expect(parseHostPattern('cdn.example.com:8443')?.port).toBe('8443');
    expect(parseHostPattern('www.googletagmanager.com/gtag/')?.path).toBe('/gtag/');
    for (const bad of ['', 'https://a.com', 'A.com', 'a b.com', 'o*.ingest.sentry.io', '{id}.qm.com'])
      expect(parseHostPattern(bad)).toBeNull();
  });

  it('matches URLs by host, port and path prefix', () => {
    expect(urlMatches(['*.hotjar.com'], 'https://script.hotjar.com/x.js')).toBe(true);
    expect(urlMatches(['*.hotjar.com'], 'https://hotjar.com/')).toBe(false);
    expect(urlMatches(['.hotjar.com'], 'https://hotjar.com/')).toBe(true);
    expect(urlMatches(['*.hotjar.com'], 'https://evilhotjar.com/')).toBe(false);
    expect(urlMatches(['*.hotjar.com'], 'wss://ws.hotjar.com/')).toBe(true);
    expect(
      urlMatches(['www.googletagmanager.com/gtag/'], 'https://www.googletagmanager.com/gtag/js?id=G-1'),
    ).toBe(true);
    expect(
      urlMatches(['www.googletagmanager.com/gtag/'], 'https://www.googletagmanager.com/gtm.js?id=GTM-1'),
    ).toBe(false);
    expect(urlMatches(['cdn.example.com:8443'], 'https://cdn.example.com/x')).toBe(false);
    expect(urlMatches(['cdn.example.com:8443'], 'https://cdn.example.com:8443/x')).toBe(true);
    expect(urlMatches(['*.hotjar.com'], 'data:text/javascript,1')).toBe(false);
    expect(urlMatches(['*.hotjar.com'], 'not a url at all ::')).toBe(false);
  });

  it('finds overlaps between vendors, separated only by paths or ports', () => {
    expect(patternsOverlap('*.bing.com', 'c.bing.com')).toBe(true);
    expect(patternsOverlap('*.a.com', '.a.com')).toBe(true);
    expect(patternsOverlap('*.x.a.com', '.a.com')).toBe(true);
    expect(patternsOverlap('bat.bing.com', 'c.bing.com')).toBe(false);
    expect(patternsOverlap('www.googletagmanager.com/gtag/', 'www.googletagmanager.com/gtm.js')).toBe(false);
    expect(patternsOverlap('www.google.com/maps/', 'www.google.com/maps/embed')).toBe(true);
    expect(patternsOverlap('a.com:1', 'a.com:2')).toBe(false);
  });
});
