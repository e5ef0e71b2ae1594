import { describe, expect, it } from 'vitest';
import { de } from './i18n/de';
import { en } from './i18n/en';
import { es } from './i18n/es';
import { fr } from './i18n/fr';
import { pt } from './i18n/pt';
import { zh } from './i18n/zh';
import { lintNotice } from './lint';
import { hotjar, intercom, manifests, pixel } from './test-fixtures';
import {
  fill,
  groupVendors,
  joinList,
  lifetime,
  longestLifetime,
  policyLink,
  resolveTexts,
  type Texts,
  vendorLines,
} from './text';

const t = (lang: 'en' | 'es' | 'de' = 'en'): Texts =>
  resolveTexts(lang, { en, es, de }[lang], { texts: {} }).texts;

describe('filling placeholders', () => {
  it('never doubles a full stop after a legal name that ends with one, in any language (D6)', () => {
    const names = { name: 'Intercom', legalName: 'Intercom, Inc.' };
    for (const texts of [en, es, fr, de, pt, zh]) {
      const body = fill(texts.chatGateBody, names);
      expect(body).toContain('Intercom, Inc.');
      expect(body).not.toMatch(/\.\./);
      expect(fill(texts.chatGateOwnUse, { ...names, ownUse: 'to train its AI' })).not.toMatch(/\.\./);
    }
    expect(fill(en.chatGateBody, names)).toBe(
      'This chat is provided by Intercom, Inc. Your messages are sent to, recorded and stored by Intercom, Inc.',
    );
    expect(fill(es.chatGateBody, names)).toContain('lo presta Intercom, Inc. Tus mensajes');
    expect(fill(en.chatGateBody, { legalName: 'Hotjar Ltd' })).toBe(
      'This chat is provided by Hotjar Ltd. Your messages are sent to, recorded and stored by Hotjar Ltd.',
    );
    expect(fill('{a} and {b}', { a: 'x' })).toBe('x and {b}');
  });
});

describe('vendor text from manifests (R6)', () => {
  it('says what a replay vendor receives, its own use and its cookie lifetime', () => {
    expect(vendorLines(hotjar, t())).toEqual([
      'What it receives: your clicks, scrolling and what you type and your IP address.',
      'Uses the data only to provide its service to us.',
      'Cookies: 2; the longest is kept 1 year.',
    ]);
  });

  it('names a chat vendor receiving the text of messages, and its own use', () => {
    const lines = vendorLines(intercom, t());
    expect(lines[0]).toContain('the text of your chat messages');
    expect(lines[1]).toBe('Its own use of the data: to train its AI answer bot.');
    expect(lines[2]).toBe('Cookies: 1; the longest is kept 7 days.');
  });

  it('never shows what the research could not establish: it points to the vendor’s own policy', () => {
    const unknown = {
      ...intercom,
      ownUse: null,
      privacyPolicy: 'https://www.intercom.com/legal/privacy',
      cookies: [{ name: 'intercom-id-{id}', lifetime: null }],
    };
    expect(vendorLines(unknown, t()).slice(1)).toEqual([
      'Its own use of the data: as its privacy policy says.',
      'Cookies: 1; the longest is kept as long as its privacy policy says.',
    ]);
    expect(vendorLines(unknown, t('de'))[2]).toBe(
      'Cookies: 1; das langlebigste wird so lange, wie seine Datenschutzerklärung angibt, gespeichert.',
    );
    // A lifetime that is known still wins over one that is not.
    const mixed = {
      ...unknown,
      cookies: [...unknown.cookies, { name: 'intercom-session', lifetime: '7 days' }],
    };
    expect(vendorLines(mixed, t())[2]).toBe('Cookies: 2; the longest is kept 7 days.');
    expect(policyLink(unknown)).toBe('https://www.intercom.com/legal/privacy');
    for (const bad of ['javascript:alert(1)', 'http://example.com/privacy', '//evil.example', 'https://a b'])
      expect(policyLink({ ...unknown, privacyPolicy: bad }), bad).toBeNull();
    expect(policyLink(intercom)).toBeNull();
  });

  it('generates the same facts in Spanish', () => {
    expect(vendorLines(pixel, t('es'))).toEqual([
      'Qué recibe: your IP address y which ad you clicked to get here.',
      'Uso propio de los datos: to target ads to you on its own services.',
      'Cookies: 1; la que más dura se conserva 3 meses.',
    ]);
  });

  it('lets the site translate a vendor disclosure per language', () => {
    const texts = resolveTexts('es', es, {
      texts: { es: { 'vendor.hotjar.captures': 'tus clics, desplazamientos y lo que escribes' } },
    }).texts;
    expect(vendorLines(hotjar, texts)[0]).toBe('Qué recibe: tus clics, desplazamientos y lo que escribes.');
  });

  it('translates lifetimes and picks the longest', () => {
    expect(lifetime('1 year', t())).toBe('1 year');
    expect(lifetime('13 months', t('es'))).toBe('13 meses');
    expect(lifetime('session', t('es'))).toBe('hasta que cierres el navegador');
    expect(lifetime('not confirmed', t())).toBe('not confirmed');
    expect(longestLifetime(['30 minutes', 'up to 2 years (see above)', '1 year'], t())).toBe('2 years');
    expect(longestLifetime(['session', 'not confirmed'], t())).toBe('until you close the browser');
  });

  it('joins lists in the language', () => {
    expect(joinList(['a', 'b', 'c'], t())).toBe('a, b and c');
    expect(joinList(['a', 'b'], t('es'))).toBe('a y b');
  });
});

describe('groupVendors', () => {
  it('groups configured vendors by purpose and reports one without a manifest', () => {
    const { groups, unknown, problems } = groupVendors(
      ['replay', 'chat'],
      { hotjar: ['replay'], intercom: ['chat'], drift: ['chat'] },
      [{ id: 'drift', legalName: 'Drift.com, Inc.' }],
      manifests,
    );
    expect(groups.map((g) => [g.purpose, g.vendors.map((v) => v.name)])).toEqual([
      ['necessary', []],
      ['replay', ['Hotjar']],
      ['chat', ['Intercom', 'Drift.com, Inc.']],
    ]);
    expect([...unknown]).toEqual(['drift']);
    expect(problems).toEqual([expect.objectContaining({ kind: 'no-manifest', vendor: 'drift' })]);
  });
});

describe('notice lint (R8)', () => {
  const vendors = [hotjar, intercom];

  it('passes a notice that names every vendor', () => {
    expect(lintNotice({ text: 'Session recording: Hotjar · Chat: Intercom', vendors })).toEqual([]);
  });

  it('reports a configured vendor the notice does not name', () => {
    expect(lintNotice({ text: 'Session recording: Hotjar', vendors })).toEqual([
      expect.objectContaining({ kind: 'missing-vendor', vendor: 'intercom' }),
    ]);
  });

  it.each([
    'Your data is 100% confidential.',
    'We never share your data.',
    'By continuing to browse you agree to our use of cookies.',
    'Tus datos son 100% confidenciales.',
    'Nunca compartimos tus datos.',
    'Nous ne les partagerons jamais partagées',
    'Ihre Daten werden niemals weitergegeben.',
    '我们绝不共享您的数据',
  ])('rejects "%s" while vendors run', (phrase) => {
    expect(lintNotice({ text: `Hotjar Intercom ${phrase}`, vendors })).toEqual([
      expect.objectContaining({ kind: 'forbidden-phrase' }),
    ]);
    expect(lintNotice({ text: phrase, vendors: [] })).toEqual([]);
  });

  it('rejects a forbidden override and keeps the built-in text', () => {
    const { texts, problems } = resolveTexts('en', en, {
      texts: { en: { body: 'Your data is 100% confidential with us.', acceptAll: 'OK, accept all' } },
    });
    expect(texts.body).toBe(en.body);
    expect(texts.acceptAll).toBe('OK, accept all');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain('texts.en.body says "100% confidential"');
  });
});
