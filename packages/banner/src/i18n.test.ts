import { describe, expect, it } from 'vitest';
import { de } from './i18n/de';
import { en, type Messages } from './i18n/en';
import { es } from './i18n/es';
import { fr } from './i18n/fr';
import { pt } from './i18n/pt';
import { zh } from './i18n/zh';
import { LANGUAGES, type Language, pickLanguage } from './languages';
import { LAUNCHER_KEYS, LAUNCHER_TEXTS } from './launcher-texts';
import { forbiddenPhrase } from './lint';

const all: Record<string, Messages> = { en, es, fr, de, pt, zh };
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('ships exactly the languages it names', () => {
    expect(Object.keys(all).sort()).toEqual([...LANGUAGES].sort());
    expect(Object.keys(LAUNCHER_TEXTS).sort()).toEqual([...LANGUAGES].sort());
  });

  for (const [lang, messages] of Object.entries(all)) {
    it(`${lang}: has every English key, no others, none empty, same placeholders`, () => {
      expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
      for (const [key, value] of Object.entries(messages)) {
        expect(value.trim(), `${lang}.${key}`).not.toBe('');
        expect(placeholders(value), `${lang}.${key}`).toEqual(placeholders(en[key as keyof Messages]));
      }
    });

    it(`${lang}: the built-in texts pass the notice lint`, () => {
      for (const [key, value] of Object.entries(messages))
        expect(forbiddenPhrase(value), `${lang}.${key}`).toBeNull();
    });

    it(`${lang}: the launcher's inlined texts equal the dictionary`, () => {
      LAUNCHER_KEYS.forEach((key, i) => {
        expect(LAUNCHER_TEXTS[lang as Language]?.[i]).toBe(messages[key]);
      });
    });
  }

  it('translates every language (no English left over in the main texts)', () => {
    for (const lang of LANGUAGES.filter((l) => l !== 'en'))
      for (const key of ['title', 'body', 'acceptAll', 'rejectAll', 'save', 'chatGateBody'] as const)
        expect(all[lang]![key], `${lang}.${key}`).not.toBe(en[key]);
  });
});

describe('pickLanguage', () => {
  const doc = (lang: string) => ({ documentElement: { lang } }) as unknown as Document;
  const nav = (...languages: string[]) =>
    ({ languages, language: languages[0] ?? '' }) as unknown as Navigator;

  it('uses the configured language first', () => {
    expect(pickLanguage({ language: 'de', texts: {} }, doc('es'), nav('fr'))).toBe('de');
  });
  it('auto: the page, then the browser, by base subtag', () => {
    expect(pickLanguage({ language: 'auto', texts: {} }, doc('es-MX'), nav('fr'))).toBe('es');
    expect(pickLanguage({ language: 'auto', texts: {} }, doc(''), nav('it', 'pt-BR'))).toBe('pt');
    expect(pickLanguage({ language: 'auto', texts: {} }, doc('zh-Hans-CN'), nav())).toBe('zh');
  });
  it('falls back to English, and accepts a language the site supplies texts for', () => {
    expect(pickLanguage({ language: 'auto', texts: {} }, doc('it'), nav('ja'))).toBe('en');
    expect(pickLanguage({ language: 'auto', texts: { it: { title: 'Privacy' } } }, doc('it'), nav())).toBe(
      'it',
    );
  });
});
