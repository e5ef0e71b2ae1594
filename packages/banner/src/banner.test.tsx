import { applyGpc, type ConsentRecord, memoryStorage, noticeHash } from '@allparty/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mountBanner } from './index';
import { renderedText } from './rendered-text';
import { makeConsent, manifests } from './test-fixtures';

const ui = () => document.getElementById('allparty-ui')?.shadowRoot ?? null;
const $ = (selector: string) => ui()?.querySelector<HTMLElement>(selector) ?? null;
const $$ = (selector: string) => [...(ui()?.querySelectorAll<HTMLElement>(selector) ?? [])];
const act = (action: string) => $(`[data-allparty-action="${action}"]`);
const click = (action: string) => {
  const el = act(action);
  if (!el) throw new Error(`no control ${action}`);
  el.click();
};

function setup(config: Record<string, unknown> = {}, opts: Parameters<typeof makeConsent>[1] = {}) {
  const consent = makeConsent(config, opts);
  const records: ConsentRecord[] = [];
  consent.on('record', (r) => records.push(r));
  const errors: string[] = [];
  const banner = mountBanner(consent, { manifests, console: { error: (m: string) => errors.push(m) } });
  return { consent, records, banner, errors };
}

afterEach(() => {
  document.getElementById('allparty-ui')?.remove();
  document.body.innerHTML = '';
});

describe('first layer', () => {
  it('opens on a first visit in an open shadow root, as a labelled dialog', () => {
    setup();
    const host = document.getElementById('allparty-ui')!;
    expect(host.shadowRoot?.mode).toBe('open');
    const card = $('[data-allparty-banner]')!;
    expect(card.getAttribute('data-allparty-banner')).toBe('first');
    expect(card.getAttribute('role')).toBe('dialog');
    expect($(`#${card.getAttribute('aria-labelledby')}`)?.textContent).toBe('Your privacy choices');
    expect(ui()?.activeElement).toBe(card);
  });

  it('names every vendor by purpose in one line, with no pre-ticked control', () => {
    setup();
    const text = renderedText($('[data-allparty-banner]'));
    expect(text).toContain('Session recording: Hotjar');
    expect(text).toContain('Chat: Intercom');
    expect(text).toContain('Analytics: Plausible');
    expect(text).toContain('Advertising: Meta Pixel');
    expect($$('input')).toHaveLength(0);
  });

  it('gives Accept all and Reject all the same element, class and track (R4)', () => {
    setup();
    const accept = act('accept-all')!;
    const reject = act('reject-all')!;
    expect(accept.tagName).toBe(reject.tagName);
    expect(accept.className).toBe(reject.className);
    expect(accept.parentElement).toBe(reject.parentElement);
    expect(act('preferences')?.textContent).toBe('Choose');
  });

  it('Accept all records a grant with the hash of exactly the rendered text (R9)', () => {
    const { consent, records } = setup();
    const text = renderedText($('[data-allparty-banner]'));
    click('accept-all');
    expect(records).toHaveLength(1);
    expect(records[0]!.event).toBe('given');
    expect(records[0]!.method).toEqual({ type: 'control', control: 'accept-all' });
    expect(records[0]!.notice.hash).toBe(noticeHash(text));
    expect(records[0]!.notice.language).toBe('en');
    expect(consent.noticeText(records[0]!.notice.hash)).toBe(text);
    expect(consent.has('replay', 'hotjar')).toBe(true);
    expect($('[data-allparty-banner]')).toBeNull();
  });

  it('Reject all refuses everything in one click', () => {
    const { consent, records } = setup();
    click('reject-all');
    expect(records[0]!.event).toBe('refused');
    expect(consent.get().needsDecision).toBe(false);
    expect(Object.values(consent.get().vendors).some(Boolean)).toBe(false);
  });

  it('stays closed for a returning visitor, and reopens on consent.show()', () => {
    const storage = memoryStorage();
    const first = setup({}, { storage });
    click('accept-all');
    first.banner.destroy();
    const again = setup({}, { storage });
    expect($('[data-allparty-banner]')).toBeNull();
    again.consent.show({ preferences: true });
    expect($('[data-allparty-banner]')?.getAttribute('data-allparty-banner')).toBe('preferences');
  });

  it('says "Opt-out request honored" under GPC', () => {
    setup({}, { gpc: true });
    expect(renderedText($('[data-allparty-banner]'))).toContain('Opt-out request honored');
  });

  it('applies the configured dark theme and the language attribute', () => {
    setup({ theme: 'dark', language: 'en' });
    const root = $('[data-allparty-banner]')!.closest('.root')!;
    expect(root.classList.contains('dark')).toBe(true);
    expect(root.getAttribute('lang')).toBe('en');
  });
});

describe('after a material change (R9): asks again about what changed, and only that', () => {
  const before = { hotjar: { siteId: '1' }, intercom: { appId: 'a' }, plausible: {} };

  /** A visitor who decided under `before`, back after the site added meta-pixel (advertising). */
  function returning(decide: (c: ReturnType<typeof makeConsent>) => void, opts: { gpc?: boolean } = {}) {
    const storage = memoryStorage();
    const first = setup({ vendors: before }, { storage, ...opts });
    decide(first.consent);
    first.banner.destroy();
    const again = setup({}, { storage, ...opts });
    const stopped: string[][] = [];
    const released: string[][] = [];
    again.consent.on('stop', ({ vendors }) => stopped.push(vendors));
    again.consent.on('release', ({ vendors }) => released.push(vendors));
    return { ...again, stopped, released };
  }
  const acceptEverything = (c: ReturnType<typeof makeConsent>) => {
    c.acceptAll({ control: 'accept-all' });
  };

  it('names only the new vendor, under its own title and body, and the lint is satisfied', () => {
    const { consent, errors } = returning(acceptEverything);
    expect(consent.get().pendingVendors).toEqual(['meta-pixel']);
    const card = $('[data-allparty-banner="first"]')!;
    expect(card.getAttribute('data-allparty-changed')).toBe('meta-pixel');
    const text = renderedText(card);
    expect(text).toContain('We need to ask you again');
    expect(text).toContain('Advertising: Meta Pixel');
    for (const name of ['Hotjar', 'Intercom', 'Plausible']) expect(text).not.toContain(name);
    expect(errors).toEqual([]);
  });

  it('Reject all refuses only the new vendor and purpose: earlier grants stay, nothing stops', () => {
    const { consent, records, stopped } = returning(acceptEverything);
    const text = renderedText($('[data-allparty-banner]'));
    click('reject-all');
    expect(records.at(-1)).toMatchObject({
      event: 'refused',
      method: { type: 'control', control: 'reject-all' },
      purposes: { advertising: false },
      vendors: { 'meta-pixel': false },
    });
    expect(Object.keys(records.at(-1)!.purposes)).toEqual(['advertising']);
    expect(Object.keys(records.at(-1)!.vendors)).toEqual(['meta-pixel']);
    expect(records.at(-1)!.notice.hash).toBe(noticeHash(text));
    expect(stopped).toEqual([]);
    expect(consent.has('replay', 'hotjar') && consent.has('chat', 'intercom')).toBe(true);
    expect(consent.has('analytics', 'plausible')).toBe(true);
    expect(consent.get().needsDecision).toBe(false);
    expect($('[data-allparty-banner]')).toBeNull();
  });

  it('Accept all grants only the new vendor and purpose: nothing else is recorded or released', () => {
    const { consent, records, stopped, released } = returning(acceptEverything);
    click('accept-all');
    expect(records.at(-1)).toMatchObject({ event: 'given', method: { control: 'accept-all' } });
    expect(records.at(-1)!.purposes).toEqual({ advertising: true });
    expect(records.at(-1)!.vendors).toEqual({ 'meta-pixel': true });
    expect(released).toEqual([['meta-pixel']]);
    expect(stopped).toEqual([]);
    expect(consent.has('advertising', 'meta-pixel')).toBe(true);
  });

  it('keeps earlier refusals: a visitor who rejected everything is asked about the new vendor only', () => {
    const { consent } = returning((c) => {
      c.rejectAll({ control: 'reject-all' });
    });
    click('accept-all');
    expect(consent.has('advertising', 'meta-pixel')).toBe(true);
    expect(consent.has('replay') || consent.has('chat') || consent.has('analytics')).toBe(false);
  });

  it('under GPC, Accept all in a re-ask leaves the GPC purposes off (§ 7025)', () => {
    const { consent, records } = returning(
      (c) => {
        c.set({ purposes: { replay: true } }, { control: 'save' });
      },
      { gpc: true },
    );
    expect($('[data-allparty-banner="first"]')?.getAttribute('data-allparty-changed')).toBe(
      'intercom plausible meta-pixel',
    );
    click('accept-all');
    expect(records.at(-1)!.purposes).toEqual({ chat: true, analytics: true, advertising: false });
    expect(records.at(-1)!.vendors).toEqual({ intercom: true, plausible: true, 'meta-pixel': false });
    expect(consent.has('advertising')).toBe(false);
    expect(consent.has('replay', 'hotjar')).toBe(true);
  });

  it('a first visit still shows the whole notice', () => {
    setup();
    const card = $('[data-allparty-banner="first"]')!;
    expect(card.hasAttribute('data-allparty-changed')).toBe(false);
    expect(renderedText(card)).toContain('Your privacy choices');
  });

  it('a first visit with GPC on is a first visit: what GPC turned off is not a choice made', () => {
    // As the embed does: GPC is applied (a gpc-applied record) before the banner mounts.
    const consent = makeConsent(
      { vendors: { ...before, 'meta-pixel': { siteId: '1234567890' } } },
      { gpc: true },
    );
    const records: ConsentRecord[] = [];
    consent.on('record', (r) => records.push(r));
    expect(applyGpc(consent)).toBe(true);
    mountBanner(consent, { manifests, console: { error: () => {} } });
    const card = $('[data-allparty-banner="first"]')!;
    expect(card.hasAttribute('data-allparty-changed')).toBe(false);
    expect(renderedText(card)).toContain('Your privacy choices');
    click('accept-all');
    expect(records.at(-1)?.vendors).toMatchObject({ hotjar: true, intercom: true, 'meta-pixel': false });
    expect(consent.has('advertising')).toBe(false);
  });
});

describe('preferences', () => {
  it('lists each purpose with a labelled switch and each vendor with its disclosure, all off', () => {
    setup();
    click('preferences');
    expect($('[data-allparty-banner]')?.getAttribute('data-allparty-banner')).toBe('preferences');
    expect($('[data-allparty-banner]')?.getAttribute('aria-modal')).toBe('true');
    const switches = $$('input[role="switch"]') as HTMLInputElement[];
    expect(switches.length).toBe(8);
    for (const s of switches) {
      expect(s.checked).toBe(false);
      const label = s.getAttribute('aria-labelledby')!;
      expect($(`#${label}`)?.textContent?.trim()).not.toBe('');
    }
    const hotjar = $('[data-allparty-vendor-info="hotjar"]')!;
    expect(hotjar.textContent).toContain('Hotjar (Hotjar Ltd)');
    expect(hotjar.textContent).toContain('your clicks, scrolling and what you type');
    expect(hotjar.textContent).toContain('the longest is kept 1 year');
    expect($('[data-allparty-vendor-info="intercom"]')?.textContent).toContain('to train its AI answer bot');
  });

  it('links each vendor’s own privacy policy, and says to read it where our notice cannot state a fact', () => {
    const consent = makeConsent();
    const privacyPolicy = 'https://www.intercom.com/legal/privacy';
    const unknown = {
      ...manifests[1]!,
      ownUse: null,
      privacyPolicy,
      cookies: [{ name: 'i', lifetime: null }],
    };
    mountBanner(consent, { manifests: manifests.map((m) => (m.id === 'intercom' ? unknown : m)) });
    click('preferences');
    const intercom = $('[data-allparty-vendor-info="intercom"]')!;
    expect(renderedText(intercom)).toContain(
      "Its own use of the data: as its privacy policy says. Cookies: 1; the longest is kept as long as its privacy policy says. Intercom's privacy policy",
    );
    const link = intercom.querySelector('a')!;
    expect(link.getAttribute('href')).toBe(privacyPolicy);
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    // A vendor whose notice names no policy gets no link.
    expect($('[data-allparty-vendor-info="hotjar"] a')).toBeNull();
  });

  it('Save choices records exactly the toggles, with the preferences text hash', () => {
    const { consent, records } = setup();
    click('preferences');
    const replay = $('[data-allparty-purpose="replay"]') as HTMLInputElement;
    replay.click();
    expect(($('[data-allparty-vendor="hotjar"]') as HTMLInputElement).checked).toBe(true);
    const text = renderedText($('[data-allparty-banner]'));
    click('save');
    expect(records).toHaveLength(1);
    expect(records[0]!.event).toBe('partial');
    expect(records[0]!.method).toEqual({ type: 'control', control: 'save' });
    expect(records[0]!.notice.hash).toBe(noticeHash(text));
    expect(consent.has('replay', 'hotjar')).toBe(true);
    expect(consent.has('chat')).toBe(false);
    expect(consent.has('advertising')).toBe(false);
  });

  it('a vendor switch turns on its purpose; a purpose switch off turns its vendors off', () => {
    setup();
    click('preferences');
    ($('[data-allparty-vendor="intercom"]') as HTMLInputElement).click();
    expect(($('[data-allparty-purpose="chat"]') as HTMLInputElement).checked).toBe(true);
    ($('[data-allparty-purpose="chat"]') as HTMLInputElement).click();
    expect(($('[data-allparty-vendor="intercom"]') as HTMLInputElement).checked).toBe(false);
  });

  it('Escape and the close button never decide: back to the first layer while undecided', () => {
    const { records } = setup();
    click('preferences');
    $('[data-allparty-banner]')!.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }),
    );
    expect($('[data-allparty-banner]')?.getAttribute('data-allparty-banner')).toBe('first');
    click('preferences');
    click('close');
    expect($('[data-allparty-banner]')?.getAttribute('data-allparty-banner')).toBe('first');
    expect(records).toHaveLength(0);
  });

  it('traps Tab inside the modal and returns focus to the opener', () => {
    const { consent } = setup();
    click('accept-all');
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    consent.show({ preferences: true });
    const card = $('[data-allparty-banner]')!;
    const focusable = [...card.querySelectorAll<HTMLElement>('button,input')];
    focusable[focusable.length - 1]!.focus();
    const tab = new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true });
    card.dispatchEvent(tab);
    expect(tab.defaultPrevented).toBe(true);
    expect(ui()?.activeElement).toBe(focusable[0]);
    click('close');
    expect($('[data-allparty-banner]')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it("returns focus to the opener's re-rendered equivalent when the opener itself was replaced", () => {
    const { consent } = setup();
    click('accept-all');
    const nav = document.createElement('nav');
    nav.innerHTML = '<button data-allparty-action="open-preferences">Privacy</button>';
    document.body.append(nav);
    nav.querySelector<HTMLElement>('button')!.focus();
    consent.show({ preferences: true });
    // The site re-renders its footer while the dialog is open.
    nav.innerHTML = '<button data-allparty-action="open-preferences">Privacy</button>';
    click('close');
    expect(document.activeElement).toBe(nav.querySelector('button'));
  });

  it('Reject all after an earlier grant is a withdrawal that stops vendors', () => {
    const { consent, records } = setup();
    click('accept-all');
    const stopped: string[][] = [];
    consent.on('stop', ({ vendors }) => stopped.push(vendors));
    consent.show({ preferences: true });
    expect(($('[data-allparty-vendor="hotjar"]') as HTMLInputElement).checked).toBe(true);
    click('reject-all');
    expect(records.at(-1)!.event).toBe('withdrawn');
    expect(records.at(-1)!.method).toEqual({ type: 'control', control: 'reject-all' });
    expect(stopped[0]).toEqual(expect.arrayContaining(['hotjar', 'intercom', 'plausible', 'meta-pixel']));
  });
});

describe('chat-start gate (R11, R13)', () => {
  it('names the vendor and says messages are sent, recorded and stored; Agree records a chat-start', async () => {
    const { consent, records, banner } = setup();
    click('reject-all');
    const result = banner.chat('intercom');
    const card = $('[data-allparty-banner]')!;
    expect(card.getAttribute('data-allparty-banner')).toBe('chat');
    const text = renderedText(card);
    expect(text).toContain('Start a chat with Intercom?');
    expect(text).toContain(
      'Your messages are sent to, recorded and stored by Intercom R&D Unlimited Company.',
    );
    expect(text).toContain('to train its AI answer bot');
    click('chat-accept');
    await expect(result).resolves.toBe('accepted');
    const record = records.at(-1)!;
    expect(record.event).toBe('chat-start');
    expect(record.method).toEqual({ type: 'control', control: 'chat-accept' });
    expect(record.notice.hash).toBe(noticeHash(text));
    expect(consent.has('chat', 'intercom')).toBe(true);
    expect(consent.has('replay')).toBe(false);
  });

  it('No thanks loads nothing and offers the non-recorded contact', async () => {
    const { consent, banner } = setup();
    click('reject-all');
    const result = banner.chat('intercom');
    click('chat-decline');
    expect(consent.has('chat', 'intercom')).toBe(false);
    const link = $('[data-allparty-chat-declined] a') as HTMLAnchorElement;
    expect(link.textContent).toBe('Email us');
    expect(link.getAttribute('href')).toBe('mailto:help@example.com');
    click('chat-close');
    await expect(result).resolves.toBe('declined');
  });
});

describe('languages and lint', () => {
  it('renders Spanish completely and hashes the Spanish text', async () => {
    const consent = makeConsent({ language: 'es' });
    const records: ConsentRecord[] = [];
    consent.on('record', (r) => records.push(r));
    const banner = mountBanner(consent, { manifests });
    expect(banner.language).toBe('es');
    await vi.waitFor(() => expect($('[data-allparty-banner]')).not.toBeNull());
    const text = renderedText($('[data-allparty-banner]'));
    expect(text).toContain('Tus opciones de privacidad');
    expect(act('accept-all')?.textContent).toBe('Aceptar todo');
    expect(act('reject-all')?.textContent).toBe('Rechazar todo');
    click('accept-all');
    expect(records[0]!.notice).toMatchObject({ language: 'es', hash: noticeHash(text) });
  });

  it('takes every string from config.texts[lang][key]', () => {
    setup({ language: 'en', texts: { en: { acceptAll: 'Allow all', title: 'Cookies and recording' } } });
    expect(act('accept-all')?.textContent).toBe('Allow all');
    expect($('#ap-t')?.textContent).toBe('Cookies and recording');
  });

  it('rejects an absolute promise with a clear console error', () => {
    const { errors } = setup({ texts: { en: { body: 'Your visit is 100% confidential.' } } });
    expect(errors.join('\n')).toContain('texts.en.body says "100% confidential"');
    expect(renderedText($('[data-allparty-banner]'))).not.toContain('100% confidential');
  });

  it('reports a configured vendor without a manifest (it cannot say what it captures)', () => {
    const consent = makeConsent();
    const errors: string[] = [];
    const banner = mountBanner(consent, {
      manifests: manifests.filter((m) => m.id !== 'plausible'),
      console: { error: (m: string) => errors.push(m) },
    });
    expect(banner.problems.map((p) => p.kind)).toContain('no-manifest');
    expect(errors.join('\n')).toContain('no manifest for "plausible"');
  });
});
