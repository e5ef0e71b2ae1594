import type { Consent } from '@allparty/core';
import type { Messages } from './i18n/en';
import { LANGUAGES, LAUNCHER_KEYS, LAUNCHER_TEXTS, type LauncherKey, pickLanguage } from './launcher-texts';
import type { BannerHandle, ChatGateResult, MountBannerOptions } from './mount';
import type { BannerVendor } from './text';

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
    allpartyUi?: UiModule;
    /** Set by `allparty-banner.LANG.js` files. */
    allpartyUiMessages?: Record<string, Partial<Messages>>;
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

const CSS = `*{box-sizing:border-box}
.w{--bg:var(--allparty-bg,#fff);--fg:var(--allparty-fg,#1b1e24);--bd:var(--allparty-border,#c9ced8);--ac:var(--allparty-accent,#1d4ed8);--af:var(--allparty-accent-fg,#fff);--fo:var(--allparty-focus,#1d4ed8);position:fixed;bottom:16px;z-index:var(--allparty-z,2147482999);display:flex;flex-direction:column;gap:8px;align-items:flex-start;left:16px;font:14px/1.3 var(--allparty-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif)}
.w.dk{--bg:var(--allparty-dark-bg,#17191e);--fg:var(--allparty-dark-fg,#eef0f4);--bd:var(--allparty-dark-border,#464c5a);--ac:var(--allparty-dark-accent,#9db7ff);--af:var(--allparty-dark-accent-fg,#0b1020);--fo:var(--allparty-dark-focus,#c6d5ff)}
.w.rt{left:auto;right:16px;align-items:flex-end}
button,.i{font:inherit;display:inline-flex;align-items:center;gap:8px;min-height:44px;padding:0 14px;border-radius:22px;border:1px solid var(--bd);background:var(--bg);color:var(--fg);box-shadow:0 2px 12px rgba(0,0,0,.2)}
button{cursor:pointer;min-width:44px;justify-content:center}
.i button{box-shadow:none;min-height:32px;padding:0 10px;border-color:var(--ac);color:var(--fg)}
.c{background:var(--ac);color:var(--af);border-color:var(--ac);font-weight:600}
.d{width:10px;height:10px;border-radius:50%;background:#d92d20;flex:none}
[hidden]{display:none}
:focus-visible{outline:3px solid var(--fo);outline-offset:2px}`;

const ICON =
  '<svg width="30" height="14" viewBox="0 0 30 14" aria-hidden="true" focusable="false"><path d="M7 1h16a6 6 0 010 12H7A6 6 0 017 1z" fill="none" stroke="currentColor" stroke-width="1.6"/><path d="M4 7l2.2 2.2L10.5 5" fill="none" stroke="currentColor" stroke-width="1.8"/><path d="M19.5 4.5l5 5m0-5l-5 5" stroke="currentColor" stroke-width="1.8"/></svg>';

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
    config.texts[language]?.[key] ??
    (LAUNCHER_TEXTS[language] ?? LAUNCHER_TEXTS.en!)[LAUNCHER_KEYS.indexOf(key)]!;
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
      m.mountBanner(consent, { manifests, open: open ?? false, document: doc }),
    );
    handle.catch((error: unknown) => {
      handle = null;
      console.error('allparty: could not load the banner', error);
    });
    return handle;
  };

  const hosts: HTMLElement[] = [];
  const box = (id: string, cls: string) => {
    const host = doc.createElement('div');
    host.id = id;
    host.setAttribute('style', 'all:initial');
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = `<style>${CSS}</style><div class="w${cls}${dark ? ' dk' : ''}"></div>`;
    (doc.body ?? doc.documentElement).append(host);
    hosts.push(host);
    return shadow.lastElementChild as HTMLElement;
  };
  const button = (label: string, attrs: Record<string, string>, onClick: () => void) => {
    const b = doc.createElement('button');
    b.type = 'button';
    b.textContent = label;
    for (const [k, v] of Object.entries(attrs)) b.setAttribute(k, v);
    b.addEventListener('click', onClick);
    return b;
  };

  const left = box('allparty-launcher', '');
  const right = box('allparty-chat', ' rt');
  const control = button(
    '',
    {
      'data-allparty-action': 'open-preferences',
      'aria-label': text('privacyChoices'),
      title: text('privacyChoices'),
    },
    () => void ui('preferences'),
  );
  control.innerHTML = ICON;
  if (options.floating !== false) left.append(control);

  const chat = (vendorId: string): Promise<ChatGateResult> =>
    ui().then(async (h) => {
      const result = await h.chat(vendorId);
      if (result === 'accepted') options.onChatStart?.(vendorId);
      return result;
    });

  let shown = '';
  const update = (layer?: string | null) => {
    const v = consent.get();
    const name = (id: string) => consent.vendors.find((d) => d.id === id)?.legalName ?? id;
    const vendorsFor = (purpose: string, granted: boolean) =>
      Object.entries(consent.context.vendors)
        .filter(([id, ps]) => ps.includes(purpose) && v.vendors[id] === granted)
        .map(([id]) => id);
    if (layer !== undefined) control.hidden = layer !== null;
    const recording = vendorsFor('replay', true);
    const chats = vendorsFor('chat', false);
    const key = `${recording}|${chats}`;
    if (key === shown) return;
    shown = key;
    left.querySelector('.i')?.remove();
    if (recording.length) {
      const indicator = doc.createElement('div');
      indicator.className = 'i';
      indicator.setAttribute('role', 'status');
      indicator.setAttribute('data-allparty-recording', recording.join(' '));
      indicator.innerHTML = '<span class="d" aria-hidden="true"></span><span></span>';
      indicator.lastElementChild!.textContent = text('recording').replace(
        '{vendors}',
        recording.map(name).join(', '),
      );
      // R28: stopping the recording takes one click, the same as starting it.
      indicator.append(
        button(text('stopRecording'), { 'data-allparty-action': 'stop-recording' }, () =>
          consent.withdraw(['replay'], { control: 'stop-recording' }),
        ),
      );
      left.append(indicator);
    }
    right.replaceChildren(
      ...chats.map((id) =>
        button(
          text('chatWithUs'),
          { class: 'c', 'data-allparty-chat': id, 'data-allparty-action': 'chat' },
          () => {
            void chat(id);
          },
        ),
      ),
    );
  };

  const onUi = (e: Event) => update((e as CustomEvent<{ layer: string | null }>).detail.layer);
  const onClick = (e: Event) => {
    const target = e.target as Element | null;
    if (target?.closest?.(FOOTER_LINK)) {
      e.preventDefault();
      void ui('preferences');
    }
  };
  doc.addEventListener('allparty:ui', onUi);
  doc.addEventListener('click', onClick);
  const offChange = consent.on('change', () => update());
  const offShow = consent.on('show', ({ preferences }) => {
    // Once mounted, the banner listens to `show` itself.
    if (!handle) void ui(preferences ? 'preferences' : 'first');
  });
  update();
  if (consent.get().needsDecision) void ui('first');

  return {
    ui,
    chat,
    destroy() {
      offChange();
      offShow();
      doc.removeEventListener('allparty:ui', onUi);
      doc.removeEventListener('click', onClick);
      for (const h of hosts) h.remove();
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
  const add = (url: string) =>
    new Promise<void>((resolve, reject) => {
      const s = doc.createElement('script');
      s.src = url;
      if (options.nonce) s.nonce = options.nonce;
      s.onload = () => resolve();
      s.onerror = () => reject(new Error(`allparty: could not load ${url}`));
      doc.head.append(s);
    });
  const lang = options.language;
  if (lang && lang !== 'en' && LANGUAGES.includes(lang) && !win.allpartyUiMessages?.[lang])
    add(messagesUrl(src, lang)).catch(() => {});
  if (win.allpartyUi) return Promise.resolve(win.allpartyUi);
  return add(src).then(
    () => win.allpartyUi ?? Promise.reject(new Error('allparty: the banner bundle did not load')),
  );
}

/** `allparty-banner.js` → `allparty-banner.es.js` (and `.debug.js` → `.es.debug.js`). */
export function messagesUrl(src: string, language: string): string {
  return src.replace(/(\.debug)?\.js(?=$|[?#])/, `.${language}$1.js`);
}

/** Options for {@link startUi}. */
export interface StartUiOptions extends Omit<LauncherOptions, 'loadUi' | 'document'> {
  /** URL of `allparty-banner.js` (beside the embed). */
  src: string;
  /** CSP nonce for the inserted scripts. */
  nonce?: string | null;
}

/**
 * What the embed calls once at startup: when a decision is needed it starts loading the
 * banner bundle at once (so the first layer shows within a frame of DOMContentLoaded), and it
 * creates the launcher as soon as `<body>` exists. Returns the launcher when it is created.
 */
export function startUi(consent: Consent, options: StartUiOptions): Promise<Launcher> {
  const { src, nonce, ...rest } = options;
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
  if (consent.get().needsDecision) {
    void loadUi().catch(() => {});
    void loadManifests();
  }
  return new Promise((resolve) => {
    const go = () => resolve(createLauncher(consent, { ...rest, loadUi, manifests: loadManifests }));
    if (document.body) go();
    else document.addEventListener('DOMContentLoaded', go, { once: true });
  });
}
