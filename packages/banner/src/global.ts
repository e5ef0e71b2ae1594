/**
 * Entry of `allparty-banner.js`, the lazy UI bundle of the script-tag build (preact inlined).
 * The embed loads it with `loadUiScript` and gets `window.allpartyUi`. Non-English texts are
 * `allparty-banner.LANG.js` files beside it, loaded on demand.
 */
import type { UiModule } from './launcher';
import { messagesUrl } from './launcher';
import { createBanner, type MessagesLoader } from './mount';

const self = document.currentScript as HTMLScriptElement | null;
const base = self?.src ?? '';

const loadMessages: MessagesLoader = (language) =>
  new Promise((resolve, reject) => {
    const have = () => window.allpartyUiMessages?.[language];
    if (have()) return resolve(have());
    const url = messagesUrl(base, language);
    let s = [...document.scripts].find((el) => el.src === url);
    if (!s) {
      s = document.createElement('script');
      s.src = url;
      if (self?.nonce) s.nonce = self.nonce;
      document.head.append(s);
    }
    s.addEventListener('load', () => resolve(have()));
    s.addEventListener('error', () => reject(new Error(`could not load ${url}`)));
  });

const ui: UiModule = {
  mountBanner: (consent, options) =>
    createBanner(consent, options, window.allpartyUiMessages ?? {}, loadMessages),
  openChatGate: (consent, vendorId, options) =>
    ui.mountBanner(consent, { open: false, ...options }).chat(vendorId),
};
window.allpartyUi = ui;
