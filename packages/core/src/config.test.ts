import { googleAnalytics, hotjar } from '@allparty/test-utils/vendors';
import { describe, expect, it } from 'vitest';
import { formatConfigErrors, parseConfig } from './config';
import type { VendorDescriptor } from './vendor';

const vendors: VendorDescriptor[] = [hotjar, googleAnalytics];
const parse = (input: unknown) => parseConfig(input, { vendors });
const errors = (input: unknown) => {
  const r = parse(input);
  return r.ok ? [] : r.errors;
};

describe('config', () => {
  it('accepts a minimal config and fills defaults', () => {
    const r = parse({ vendors: { hotjar: { siteId: '123' } } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({
      allow: [],
      unregistered: 'block',
      log: null,
      language: 'auto',
      expiryDays: 365,
      scriptGrants: 'refuse',
      cookie: { name: 'allparty', domain: null },
    });
  });

  it.each([
    [null, '(root)', /JSON object/],
    [[], '(root)', /JSON object/],
    [{}, 'vendors', /required/],
    [{ vendors: [] }, 'vendors', /object keyed by adapter id/],
    [{ vendors: { hotjr: {} } }, 'vendors.hotjr', /no adapter "hotjr" \(did you mean "hotjar"\?\)/],
    [{ vendors: { hotjar: 'yes' } }, 'vendors.hotjar', /must be an object/],
    [{ vendors: { hotjar: { snippet: 'yes' } } }, 'vendors.hotjar.snippet', /true or false/],
    [
      { vendors: { hotjar: { purposes: ['analytics'] } } },
      'vendors.hotjar.purposes[0]',
      /not declared for "analytics"/,
    ],
    [
      { vendors: { hotjar: { purposes: ['necessary'] } } },
      'vendors.hotjar.purposes[0]',
      /not declared|captures the contents/,
    ],
    [{ vendors: { hotjar: { purposes: ['nope'] } } }, 'vendors.hotjar.purposes[0]', /unknown purpose/],
    [{ vendors: { hotjar: { hosts: 'x.example' } } }, 'vendors.hotjar.hosts', /array of host patterns/],
    [{ vendors: { hotjar: { hosts: ['bad host'] } } }, 'vendors.hotjar.hosts[0]', /not a host pattern/],
    [{ vendors: {}, alow: [] }, 'alow', /unknown option \(did you mean "allow"\?\)/],
    [{ vendors: {}, allow: ['https ://bad host'] }, 'allow[0]', /not a host pattern/],
    [{ vendors: {}, allow: 'cdn.example.com' }, 'allow', /array/],
    [{ vendors: {}, unregistered: 'ignore' }, 'unregistered', /"block", "report"/],
    [{ vendors: {}, log: { endpoint: 'consent' } }, 'log.endpoint', /URL or a path/],
    [{ vendors: {}, log: 'x' }, 'log', /endpoint/],
    [{ vendors: {}, language: 'English' }, 'language', /language tag/],
    [{ vendors: {}, theme: 'blue' }, 'theme', /"light", "dark", "auto"/],
    [{ vendors: {}, expiryDays: 0 }, 'expiryDays', /1 to 730/],
    [{ vendors: {}, expiryDays: 1000 }, 'expiryDays', /1 to 730/],
    [{ vendors: {}, expiryDays: '365' }, 'expiryDays', /whole number/],
    [{ vendors: {}, cookie: { name: 'bad name' } }, 'cookie.name', /letters, digits/],
    [{ vendors: {}, cookie: { domain: 'not a domain' } }, 'cookie.domain', /not a domain/],
    [{ vendors: {}, cookie: { path: '/' } }, 'cookie.path', /unknown option/],
    [{ vendors: {}, jurisdiction: 'California' }, 'jurisdiction', /ISO 3166/],
    [{ vendors: {}, scriptGrants: true }, 'scriptGrants', /"refuse", "allow"/],
    [{ vendors: {}, purposes: { 'Bad Id': {} } }, 'purposes.Bad Id', /lowercase/],
    [
      { vendors: {}, purposes: { personalisation: { title: 'x' } } },
      'purposes.personalisation.title',
      /object of strings/,
    ],
    [{ vendors: {}, texts: { es: { acceptAll: 1 } } }, 'texts.es.acceptAll', /must be a string/],
    [{ vendors: {}, controller: { email: 'a@b.c' } }, 'controller', /"name"/],
    [{ vendors: {}, policy: { url: 'privacy' } }, 'policy.url', /URL or a path/],
    [{ vendors: {}, contact: { url: 'call us' } }, 'contact', /url/],
  ])('%j is refused at %s', (input, path, message) => {
    const found = errors(input);
    const hit = found.find((e) => e.path === path);
    expect(hit, JSON.stringify(found)).toBeDefined();
    expect(hit!.message).toMatch(message);
  });

  it('reports every error at once, and the console message names each field', () => {
    const found = errors({ vendors: { hotjr: {} }, theme: 'blue', expiryDays: -1 });
    expect(found.map((e) => e.path).sort()).toEqual(['expiryDays', 'theme', 'vendors.hotjr']);
    const message = formatConfigErrors(found);
    expect(message).toContain('failing closed');
    expect(message).toContain('  - theme: must be one of');
  });

  it('leaves out a vendor whose settings break its rules, alone, and says which settings (D4)', () => {
    const checked: VendorDescriptor[] = [
      { ...vendors[0]!, settings: [{ name: 'siteId', pattern: '^[0-9]+$', required: true }] },
      {
        ...vendors[1]!,
        settings: [
          { name: 'siteId', pattern: '^G-[A-Z0-9]+$', required: true },
          { name: 'region', values: ['us', 'eu'] },
          { name: 'debug', boolean: true },
          { name: 'minimum' },
        ],
      },
    ];
    const r = parseConfig(
      { vendors: { hotjar: { siteId: '1234567' }, 'google-analytics-4': { siteId: 'UA-123' } } },
      { vendors: checked },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.keys(r.config.vendors)).toEqual(['hotjar']);
    expect(r.excluded.map((e) => e.path)).toEqual(['vendors.google-analytics-4.siteId']);
    const paths = (settings: Record<string, unknown>) => {
      const p = parseConfig({ vendors: { 'google-analytics-4': settings } }, { vendors: checked });
      return p.ok ? p.excluded.map((e) => e.path) : ['(config refused)'];
    };
    const at = (key: string) => `vendors.google-analytics-4.${key}`;
    expect(paths({ siteId: 'G-ABC123' })).toEqual([]);
    expect(paths({ siteId: 'G-ABC123', region: 'eu', debug: false, minimum: { maskText: true } })).toEqual(
      [],
    );
    expect(paths({ snippet: true })).toEqual([]);
    expect(paths({})).toEqual([at('siteId')]);
    expect(paths({ siteId: 123 })).toEqual([at('siteId')]);
    expect(paths({ siteId: 'G-ABC123', region: 'asia' })).toEqual([at('region')]);
    expect(paths({ siteId: 'G-ABC123', debug: 'yes' })).toEqual([at('debug')]);
    expect(paths({ siteId: 'G-ABC123', sitId: 'x' })).toEqual([at('sitId')]);
    // Without rules (an npm user's own descriptor) the settings are the adapter's business.
    const plain = parse({ vendors: { 'google-analytics-4': { siteId: 'UA-123' } } });
    expect(plain.ok && Object.keys(plain.config.vendors)).toEqual(['google-analytics-4']);
  });

  it('site-defined purposes are accepted and usable by vendors narrowing theirs', () => {
    const r = parse({ vendors: {}, purposes: { personalisation: { title: { en: 'Personalisation' } } } });
    expect(r.ok && r.config.purposes.personalisation).toEqual({ title: { en: 'Personalisation' } });
  });
});
