import { type ConsentRecord, createConsent, memoryStorage, noticeHash, parseConfig } from '@allparty/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mountBanner } from './index';
import { renderedText } from './rendered-text';
import { hotjar, youtube } from './test-fixtures';

function setup(loadOnce?: (el: Element, id: string) => void) {
  // srcdoc: happy-dom does not load frames and would say so on the console for each one.
  document.body.innerHTML = `<main><p>Watch:</p>
    <iframe srcdoc="" id="v" data-src="https://www.youtube.com/embed/abcdef" data-allparty="video" data-vendor="youtube" width="560" height="315" title="Our film"></iframe>
    <iframe srcdoc="" id="x" data-src="https://elsewhere.example/embed" data-allparty="video" data-vendor="vimeo"></iframe></main>`;
  const parsed = parseConfig(
    { vendors: { youtube: {}, hotjar: { siteId: '1' } } },
    { vendors: [youtube, hotjar] },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const consent = createConsent({
    config: parsed.config,
    vendors: [youtube, hotjar],
    storage: memoryStorage(),
    userActivation: () => true,
    gpc: () => false,
    console: { warn: () => {}, error: () => {}, info: () => {} },
  });
  const records: ConsentRecord[] = [];
  consent.on('record', (r) => records.push(r));
  consent.rejectAll({ control: 'reject-all' });
  const banner = mountBanner(consent, {
    manifests: [youtube, hotjar],
    ...(loadOnce ? { loadOnce } : {}),
  });
  banner.placeholders();
  return { consent, records, banner };
}

const placeholder = () => document.querySelector<HTMLElement>('[data-allparty-embed="youtube"]');
const button = (action: string) =>
  placeholder()?.shadowRoot?.querySelector<HTMLElement>(`[data-allparty-action="${action}"]`) ?? null;
const frame = () => document.getElementById('v') as HTMLIFrameElement;

afterEach(() => {
  document.getElementById('allparty-ui')?.remove();
  document.body.innerHTML = '';
});

describe('click-to-load placeholders', () => {
  it('stands in for a tagged frame of a vendor not granted, naming it and what it receives', () => {
    const { banner } = setup(() => {});
    const host = placeholder()!;
    expect(host.nextElementSibling).toBe(frame());
    expect(frame().style.display).toBe('none');
    const text = renderedText(host.shadowRoot!.querySelector('[data-allparty-embed-card]'));
    expect(text).toContain('Content from YouTube');
    expect(text).toContain('YouTube (Google LLC) receives your IP address and which video you watch.');
    expect(button('embed-once')?.textContent).toBe('Load once');
    expect(button('embed-always')?.textContent).toBe('Always allow');
    // An unconfigured vendor's frame gets no placeholder: it can never load.
    expect(document.querySelector('[data-allparty-embed="vimeo"]')).toBeNull();
    banner.destroy();
    expect(placeholder()).toBeNull();
    expect(frame().style.display).toBe('');
  });

  it('Always allow records a grant of that vendor and purpose with control embed-always', () => {
    const { consent, records } = setup(() => {});
    const text = renderedText(placeholder()!.shadowRoot!.querySelector('[data-allparty-embed-card]'));
    button('embed-always')!.click();
    const record = records.at(-1)!;
    expect(record.method).toEqual({ type: 'control', control: 'embed-always' });
    expect(record.purposes).toEqual({ video: true });
    expect(record.vendors).toEqual({ youtube: true });
    expect(record.notice.hash).toBe(noticeHash(text));
    expect(consent.has('video', 'youtube')).toBe(true);
    expect(consent.has('replay')).toBe(false);
    expect(placeholder()).toBeNull();
    // Withdrawn: the placeholder comes back.
    consent.withdraw(['video']);
    expect(placeholder()).not.toBeNull();
  });

  it('Load once asks the embed to load this frame only, and stores nothing', () => {
    const loadOnce = vi.fn();
    const { consent, records } = setup(loadOnce);
    const before = records.length;
    button('embed-once')!.click();
    expect(loadOnce).toHaveBeenCalledWith(frame(), 'youtube');
    expect(records.length).toBe(before);
    expect(consent.has('video', 'youtube')).toBe(false);
    expect(placeholder()).toBeNull();
    expect(frame().style.display).toBe('');
  });

  it('offers only Always allow when the embed cannot load once', () => {
    setup();
    expect(button('embed-once')).toBeNull();
    expect(button('embed-always')).not.toBeNull();
  });
});
