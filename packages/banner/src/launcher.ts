import {
  anyGranted,
  bannerTextsUrl,
  CHUNK_GLOBALS,
  type Consent,
  escapeHtml,
  loadScript,
} from '@allparty/core';
import type { Messages } from './i18n/en';
import { isLanguage, pickLanguage } from './languages';
import { LAUNCHER_KEYS, LAUNCHER_TEXTS, type LauncherKey } from './launcher-texts';
import type { BannerHandle, ChatGateResult, MountBannerOptions } from './mount';
import type { BannerVendor } from './text';

/** Frames the site tags for click-to-load (the same selector as in embeds.tsx, kept here so the launcher stays small). */
const TAGGED_EMBEDS = 'iframe[data-allparty][data-vendor][data-src]';

/**
 * The lazy UI bundle (`allparty-banner.js` sets it as `window.allpartyUi`; npm users get the
 * same functions from `@allparty/banner`).
 */
export interface UiModule {
  /** Mounts the banner once per consent instance; opens the first layer if a decision is needed. */
  mountBanner(consent: Consent, options: MountBannerOptions): BannerHandle;
  /** Opens the chat-start gate for a chat vendor (mounting the banner if needed). */
  openChatGate(consent: Consent, vendorId: string, options: MountBannerOptions): Promise<ChatGateResult>;
}

declare global {
  interface Window {
    /** Set by `allparty-banner.js`. */
    [CHUNK_GLOBALS.ui]?: UiModule;
    /** Set by `allparty-banner.LANG.js` files. */
    [CHUNK_GLOBALS.uiMessages]?: Record<string, Partial<Messages>>;
  }
}

/** Options for {@link createLauncher}. */
export interface LauncherOptions {
  /** Loads the UI module (the embed: {@link loadUiScript}; npm: `async () => import('@allparty/banner')`). */
  loadUi: () => Promise<UiModule>;
  /** Manifests of the configured vendors for the notice text. @default () => [] */
  manifests?: () => Promise<readonly BannerVendor[]> | readonly BannerVendor[];
  /** Called after a chat-start consent, once the vendor is released: open the vendor's chat. */
  onChatStart?: (vendorId: string) => void;
  /** Show the floating privacy-choices control; turn off only if every page has a footer link. @default true */
  floating?: boolean;
  /** "Load once" for click-to-load frames: release this frame for this page view only. */
  loadOnce?: (el: Element, vendorId: string) => void;
  /** @default document */
  document?: Document;
}

/** The always-present part of the UI. */
export interface Launcher {
  /** Loads and mounts the banner (once); opens a layer if given. */
  ui(open?: 'first' | 'preferences'): Promise<BannerHandle>;
  /** Opens the chat-start gate for a chat vendor. */
  chat(vendorId: string): Promise<ChatGateResult>;
  /** Removes the launcher's elements and listeners. */
  destroy(): void;
}

const CSS = `.$corner$ {--b:var(--allparty-bg,#fff);--f:var(--allparty-fg,#1b1e24);--d:var(--allparty-border,#c9ced8);--a:var(--allparty-accent,#1d4ed8);--e:var(--allparty-accent-fg,#fff);--o:var(--allparty-focus,#1d4ed8);position:fixed;bottom:16px;left:16px;z-index:var(--allparty-z,2147482999);display:flex;flex-direction:column;gap:8px;align-items:start;font:14px/1.3 var(--allparty-font,system-ui,sans-serif)}
.$dark$ {--b:var(--allparty-dark-bg,#17191e);--f:var(--allparty-dark-fg,#eef0f4);--d:var(--allparty-dark-border,#464c5a);--a:var(--allparty-dark-accent,#9db7ff);--e:var(--allparty-dark-accent-fg,#0b1020);--o:var(--allparty-dark-focus,#c6d5ff)}
.$right$ {left:auto;right:16px;align-items:end}
.$controls$ {display:flex;gap:8px}
@media(max-width:480px){.$controls$ {flex-direction:column-reverse;align-items:start}}
button,.$indicator$ {font:inherit;display:inline-flex;align-items:center;justify-content:center;gap:8px;min-height:44px;min-width:44px;padding:0 14px;border-radius:22px;border:1px solid var(--d);background:var(--b);color:var(--f);box-shadow:0 2px 12px #0003;cursor:pointer}
.$indicator$ button{box-shadow:none;min-height:32px;padding:0 10px;border-color:var(--a)}
.$chat$ {background:var(--a);color:var(--e);border-color:var(--a);font-weight:600}
.$indicator$:before{content:"";width:10px;height:10px;border-radius:50%;background:#d92d20}
[hidden]{display:none}
:focus-visible{outline:3px solid var(--o);outline-offset:2px}`;

// The privacy-choices toggle: a check and a cross in a pill (after the CPPA's opt-out icon).
const ICON =
  '<svg width="30" height="14" viewBox="0 0 30 14" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.7"><path d="M7 1h16a6 6 0 010 12H7A6 6 0 017 1zM4 7l2 2 4-4m9.5-.5l5 5m0-5l-5 5"/></svg>';

/** Footer links that reopen the preferences: `<a href="#privacy-choices">` or `[data-allparty-privacy-choices]`. */
export const FOOTER_LINK = '[data-allparty-privacy-choices],a[href="#privacy-choices"]';

/**
 * Renders what every page needs without the banner bundle (R11, R28): the privacy-choices
 * control, a first-party "Chat with us" button in place of each chat vendor not granted,
 * and a recording indicator with a one-click stop while a replay vendor runs. Each lives in
 * its own open shadow root. Loads the banner when a decision is needed or asked for.
 */
export function createLauncher(consent: Consent, options: LauncherOptions): Launcher {
  const doc = options.document ?? document;
  const { config } = consent;
  const language = pickLanguage(config, doc);
  const text = (key: LauncherKey) =>
    escapeHtml(
      config.texts[language]?.[key] ??
        LAUNCHER_TEXTS[isLanguage(language) ? language : 'en'][LAUNCHER_KEYS.indexOf(key)]!,
    );
  const dark =
    config.theme === 'dark' ||
    (config.theme === 'auto' &&
      doc.defaultView?.matchMedia?.('(prefers-color-scheme: dark)').matches === true);

  let handle: Promise<BannerHandle> | null = null;
  const ui = (open?: 'first' | 'preferences') => {
    if (handle) {
      if (open) handle.then((h) => h.open(open));
      return handle;
    }
    handle = Promise.all([options.loadUi(), options.manifests?.() ?? []]).then(([m, manifests]) =>
      m.mountBanner(consent, {
        manifests,
        open: open ?? false,
        document: doc,
        ...(options.loadOnce ? { loadOnce: options.loadOnce } : {}),
      }),
    );
    handle.catch((error: unknown) => {
      handle = null;
      console.error('allparty: could not load the banner', error);
    });
    return handle;
  };
  const chat = (vendorId: string): Promise<ChatGateResult> =>
    ui().then(async (h) => {
      const result = await h.chat(vendorId);
      if (result === 'accepted') options.onChatStart?.(vendorId);
      return result;
    });

  // One delegated listener per root: the controls are re-rendered as plain markup.
  const onClick = (e: Event) => {
    const el = (e.target as Element | null)?.closest?.(`[data-allparty-action],${FOOTER_LINK}`);
    const act = el?.getAttribute('data-allparty-action');
    const inPage = el?.getRootNode() === doc;
    // In the page, only footer links (and a site's own `open-preferences` or `withdraw` control) are
    // ours; the page's listener leaves other shadow roots' controls (the banner's) to their handlers.
    if (
      !el ||
      inPage !== (e.currentTarget === doc) ||
      (inPage && act && act !== 'open-preferences' && act !== 'withdraw')
    )
      return;
    e.preventDefault();
    if (act === 'chat') void chat(el.getAttribute('data-allparty-chat')!);
    else if (act === 'withdraw') {
      // R28: withdrawing takes one click, as consenting did. The record is the preferences' Reject
      // all after a grant (withdrawn, every purpose and vendor off), naming this control; its
      // notice is the text the visitor clicked.
      consent.setNotice(el.textContent ?? '', language);
      consent.withdraw(undefined, { control: act });
      // The button hides with nothing left to withdraw; keep focus beside it.
      if (!inPage) control?.focus();
    }
    // R28: stopping the recording takes one click, the same as starting it.
    else if (act === 'stop-recording') consent.withdraw(['replay'], { control: act });
    else void ui('preferences');
  };
  const box = (id: string, cls: string) => {
    const host = doc.createElement('div');
    host.id = id;
    host.setAttribute('style', 'all:initial');
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = `<style>${CSS}</style><div class="$corner$${cls}${dark ? ' $dark$' : ''}"></div>`;
    shadow.addEventListener('click', onClick);
    (doc.body ?? doc.documentElement).append(host);
    return shadow.lastElementChild as HTMLElement;
  };
  const left = box('allparty-launcher', '');
  const right = box('allparty-chat', ' $right$');
  const vendorsFor = (purpose: string, granted: boolean) => {
    const v = consent.get().vendors;
    return Object.keys(consent.context.vendors).filter(
      (id) => consent.context.vendors[id]!.includes(purpose) && v[id] === granted,
    );
  };

  // The controls are built once and kept: a dialog opened from one of them returns focus to
  // it on close, so opening a dialog only hides them, and a change of consent replaces only
  // the parts that changed (the recording indicator, the chat stand-ins of other vendors).
  // R28: beside it, once anything is granted, a one-click "Withdraw consent".
  left.innerHTML =
    options.floating === false
      ? ''
      : `<div class="$controls$"><button type="button" data-allparty-action="open-preferences" aria-label="${text('privacyChoices')}" title="${text('privacyChoices')}">${ICON}</button><button type="button" data-allparty-action="withdraw" hidden>${text('withdrawConsent')}</button></div>`;
  const row = left.firstElementChild as HTMLElement | null;
  const control = row?.firstElementChild as HTMLElement | undefined;
  let indicator: Element | null = null;
  const stand: Record<string, HTMLElement> = {};
  let shown = '';
  const update = (hide = false) => {
    if (control) {
      control.hidden = hide;
      (row!.lastElementChild as HTMLElement).hidden = hide || !anyGranted(consent.context, consent.get());
    }
    const recording = vendorsFor('replay', true);
    const chats = vendorsFor('chat', false);
    const key = `${recording}|${chats}`;
    if (key === shown) return;
    shown = key;
    const names = recording.map((id) => consent.vendors.find((d) => d.id === id)?.legalName ?? id).join(', ');
    indicator?.remove();
    indicator = null;
    if (recording.length) {
      left.insertAdjacentHTML(
        'afterbegin',
        `<div class="$indicator$" role="status" data-allparty-recording="${recording.join(' ')}">${text('recording').replace('{vendors}', escapeHtml(names))}<button type="button" data-allparty-action="stop-recording">${text('stopRecording')}</button></div>`,
      );
      indicator = left.firstElementChild;
    }
    for (const id of Object.keys(stand)) if (!chats.includes(id)) stand[id]!.remove();
    for (const id of chats) {
      if (!stand[id]) {
        right.insertAdjacentHTML(
          'beforeend',
          `<button type="button" class="$chat$" data-allparty-chat="${id}" data-allparty-action="chat">${text('chatWithUs')}</button>`,
        );
        stand[id] = right.lastElementChild as HTMLElement;
      }
      if (stand[id]!.parentNode !== right) right.append(stand[id]!);
    }
  };

  // Click-to-load frames of vendors not granted get placeholders from the banner chunk.
  const embeds = () => {
    const v = consent.get().vendors;
    for (const el of doc.querySelectorAll(TAGGED_EMBEDS)) {
      const id = el.getAttribute('data-vendor')!;
      if (id in consent.context.vendors && !v[id]) return void ui().then((h) => h.placeholders());
    }
  };

  let open = false;
  const onUi = (e: Event) => {
    open = (e as CustomEvent<{ layer: string | null }>).detail.layer !== null;
    update(open);
  };
  doc.addEventListener('allparty:ui', onUi);
  doc.addEventListener('click', onClick);
  const offChange = consent.on('change', () => {
    update(open);
    embeds();
  });
  const offShow = consent.on('show', ({ preferences }) => {
    // Once mounted, the banner listens to `show` itself.
    if (!handle) void ui(preferences ? 'preferences' : 'first');
  });
  update();
  if (consent.get().needsDecision) void ui('first');
  embeds();

  return {
    ui,
    chat,
    destroy() {
      offChange();
      offShow();
      doc.removeEventListener('allparty:ui', onUi);
      doc.removeEventListener('click', onClick);
      (left.getRootNode() as ShadowRoot).host.remove();
      (right.getRootNode() as ShadowRoot).host.remove();
    },
  };
}

/** Options for {@link loadUiScript}. */
export interface LoadUiScriptOptions {
  /** The language to preload texts for (`allparty-banner.LANG.js`, loaded in parallel). */
  language?: string;
  /** CSP nonce for the inserted scripts. */
  nonce?: string | null;
  /** @default document */
  document?: Document;
}

/**
 * Loads `allparty-banner.js` (and the texts of a non-English language beside it, in
 * parallel) with `<script>` elements, and resolves to `window.allpartyUi`.
 */
export function loadUiScript(src: string, options: LoadUiScriptOptions = {}): Promise<UiModule> {
  const doc = options.document ?? document;
  const win = doc.defaultView as Window;
  const lang = options.language;
  if (lang && lang !== 'en' && isLanguage(lang) && !win.allpartyUiMessages?.[lang])
    void loadScript(bannerTextsUrl(src, lang), options.nonce, doc);
  if (win.allpartyUi) return Promise.resolve(win.allpartyUi);
  return loadScript(src, options.nonce, doc).then(
    () => win.allpartyUi ?? Promise.reject(new Error('allparty: the banner bundle did not load')),
  );
}

/** `allparty-banner.js` → `allparty-banner.es.js` (and `.debug.js` → `.es.debug.js`). */
export const messagesUrl: (src: string, language: string) => string = bannerTextsUrl;

/** Options for {@link startUi}. */
export interface StartUiOptions extends Omit<LauncherOptions, 'loadUi' | 'document'> {
  /** URL of `allparty-banner.js` (beside the embed). */
  src: string;
  /** CSP nonce for the inserted scripts. */
  nonce?: string | null;
  /**
   * The UI scripts were written into the parser's stream after the embed (its first-visit
   * preload): they run before DOMContentLoaded, so nothing is fetched again now and the banner
   * mounts from them at DOMContentLoaded, in the same task.
   */
  preloaded?: boolean;
}

/**
 * What the embed calls once at startup: when a decision is needed it starts loading the
 * banner bundle at once (so the first layer shows within a frame of DOMContentLoaded), and it
 * creates the launcher as soon as `<body>` exists. Returns the launcher when it is created.
 */
export function startUi(consent: Consent, options: StartUiOptions): Promise<Launcher> {
  const { src, nonce, preloaded, ...rest } = options;
  const language = pickLanguage(consent.config);
  let loading: Promise<UiModule> | null = null;
  const loadUi = () => {
    loading ??= loadUiScript(src, { language, nonce: nonce ?? null });
    loading.catch(() => {
      loading = null;
    });
    return loading;
  };
  let manifests: Promise<readonly BannerVendor[]> | null = null;
  const loadManifests = () => {
    manifests ??= Promise.resolve(rest.manifests?.() ?? []);
    return manifests;
  };
  // First visit: fetch the banner and the vendor texts now, in parallel with the page.
  if (consent.get().needsDecision && !preloaded) {
    void loadUi().catch(() => {});
    void loadManifests();
  }
  return new Promise((resolve) => {
    const go = () => resolve(createLauncher(consent, { ...rest, loadUi, manifests: loadManifests }));
    if (document.body) go();
    else document.addEventListener('DOMContentLoaded', go, { once: true });
  });
}
