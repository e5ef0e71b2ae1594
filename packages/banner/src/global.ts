/**
 * Entry of `allparty-banner.js`, the lazy UI bundle of the script-tag build (preact inlined).
 * The embed loads it with `loadUiScript` and gets `window.allpartyUi`. Non-English texts are
 * `allparty-banner.LANG.js` files beside it, loaded on demand.
 */
import { bannerTextsUrl, loadScript, scriptLoaded } from '@allparty/core';
import type { UiModule } from './launcher';
import { createBanner, type MessagesLoader } from './mount';

const self = document.currentScript as HTMLScriptElement | null;
const base = self?.src ?? '';

const loadMessages: MessagesLoader = async (language) => {
  const have = () => window.allpartyUiMessages?.[language];
  const url = bannerTextsUrl(base, language);
  // The launcher starts loading the texts beside this chunk: wait for that script, if it has not run.
  const started = [...document.scripts].find((el) => el.src === url);
  if (!have() && !(await (started ? scriptLoaded(started) : loadScript(url, self?.nonce))))
    throw new Error(`could not load the ${language} texts`);
  return have();
};

const ui: UiModule = {
  mountBanner: (consent, options) =>
    createBanner(consent, options, window.allpartyUiMessages ?? {}, loadMessages),
  openChatGate: (consent, vendorId, options) =>
    ui.mountBanner(consent, { open: false, ...options }).chat(vendorId),
};
window.allpartyUi = ui;
