/**
 * What the preferences say of every vendor adapter, rendered as a visitor reads it: the banner
 * (`@allparty/banner`) over the vendor manifests (`@allparty/vendors`), the two packages the embed
 * wires together. Research notes ("not confirmed: our research found…") are for the docs; the
 * notice links to the vendor's own privacy policy instead.
 */
import { mountBanner, renderedText } from '@allparty/banner';
import { createConsent, memoryStorage, parseConfig } from '@allparty/core';
import { descriptors, manifests, type VendorManifest } from '@allparty/vendors';
import { afterEach, describe, expect, it } from 'vitest';

/** The settings a site owner would paste: the id example plus every required option. */
function exampleSettings(m: VendorManifest): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  if (m.configId) settings[m.configId.setting] = m.configId.example;
  for (const o of m.options ?? []) if (o.required) settings[o.name] = o.example;
  return settings;
}

const RESEARCH_NOTE = /confirm|research|catalog|secondary|see above/i;

afterEach(() => {
  document.getElementById('allparty-ui')?.remove();
});

describe('the preferences, for every vendor adapter', () => {
  it('say nothing internal, and link each vendor’s own privacy policy', () => {
    const parsed = parseConfig(
      { vendors: Object.fromEntries(manifests.map((m) => [m.id, exampleSettings(m)])) },
      { vendors: descriptors },
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.excluded).toEqual([]);
    const consent = createConsent({ config: parsed.config, vendors: descriptors, storage: memoryStorage() });
    mountBanner(consent, { manifests, console: { error: () => {} } });
    const ui = document.getElementById('allparty-ui')!.shadowRoot!;
    ui.querySelector<HTMLElement>('[data-allparty-action="preferences"]')!.click();

    for (const m of manifests) {
      const entries = [...ui.querySelectorAll(`[data-allparty-vendor-info="${m.id}"]`)];
      expect(entries.length, m.id).toBe(m.purposes.length);
      for (const entry of entries) {
        const text = renderedText(entry);
        expect(text, m.id).toContain(m.name);
        expect(text, m.id).not.toMatch(RESEARCH_NOTE);
        if (m.ownUse === null)
          expect(text, m.id).toContain('Its own use of the data: as its privacy policy says.');
        const links = [...entry.querySelectorAll('a')].map((a) => a.getAttribute('href'));
        expect(links, m.id).toEqual([m.privacyPolicy]);
      }
    }
    // The two vendors the finding named (#19).
    for (const id of ['hotjar', 'intercom'])
      expect(renderedText(ui.querySelector(`[data-allparty-vendor-info="${id}"]`))).toContain(
        'Its own use of the data: as its privacy policy says.',
      );
  });
});
