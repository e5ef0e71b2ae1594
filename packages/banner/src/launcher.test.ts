import type { ConsentRecord } from '@allparty/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mountBanner } from './index';
import { createLauncher, type Launcher, messagesUrl, type UiModule } from './launcher';
import { makeConsent, manifests } from './test-fixtures';

const shadow = (id: string) => document.getElementById(id)?.shadowRoot ?? null;
const inLauncher = (selector: string) =>
  shadow('allparty-launcher')?.querySelector<HTMLElement>(selector) ?? null;
const inChat = (selector: string) => shadow('allparty-chat')?.querySelector<HTMLElement>(selector) ?? null;
const banner = () => shadow('allparty-ui')?.querySelector<HTMLElement>('[data-allparty-banner]') ?? null;

const realUi: UiModule = {
  mountBanner: (consent, options) => mountBanner(consent, options),
  openChatGate: (consent, id, options) => mountBanner(consent, { open: false, ...options }).chat(id),
};

let launcher: Launcher | null = null;
afterEach(() => {
  launcher?.destroy();
  document.getElementById('allparty-ui')?.remove();
  document.body.innerHTML = '';
});

function decided(choices: Parameters<ReturnType<typeof makeConsent>['set']>[0]) {
  const consent = makeConsent();
  consent.set(choices, { control: 'save' });
  const records: ConsentRecord[] = [];
  consent.on('record', (r) => records.push(r));
  return { consent, records };
}

describe('launcher', () => {
  it('loads the banner at once when a decision is needed, and not otherwise', async () => {
    const loadUi = vi.fn(async () => realUi);
    launcher = createLauncher(makeConsent(), { loadUi, manifests: () => manifests });
    expect(loadUi).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(banner()?.getAttribute('data-allparty-banner')).toBe('first'));
    launcher.destroy();
    document.getElementById('allparty-ui')?.remove();

    const quiet = vi.fn(async () => realUi);
    const { consent } = decided({
      purposes: { replay: false, chat: false, analytics: false, advertising: false },
    });
    launcher = createLauncher(consent, { loadUi: quiet });
    expect(quiet).not.toHaveBeenCalled();
    expect(inLauncher('[data-allparty-action="open-preferences"]')?.getAttribute('aria-label')).toBe(
      'Privacy choices',
    );
  });

  it('the privacy-choices control and a footer link reopen the preferences', async () => {
    const { consent } = decided({
      purposes: { replay: false, chat: false, analytics: false, advertising: false },
    });
    launcher = createLauncher(consent, { loadUi: async () => realUi, manifests: () => manifests });
    inLauncher('[data-allparty-action="open-preferences"]')!.click();
    await vi.waitFor(() => expect(banner()?.getAttribute('data-allparty-banner')).toBe('preferences'));
    // The control hides while the banner is open, and comes back after.
    expect(inLauncher('[data-allparty-action="open-preferences"]')!.hidden).toBe(true);
    shadow('allparty-ui')!.querySelector<HTMLElement>('[data-allparty-action="close"]')!.click();
    expect(banner()).toBeNull();
    expect(inLauncher('[data-allparty-action="open-preferences"]')!.hidden).toBe(false);

    const link = document.createElement('a');
    link.href = '#privacy-choices';
    link.textContent = 'Your privacy choices';
    document.body.append(link);
    link.click();
    await vi.waitFor(() => expect(banner()?.getAttribute('data-allparty-banner')).toBe('preferences'));
    shadow('allparty-ui')!.querySelector<HTMLElement>('[data-allparty-action="close"]')!.click();

    const own = document.createElement('button');
    own.setAttribute('data-allparty-action', 'open-preferences');
    document.body.append(own);
    own.click();
    await vi.waitFor(() => expect(banner()?.getAttribute('data-allparty-banner')).toBe('preferences'));
  });

  it('keeps its controls while a dialog is open, so focus returns to the one that opened it', async () => {
    const { consent } = decided({
      purposes: { replay: false, chat: false, analytics: false, advertising: false },
    });
    launcher = createLauncher(consent, { loadUi: async () => realUi, manifests: () => manifests });
    const control = inLauncher('[data-allparty-action="open-preferences"]')!;
    const chat = inChat('[data-allparty-chat="intercom"]')!;
    control.focus();
    control.click();
    await vi.waitFor(() => expect(banner()?.getAttribute('data-allparty-banner')).toBe('preferences'));
    // Save turns replay on: the launcher adds the recording indicator, and keeps the control.
    const replay = shadow('allparty-ui')!.querySelector<HTMLInputElement>(
      '[data-allparty-purpose="replay"]',
    )!;
    replay.checked = true;
    replay.dispatchEvent(new Event('change', { bubbles: true }));
    shadow('allparty-ui')!.querySelector<HTMLElement>('[data-allparty-action="save"]')!.click();
    expect(banner()).toBeNull();
    expect(inLauncher('[data-allparty-recording]')).not.toBeNull();
    expect(inLauncher('[data-allparty-action="open-preferences"]')).toBe(control);
    expect(shadow('allparty-launcher')!.activeElement).toBe(control);

    chat.focus();
    chat.click();
    await vi.waitFor(() => expect(banner()?.getAttribute('data-allparty-banner')).toBe('chat'));
    shadow('allparty-ui')!.querySelector<HTMLElement>('[data-allparty-action="close"]')!.click();
    expect(banner()).toBeNull();
    expect(inChat('[data-allparty-chat="intercom"]')).toBe(chat);
    expect(shadow('allparty-chat')!.activeElement).toBe(chat);
  });

  it('stands a first-party "Chat with us" in for a chat vendor not granted, and opens the gate', async () => {
    const { consent, records } = decided({
      purposes: { replay: false, chat: false, analytics: false, advertising: false },
    });
    const onChatStart = vi.fn();
    launcher = createLauncher(consent, {
      loadUi: async () => realUi,
      manifests: () => manifests,
      onChatStart,
    });
    const chat = inChat('[data-allparty-chat="intercom"]')!;
    expect(chat.textContent).toBe('Chat with us');
    chat.click();
    await vi.waitFor(() => expect(banner()?.getAttribute('data-allparty-banner')).toBe('chat'));
    shadow('allparty-ui')!.querySelector<HTMLElement>('[data-allparty-action="chat-accept"]')!.click();
    await vi.waitFor(() => expect(onChatStart).toHaveBeenCalledWith('intercom'));
    expect(records.at(-1)?.event).toBe('chat-start');
    // Granted: the vendor's own widget takes the place; the stand-in goes.
    expect(inChat('[data-allparty-chat]')).toBeNull();
  });

  it('shows a recording indicator while a replay vendor runs; one click stops it (withdraws replay)', () => {
    const { consent, records } = decided({
      purposes: { replay: true, chat: false, analytics: false, advertising: false },
      vendors: { hotjar: true },
    });
    launcher = createLauncher(consent, { loadUi: async () => realUi });
    const indicator = inLauncher('[data-allparty-recording]')!;
    expect(indicator.getAttribute('role')).toBe('status');
    expect(indicator.textContent).toContain('This visit is recorded by Hotjar Ltd');
    inLauncher('[data-allparty-action="stop-recording"]')!.click();
    expect(records.at(-1)).toMatchObject({
      event: 'withdrawn',
      method: { type: 'control', control: 'stop-recording' },
      purposes: { replay: false },
    });
    expect(consent.has('replay', 'hotjar')).toBe(false);
    expect(inLauncher('[data-allparty-recording]')).toBeNull();
  });

  it('speaks the page language and takes overrides from config.texts', () => {
    const consent = makeConsent({ language: 'es', texts: { es: { chatWithUs: 'Escríbenos' } } });
    consent.rejectAll({ control: 'reject-all' });
    launcher = createLauncher(consent, { loadUi: async () => realUi });
    expect(inLauncher('[data-allparty-action="open-preferences"]')?.getAttribute('aria-label')).toBe(
      'Opciones de privacidad',
    );
    expect(inChat('[data-allparty-chat]')?.textContent).toBe('Escríbenos');
  });

  it('names language files beside the bundle', () => {
    expect(messagesUrl('https://cdn.example/a/allparty-banner.js', 'es')).toBe(
      'https://cdn.example/a/allparty-banner.es.js',
    );
    expect(messagesUrl('/allparty-banner.debug.js?v=2', 'zh')).toBe('/allparty-banner.zh.debug.js?v=2');
  });
});
