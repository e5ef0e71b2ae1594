import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { es } from './i18n/es';
import { mountBanner } from './index';
import { renderedText } from './rendered-text';
import { makeConsent, manifests } from './test-fixtures';

// The privacy-choices view's "Download my consent receipt" (R20): shown with a log endpoint once
// the visitor decided; it asks the log for the latest receipt and saves it as a file.

const ui = () => document.getElementById('allparty-ui')?.shadowRoot ?? null;
const $ = (selector: string) => ui()?.querySelector<HTMLElement>(selector) ?? null;
const control = () => $('[data-allparty-action="receipt"]');
const status = () => $('[data-allparty-action="receipt"] ~ [role="status"]')?.textContent ?? null;

const HTML = '<!doctype html><title>Consent receipt</title>';

/** The log as the banner sees it: a queue of answers, and what it was asked. */
function fakeLog(...answers: Array<() => Response>) {
  const asked: Array<{ url: string; init: RequestInit | undefined }> = [];
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    asked.push({ url, init });
    const next = answers.shift();
    if (!next) throw new TypeError('network down');
    return next();
  });
  vi.stubGlobal('fetch', fetch);
  return asked;
}

/** Every file the page saved: the anchor's download name, and the blob behind its URL. */
function downloads() {
  const saved: Array<{ name: string; href: string; blob: Blob | undefined }> = [];
  const blobs = new Map<string, Blob>();
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const href = `blob:receipt-${blobs.size}`;
    blobs.set(href, blob as Blob);
    return href;
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, href: this.href, blob: blobs.get(this.href) });
  });
  return saved;
}

function decided(config: Record<string, unknown> = { log: { endpoint: '/consent/' } }) {
  const consent = makeConsent(config);
  mountBanner(consent, { manifests, console: { error: () => {} } });
  $('[data-allparty-action="accept-all"]')!.click();
  consent.show({ preferences: true });
  return consent;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  document.getElementById('allparty-ui')?.remove();
  document.body.innerHTML = '';
});

describe('the consent receipt in the privacy choices', () => {
  it('is offered only with a log endpoint and a decision', () => {
    const undecided = makeConsent({ log: { endpoint: '/consent' } });
    const banner = mountBanner(undecided, { manifests, console: { error: () => {} } });
    banner.open('preferences');
    expect($('[data-allparty-banner]')?.getAttribute('data-allparty-banner')).toBe('preferences');
    expect(control()).toBeNull();
    banner.destroy();

    decided({});
    expect($('[data-allparty-banner]')?.getAttribute('data-allparty-banner')).toBe('preferences');
    expect(control()).toBeNull();
    document.getElementById('allparty-ui')?.remove();

    decided();
    expect(control()?.tagName).toBe('BUTTON');
    expect(control()?.textContent).toBe('Download my consent receipt');
    expect(renderedText($('[data-allparty-banner]'))).toContain('Download my consent receipt');
    expect(status()).toBe('');
  });

  it('asks the log for the latest receipt with the subject and last record, and saves it as a file', async () => {
    const asked = fakeLog(() => new Response(HTML, { headers: { 'content-type': 'text/html' } }));
    const saved = downloads();
    const consent = decided();
    const { subject, record } = consent.get();
    const revoked = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    // A double click while the first request is out asks once.
    control()!.click();
    control()!.click();
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.url).toBe('/consent/v1/receipts/latest');
    expect(asked[0]!.init?.method).toBe('POST');
    expect(JSON.parse(String(asked[0]!.init?.body))).toEqual({ subject, record });
    expect(saved.map((s) => [s.name, s.href])).toEqual([['consent-receipt.html', 'blob:receipt-0']]);
    expect(await saved[0]!.blob?.text()).toBe(HTML);
    expect(status()).toBe('Receipt downloaded.');
    // The blob is freed once the download has its copy.
    expect(revoked).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(revoked).toHaveBeenCalledWith('blob:receipt-0');
    control()!.click();
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toHaveLength(2);
  });

  /** Decides, asks for the receipt with the log answering `answers` in turn, and sees it pending. */
  const clickWhilePending = async (...answers: Parameters<typeof fakeLog>) => {
    const asked = fakeLog(...answers);
    const saved = downloads();
    decided();
    control()!.click();
    await vi.advanceTimersByTimeAsync(0);
    expect(status()).toBe('Your choice is still being logged; the receipt will download shortly.');
    expect(saved).toEqual([]);
    return { asked, saved };
  };

  it('says the receipt is pending while the log answers 409, asks again, then saves it', async () => {
    const { asked, saved } = await clickWhilePending(
      () => Response.json({ reason: 'pending' }, { status: 409, headers: { 'retry-after': '3' } }),
      () => Response.json({ reason: 'uncovered' }, { status: 409 }),
      () => new Response(HTML),
    );
    // A second click while it waits starts no second download.
    control()!.click();
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toHaveLength(1);
    await vi.runOnlyPendingTimersAsync();
    expect(asked).toHaveLength(2);
    expect(saved).toEqual([]);
    await vi.runOnlyPendingTimersAsync();
    expect(asked).toHaveLength(3);
    expect(saved).toHaveLength(1);
    expect(status()).toBe('Receipt downloaded.');
  });

  it('waits while the log has not received the record yet (404), then saves it', async () => {
    const { asked, saved } = await clickWhilePending(
      () => Response.json({ error: 'no record of this visitor in the log (yet)' }, { status: 404 }),
      () => new Response(HTML),
    );
    await vi.runOnlyPendingTimersAsync();
    expect(asked).toHaveLength(2);
    expect(saved).toHaveLength(1);
    expect(status()).toBe('Receipt downloaded.');
  });

  it('says it failed when the log refuses, is unreachable, or stays pending', async () => {
    fakeLog(() =>
      Response.json({ error: 'receipts are served to the configured site origins only' }, { status: 403 }),
    );
    const saved = downloads();
    decided();
    control()!.click();
    await vi.advanceTimersByTimeAsync(0);
    expect(status()).toBe('Could not download the receipt. Try again later.');

    fakeLog(); // the network is down
    control()!.click();
    await vi.advanceTimersByTimeAsync(0);
    expect(status()).toBe('Could not download the receipt. Try again later.');

    const asked = fakeLog(...Array.from({ length: 12 }, () => () => new Response('{}', { status: 409 })));
    control()!.click();
    await vi.runAllTimersAsync();
    expect(asked).toHaveLength(10);
    expect(status()).toBe('Could not download the receipt. Try again later.');
    expect(saved).toEqual([]);
  });

  it('takes the site’s text overrides and the visitor’s language', async () => {
    decided({ log: { endpoint: '/consent' }, texts: { en: { receipt: 'Get a copy of my consent' } } });
    expect(control()?.textContent).toBe('Get a copy of my consent');
    document.getElementById('allparty-ui')?.remove();

    vi.useRealTimers();
    const consent = makeConsent({ log: { endpoint: '/consent' }, language: 'es' });
    consent.acceptAll();
    mountBanner(consent, { manifests, console: { error: () => {} }, open: 'preferences' });
    await vi.waitFor(() => expect(control()?.textContent).toBe(es.receipt));
    expect(es.receipt).toBe('Descargar mi comprobante de consentimiento');
  });
});
