import type { Messages } from './i18n/en';
import { isLanguage, type Language } from './languages';
import type { UiModule } from './launcher';
import { type BannerHandle, type ChatGateResult, createBanner, type MountBannerOptions } from './mount';

const loaders: Record<Exclude<Language, 'en'>, () => Promise<Messages>> = {
  es: () => import('./i18n/es').then((m) => m.es),
  fr: () => import('./i18n/fr').then((m) => m.fr),
  de: () => import('./i18n/de').then((m) => m.de),
  pt: () => import('./i18n/pt').then((m) => m.pt),
  zh: () => import('./i18n/zh').then((m) => m.zh),
};

/**
 * Mounts the banner for a consent instance (once; later calls return the same handle).
 * Opens the first layer when a decision is needed; non-English texts load on demand.
 */
export function mountBanner(
  consent: Parameters<UiModule['mountBanner']>[0],
  options: MountBannerOptions,
): BannerHandle {
  return createBanner(consent, options, {}, (language) =>
    isLanguage(language) && language !== 'en' ? loaders[language]() : Promise.resolve(undefined),
  );
}

/** Opens the chat-start gate for a configured chat vendor (R11); resolves with what the visitor chose. */
export function openChatGate(
  consent: Parameters<UiModule['mountBanner']>[0],
  vendorId: string,
  options: MountBannerOptions,
): Promise<ChatGateResult> {
  return mountBanner(consent, { open: false, ...options }).chat(vendorId);
}

export type { Messages, TextKey } from './i18n/en';
export { en } from './i18n/en';
export type { Language } from './languages';
export { isLanguage, LANGUAGES, pickLanguage } from './languages';
export type { Launcher, LauncherOptions, LoadUiScriptOptions, StartUiOptions, UiModule } from './launcher';
export { createLauncher, FOOTER_LINK, loadUiScript, messagesUrl, startUi } from './launcher';
export type { LintNoticeOptions, NoticeProblem } from './lint';
export { FORBIDDEN_PHRASES, forbiddenPhrase, lintNotice } from './lint';
export type { BannerHandle, ChatGateResult, MessagesLoader, MountBannerOptions } from './mount';
export { renderedText } from './rendered-text';
export type { BannerVendor, PurposeGroup, Texts } from './text';
export { groupVendors, lifetime, resolveTexts, vendorLines } from './text';
