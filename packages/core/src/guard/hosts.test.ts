import { describe, expect, it } from 'vitest';
import { compileHostTable, hostHasVendorRules, matchHost, parseHostPattern, siteOf } from './hosts';

const { table, invalid } = compileHostTable([
  { owner: 'hotjar', patterns: ['static.hotjar.com', '*.hotjar.io', 'wss://*.hotjar.com'] },
  { owner: 'google-analytics-4', patterns: ['www.googletagmanager.com/gtag/', '.google-analytics.com'] },
  {
    owner: 'google-tag-manager',
    patterns: ['www.googletagmanager.com/gtm.js', 'www.googletagmanager.com/ns.html'],
  },
  { owner: 'idn', patterns: ['tracker.bücher.example'] },
  { owner: 'ported', patterns: ['cdn.vendor.example:8443'] },
  { owner: null, patterns: ['fonts.gstatic.com', '*.site-cdn.example'] },
]);

const owner = (url: string) => {
  const u = new URL(url);
  return matchHost(table, u.hostname, u.port, u.pathname)?.owner;
};

describe('host patterns', () => {
  it('an exact host matches itself only', () => {
    expect(owner('https://static.hotjar.com/c/hotjar-1.js')).toBe('hotjar');
    expect(owner('https://evil-static.hotjar.com.example/')).toBeUndefined();
    expect(owner('https://hotjar.com/')).toBeUndefined();
  });

  it('*. matches any depth of subdomain but not the apex', () => {
    expect(owner('https://in.hotjar.io/x')).toBe('hotjar');
    expect(owner('https://a.b.c.hotjar.io/x')).toBe('hotjar');
    expect(owner('https://hotjar.io/x')).toBeUndefined();
    expect(owner('https://nothotjar.io/x')).toBeUndefined();
  });

  it('a leading dot matches the apex and subdomains', () => {
    expect(owner('https://google-analytics.com/g/collect')).toBe('google-analytics-4');
    expect(owner('https://region1.google-analytics.com/g/collect')).toBe('google-analytics-4');
  });

  it('the scheme in a pattern is ignored: WebSocket and https hosts are held alike', () => {
    expect(owner('wss://ws.hotjar.com/api')).toBe('hotjar');
    expect(owner('https://ws.hotjar.com/api')).toBe('hotjar');
  });

  it('path prefixes separate vendors that share a host', () => {
    expect(owner('https://www.googletagmanager.com/gtag/js?id=G-1')).toBe('google-analytics-4');
    expect(owner('https://www.googletagmanager.com/gtm.js?id=GTM-1')).toBe('google-tag-manager');
    expect(owner('https://www.googletagmanager.com/other')).toBeUndefined();
  });

  it('when vendors declare the same host, the preferred (configured) one owns it', () => {
    const shared = compileHostTable([
      { owner: 'contentsquare', patterns: ['*.contentsquare.net'] },
      { owner: 'hotjar', patterns: ['*.contentsquare.net'] },
    ]).table;
    expect(matchHost(shared, 'static.hj.contentsquare.net', '', '/')?.owner).toBe('contentsquare');
    expect(matchHost(shared, 'static.hj.contentsquare.net', '', '/', (o) => o === 'hotjar')?.owner).toBe(
      'hotjar',
    );
  });

  it('a preferred vendor owns a shared host it declares less specifically than another', () => {
    // Zendesk Messaging and Classic both load static.zdassets.com; the compact table keeps it
    // exact for Classic and as *.zdassets.com for Messaging.
    const shared = compileHostTable([
      { owner: 'zendesk-messaging', patterns: ['*.zdassets.com'] },
      { owner: 'zendesk-classic', patterns: ['static.zdassets.com'] },
    ]).table;
    const ownerOf = (prefer: string) =>
      matchHost(shared, 'static.zdassets.com', '', '/ekr/snippet.js', (o) => o === prefer)?.owner;
    expect(ownerOf('zendesk-messaging')).toBe('zendesk-messaging');
    expect(ownerOf('zendesk-classic')).toBe('zendesk-classic');
    // Neither preferred: the most specific one, as before.
    expect(ownerOf('other')).toBe('zendesk-classic');
    expect(matchHost(shared, 'static.zdassets.com', '', '/')?.owner).toBe('zendesk-classic');
  });

  it('internationalised names match in punycode, as URLs carry them', () => {
    expect(parseHostPattern('tracker.bücher.example', 'idn')?.host).toBe('tracker.xn--bcher-kva.example');
    expect(owner('https://tracker.bücher.example/p')).toBe('idn');
    expect(owner('https://TRACKER.BÜCHER.example/p')).toBe('idn');
  });

  it('a port in a pattern matches that port only; none means any', () => {
    expect(owner('https://cdn.vendor.example:8443/a.js')).toBe('ported');
    expect(owner('https://cdn.vendor.example/a.js')).toBeUndefined();
    expect(owner('https://static.hotjar.com:444/a.js')).toBe('hotjar');
  });

  it('allowed hosts have no owner', () => {
    expect(matchHost(table, 'fonts.gstatic.com', '', '/')).toMatchObject({ owner: null });
    expect(matchHost(table, 'img.site-cdn.example', '', '/')).toMatchObject({ owner: null });
  });

  it('invalid patterns are reported, not silently dropped', () => {
    const bad = compileHostTable([
      { owner: 'x', patterns: ['ok.example', 'bad host', 'x.example:port', 'a.*.example'] },
    ]);
    expect(bad.invalid).toEqual(['bad host', 'x.example:port', 'a.*.example']);
    expect(invalid).toEqual([]);
  });
});

describe('siteOf', () => {
  it.each([
    ['www.shop.example.com', 'example.com'],
    ['example.com', 'example.com'],
    ['a.b.example.co.uk', 'example.co.uk'],
    ['shop.example.com.au', 'example.com.au'],
    ['localhost', 'localhost'],
    ['127.0.0.1', '127.0.0.1'],
    ['[::1]', '[::1]'],
  ])('%s → %s', (host, site) => {
    expect(siteOf(host)).toBe(site);
  });
});

describe('hostHasVendorRules', () => {
  const { table } = compileHostTable([
    { owner: 'meta-pixel', patterns: ['shop.example/tr'] },
    { owner: 'hotjar', patterns: ['*.hotjar.com'] },
    { owner: 'google-analytics-4', patterns: ['.metrics.example'] },
    { owner: null, patterns: ['cdn.example', '.fonts.example'] },
  ]);
  it.each([
    ['shop.example', true], // exact, with a path
    ['www.shop.example', false],
    ['in.hotjar.com', true], // subdomain rule
    ['hotjar.com', false], // `*.` does not cover the apex
    ['metrics.example', true], // `.` covers the apex
    ['a.b.metrics.example', true],
    ['cdn.example', false], // allowed hosts are not vendors
    ['x.fonts.example', false],
  ])('%s → %s', (host, expected) => {
    expect(hostHasVendorRules(table, host)).toBe(expected);
  });
});
