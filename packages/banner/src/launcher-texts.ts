/**
 * The few texts the launcher shows (privacy-choices control, chat placeholder, recording
 * indicator), inlined in every language because the launcher ships in the main bundle that
 * returning visitors get. Order: privacyChoices, chatWithUs, recording, stopRecording, withdrawConsent.
 * A unit test checks they equal the same keys of the full dictionaries.
 */
export const LAUNCHER_KEYS = [
  'privacyChoices',
  'chatWithUs',
  'recording',
  'stopRecording',
  'withdrawConsent',
] as const;

export type LauncherKey = (typeof LAUNCHER_KEYS)[number];

export const LAUNCHER_TEXTS: Record<string, readonly [string, string, string, string, string]> = {
  en: [
    'Privacy choices',
    'Chat with us',
    'This visit is recorded by {vendors}',
    'Stop recording',
    'Withdraw consent',
  ],
  es: [
    'Opciones de privacidad',
    'Chatea con nosotros',
    'Esta visita la graba {vendors}',
    'Detener la grabación',
    'Retirar el consentimiento',
  ],
  fr: [
    'Choix de confidentialité',
    'Discuter avec nous',
    'Cette visite est enregistrée par {vendors}',
    "Arrêter l'enregistrement",
    'Retirer mon consentement',
  ],
  de: [
    'Datenschutz-Einstellungen',
    'Chatten Sie mit uns',
    'Dieser Besuch wird von {vendors} aufgezeichnet',
    'Aufzeichnung beenden',
    'Einwilligung widerrufen',
  ],
  pt: [
    'Opções de privacidade',
    'Fale conosco',
    'Esta visita é gravada por {vendors}',
    'Parar a gravação',
    'Revogar consentimento',
  ],
  zh: ['隐私选项', '与我们聊天', '本次访问正在由 {vendors} 录制', '停止录制', '撤回同意'],
};

/** Languages the banner ships texts for. */
export const LANGUAGES: readonly string[] = ['en', 'es', 'fr', 'de', 'pt', 'zh'];

interface LanguageConfig {
  language: string;
  texts: Record<string, Record<string, string>>;
}

/**
 * The language to show: the configured one, or with `"auto"` the page's `<html lang>`,
 * then the browser's languages; the first one with texts (built in, or configured in
 * `texts`), else English.
 */
export function pickLanguage(config: LanguageConfig, doc?: Document, nav?: Navigator): string {
  const wanted: string[] = [];
  if (config.language !== 'auto') wanted.push(config.language);
  const d = doc ?? (typeof document === 'undefined' ? undefined : document);
  const n = nav ?? (typeof navigator === 'undefined' ? undefined : navigator);
  if (d?.documentElement.lang) wanted.push(d.documentElement.lang);
  if (n) wanted.push(...(n.languages ?? []), n.language);
  for (const tag of wanted) {
    if (!tag) continue;
    if (config.texts[tag] && !LANGUAGES.includes(tag)) return tag;
    const base = tag.toLowerCase().split('-')[0]!;
    if (LANGUAGES.includes(base)) return base;
    if (config.texts[base]) return base;
  }
  return 'en';
}
