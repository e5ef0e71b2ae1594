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

  it('R28: once anything is granted, "Withdraw consent" beside the control withdraws in one click, recorded as the preferences\' Reject all is', async () => {
    const granted = { purposes: { replay: true, chat: false, analytics: true, advertising: false } };
    // The preferences' Reject all after a grant, for comparison.
    const viaPreferences = decided(granted);
    mountBanner(viaPreferences.consent, { manifests, open: 'preferences' });
    shadow('allparty-ui')!.querySelector<HTMLElement>('[data-allparty-action="reject-all"]')!.click();
    const expected = viaPreferences.records.at(-1)!;
    expect(expected.event).toBe('withdrawn');
    document.getElementById('allparty-ui')?.remove();

    const nothing = decided({
      purposes: { replay: false, chat: false, analytics: false, advertising: false },
    });
    launcher = createLauncher(nothing.consent, { loadUi: async () => realUi });
    expect(inLauncher('[data-allparty-action="withdraw"]')!.hidden).toBe(true);
    launcher.destroy();

    const { consent, records } = decided(granted);
    launcher = createLauncher(consent, { loadUi: async () => realUi, manifests: () => manifests });
    const withdraw = inLauncher('[data-allparty-action="withdraw"]')!;
    expect(withdraw.hidden).toBe(false);
    expect(withdraw.textContent).toBe('Withdraw consent');
    expect(withdraw.tagName).toBe('BUTTON');
    // Hidden with the control while a dialog is open.
    inLauncher('[data-allparty-action="open-preferences"]')!.click();
    await vi.waitFor(() => expect(banner()?.getAttribute('data-allparty-banner')).toBe('preferences'));
    expect(withdraw.hidden).toBe(true);
    shadow('allparty-ui')!.querySelector<HTMLElement>('[data-allparty-action="close"]')!.click();
    expect(withdraw.hidden).toBe(false);

    const stopped: string[][] = [];
    consent.on('stop', ({ vendors }) => stopped.push(vendors));
    const before = records.length;
    withdraw.focus();
    withdraw.click();
    expect(records).toHaveLength(before + 1);
    const record = records.at(-1)!;
    expect(record.method).toEqual({ type: 'control', control: 'withdraw' });
    const shape = (r: ConsentRecord) => ({ event: r.event, purposes: r.purposes, vendors: r.vendors });
    expect(shape(record)).toEqual(shape(expected));
    expect(Object.keys(record).sort()).toEqual(Object.keys(expected).sort());
    expect(consent.noticeText(record.notice.hash)).toBe('Withdraw consent');
    expect(stopped[0]).toEqual(expect.arrayContaining(['hotjar', 'plausible']));
    expect(consent.context.purposes.some((p) => consent.has(p))).toBe(false);
    // Nothing left to withdraw: the button hides and focus stays beside it, on the control.
    expect(withdraw.hidden).toBe(true);
    expect(shadow('allparty-launcher')!.activeElement).toBe(
      inLauncher('[data-allparty-action="open-preferences"]'),
    );
  });

  it("a site's own withdraw control in the page withdraws in one click too", () => {
    const { consent, records } = decided({
      purposes: { replay: false, chat: false, analytics: true, advertising: false },
    });
    launcher = createLauncher(consent, { loadUi: async () => realUi, floating: false });
    expect(inLauncher('[data-allparty-action="withdraw"]')).toBeNull();
    document.body.insertAdjacentHTML(
      'beforeend',
      '<footer><button data-allparty-action="withdraw">Withdraw my consent</button> <button data-allparty-action="reject-all">Other</button></footer>',
    );
    const before = records.length;
    document.querySelector<HTMLElement>('footer [data-allparty-action="reject-all"]')!.click();
    expect(records).toHaveLength(before);
    document.querySelector<HTMLElement>('footer [data-allparty-action="withdraw"]')!.click();
    expect(records.at(-1)).toMatchObject({
      event: 'withdrawn',
      method: { type: 'control', control: 'withdraw' },
      purposes: { analytics: false },
    });
    expect(consent.noticeText(records.at(-1)!.notice.hash)).toBe('Withdraw my consent');
  });

  it('speaks the page language and takes overrides from config.texts', () => {
    const consent = makeConsent({ language: 'es', texts: { es: { chatWithUs: 'Escríbenos' } } });
    consent.rejectAll({ control: 'reject-all' });
    launcher = createLauncher(consent, { loadUi: async () => realUi });
    expect(inLauncher('[data-allparty-action="open-preferences"]')?.getAttribute('aria-label')).toBe(
      'Opciones de privacidad',
    );
    expect(inChat('[data-allparty-chat]')?.textContent).toBe('Escríbenos');
    launcher.destroy();
    consent.set({ purposes: { analytics: true } }, { control: 'save' });
    launcher = createLauncher(consent, { loadUi: async () => realUi });
    expect(inLauncher('[data-allparty-action="withdraw"]')?.textContent).toBe('Retirar el consentimiento');
  });

  it('names language files beside the bundle', () => {
    expect(messagesUrl('https://cdn.example/a/allparty-banner.js', 'es')).toBe(
      'https://cdn.example/a/allparty-banner.es.js',
    );
    expect(messagesUrl('/allparty-banner.debug.js?v=2', 'zh')).toBe('/allparty-banner.zh.debug.js?v=2');
  });
});
