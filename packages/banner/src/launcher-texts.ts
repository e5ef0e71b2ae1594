import type { Language } from './languages';

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

export const LAUNCHER_TEXTS: Record<Language, readonly [string, string, string, string, string]> = {
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
