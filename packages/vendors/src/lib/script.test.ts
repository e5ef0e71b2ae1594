import { beforeEach, describe, expect, it } from 'vitest';
import { adapters } from '../testing/adapters';
import { resetPage } from '../testing/harness';
import { markPage, removeVendorDom } from './dom';
import { injectScript, VENDOR_ATTRIBUTE } from './script';
import { validateSettings } from './validate';

describe('script injection and DOM removal', () => {
  beforeEach(resetPage);

  it('inserts an async script with the nonce and marks it, once per URL', () => {
    const a = injectScript(
      'hotjar',
      'https://static.hotjar.com/c/hotjar-1.js?sv=6',
      { nonce: 'abc' },
      { id: 'x', attributes: { 'data-k': 'v' } },
    );
    const b = injectScript('hotjar', 'https://static.hotjar.com/c/hotjar-1.js?sv=6', { nonce: 'abc' });
    expect(b).toBe(a);
    expect(a.parentNode).toBe(document.head);
    expect(a.async).toBe(true);
    expect(a.nonce).toBe('abc');
    expect(a.id).toBe('x');
    expect(a.getAttribute('data-k')).toBe('v');
    expect(a.getAttribute(VENDOR_ATTRIBUTE)).toBe('hotjar');
    expect(injectScript('hotjar', 'https://static.hotjar.com/other.js', { nonce: null }).nonce ?? '').toBe(
      '',
    );
  });

  it('honours the site’s integrity hash (with crossorigin) and self-hosted src from the settings (R32)', () => {
    const integrity = `sha384-${'C'.repeat(64)}`;
    const script = injectScript(
      'posthog',
      'https://us-assets.i.posthog.com/static/array.js',
      { nonce: null, settings: { siteId: 'phc_x', integrity, src: '/vendor/array.js' } },
      { attributes: { crossorigin: '*' } },
    );
    expect(script.getAttribute('src')).toBe('/vendor/array.js');
    expect(script.getAttribute('integrity')).toBe(integrity);
    // A snippet's own crossorigin value gives way: an integrity check needs a CORS fetch.
    expect(script.getAttribute('crossorigin')).toBe('anonymous');
    const plain = injectScript('hotjar', 'https://static.hotjar.com/c/hotjar-1.js', {
      nonce: null,
      settings: { siteId: '1' },
    });
    expect(plain.hasAttribute('integrity')).toBe(false);
    expect(plain.hasAttribute('crossorigin')).toBe(false);
    expect(plain.getAttribute('src')).toBe('https://static.hotjar.com/c/hotjar-1.js');
  });

  it('removes only the vendor’s own elements', () => {
    injectScript('hotjar', 'https://static.hotjar.com/a.js', { nonce: null });
    document.body.innerHTML = `
      <iframe src="https://vars.hotjar.com/box.html"></iframe>
      <img src="https://in.hotjar.com/p.gif">
      <script src="https://cdn.example.com/site.js"></script>
      <iframe src="https://www.youtube.com/embed/x"></iframe>
      <div id="_hj_widget"></div>`;
    const removed = removeVendorDom({ id: 'hotjar', hosts: ['*.hotjar.com'] }, ['#_hj_widget']);
    expect(removed).toBe(4);
    expect(document.querySelectorAll('iframe')).toHaveLength(1);
    expect(document.querySelector('script[src="https://cdn.example.com/site.js"]')).not.toBeNull();
  });

  it('marks the whole page for a vendor’s masking rule', () => {
    markPage({ className: 'fs-mask' });
    markPage({ attribute: 'data-clarity-mask', value: 'true' });
    expect(document.documentElement.className).toBe('fs-mask');
    expect(document.body.getAttribute('data-clarity-mask')).toBe('true');
  });
});

describe('validateSettings', () => {
  it('explains each problem with its path', () => {
    const m = adapters.intercom!.manifest;
    expect(validateSettings(m, { siteId: 'abc12345', region: 'mars', colour: 'red' })).toEqual([
      { path: 'vendors.intercom.colour', message: expect.stringContaining('unknown setting for Intercom') },
      { path: 'vendors.intercom.region', message: 'must be one of "us", "eu", "au", got "mars"' },
    ]);
    expect(validateSettings(m, {})).toEqual([
      {
        path: 'vendors.intercom.siteId',
        message: 'is required: the Intercom app ID (workspace ID), like "abc12345"',
      },
    ]);
    expect(validateSettings(m, { snippet: true })).toEqual([]);
    expect(
      validateSettings(adapters.segment!.manifest, { siteId: 'abc', deviceModeDestinations: 'yes' }),
    ).toEqual([
      { path: 'vendors.segment.deviceModeDestinations', message: 'must be true or false, got "yes"' },
    ]);
  });
});
