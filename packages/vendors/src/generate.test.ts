import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packTable, unpackDescriptors } from './descriptor-table';
import { descriptors } from './descriptors.generated';
import {
  compactHosts,
  DESCRIPTORS_PATH,
  descriptorOf,
  NOTICES_PATH,
  noticeOf,
  renderAll,
  renderDoc,
} from './generate';
import { adapters, sourceManifests as manifests } from './testing/adapters';
import type { VendorNotice } from './types';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('generated files', () => {
  it('are in sync with the manifests (run `pnpm run generate` after changing one)', () => {
    const stale: string[] = [];
    for (const [path, content] of Object.entries(renderAll(manifests))) {
      let current: string | null = null;
      try {
        current = readFileSync(join(root, path), 'utf8');
      } catch {}
      if (current !== content) stale.push(path);
    }
    expect(stale).toEqual([]);
  });

  it('give the embed exactly the descriptor fields it needs', () => {
    expect(descriptors).toEqual(manifests.map(descriptorOf));
    for (const d of descriptors)
      expect(Object.keys(d).sort()).toEqual([
        'capturesContents',
        'disclosure',
        'hosts',
        'id',
        'legalName',
        'purposes',
        'settings',
      ]);
    expect(DESCRIPTORS_PATH).toBe('packages/vendors/src/descriptors.generated.ts');
  });

  it('write a docs page with what the issue asks for', () => {
    const page = renderDoc(adapters.hotjar!.manifest);
    for (const part of [
      '# Hotjar (`hotjar`)',
      '| Legal name | Hotjar Ltd (Contentsquare) |',
      '| Privacy policy | https://www.hotjar.com/legal/policies/privacy/ |',
      '## What it captures',
      '## Own use',
      '## Hosts',
      '`static.hotjar.com`',
      '| `_hjSessionUser_{id}` | 1 year |',
      '## Storage keys',
      '## Masking and privacy settings',
      '"siteId": "123456"',
      '## Withdrawal',
      '## Unconfirmed facts',
      '## Sources',
    ])
      expect(page).toContain(part);
    expect(renderDoc(adapters.youtube!.manifest)).toContain('data-vendor="youtube"');
  });

  it('say per vendor whether live privacy settings are checked (R16) and whether the script can be pinned (R32)', () => {
    for (const m of manifests) {
      const page = renderDoc(m);
      expect(page.includes('## Live privacy settings (R16)')).toBe(m.liveSettings !== undefined);
      expect(page.includes('## Script pinning and integrity (R32)')).toBe(m.pinning !== undefined);
      if (m.pinning) {
        expect(page).toContain(m.pinning.note);
        expect(page).toContain('| `integrity` | no |');
        expect(page.includes('| `src` | no |')).toBe(m.pinning.selfHost);
      }
      if (m.liveSettings) expect(page).toContain(m.liveSettings.note);
      expect(page.includes('| `minimum` | no |')).toBe(Boolean(m.liveSettings?.checked.length));
    }
    const posthog = renderDoc(adapters.posthog!.manifest);
    expect(posthog).toContain('Checked at load: `maskInputs`, `maskText`.');
    expect(posthog).toContain('`vendors.posthog.minimum`');
    expect(renderDoc(adapters.hotjar!.manifest)).toContain('Not checked at load.');
    expect(renderDoc(adapters['sentry-replay']!.manifest)).toContain(
      '| SRI hashes published by the vendor | yes |',
    );
    const index = renderAll(manifests)['docs/vendors/README.md']!;
    expect(index).toContain('| Live settings checked (R16) | Script pinning (R32) |');
    expect(index).toContain('| maskInputs, maskText, blockMedia | version, published SRI, self-host |');
  });
});

describe('compactHosts', () => {
  it('drops patterns another one already covers, keeps path prefixes and distinct hosts', () => {
    expect(compactHosts(['edge.fs.com', 'rs.fs.com', '*.fs.com', 'fs.io'])).toEqual(['*.fs.com', 'fs.io']);
    expect(compactHosts(['*.a.com', '.a.com', 'a.com'])).toEqual(['.a.com']);
    expect(compactHosts(['www.g.com/gtag/', 'x.g.com'])).toEqual(['www.g.com/gtag/', 'x.g.com']);
    expect(compactHosts(['*.a.com', '*.a.com'])).toEqual(['*.a.com']);
    expect(compactHosts(['a.com', '*.a.com'])).toEqual(['a.com', '*.a.com']);
  });
});

describe('the packed descriptor table', () => {
  it('unpacks to exactly what was packed', () => {
    const table = manifests.map(descriptorOf);
    const { vendors, rules } = packTable(table);
    expect(unpackDescriptors(vendors, rules)).toEqual(table);
  });

  it('writes each distinct setting rule once, however many vendors share it', () => {
    const table = manifests.map(descriptorOf);
    const { rules } = packTable(table);
    const distinct = new Set(table.flatMap((d) => (d.settings ?? []).map((r) => JSON.stringify(r))));
    expect(rules.split('\t')).toHaveLength(distinct.size);
    expect(rules.match(/integrity p/g)).toHaveLength(1);
    // The vendors that share a rule get equal rules, but not one object: changing one changes no other.
    const [a, b] = unpackDescriptors(packTable(table).vendors, rules);
    expect(a!.settings).toContainEqual(b!.settings!.find((r) => r.name === 'integrity'));
    expect(a!.settings!.find((r) => r.name === 'integrity')).not.toBe(
      b!.settings!.find((r) => r.name === 'integrity'),
    );
  });

  it('keeps a vendor without setting rules, and rules past index 35 (base 36)', () => {
    const [first] = manifests.map(descriptorOf);
    const many = Array.from({ length: 40 }, (_, i) => ({ name: `option${i}`, pattern: `^${i}$` }));
    const table = [
      { ...first!, settings: [] },
      { ...first!, id: 'other', settings: many },
    ];
    const { vendors, rules } = packTable(table);
    expect(unpackDescriptors(vendors, rules)).toEqual(table);
  });

  it('refuses a field that would break the format', () => {
    const [first] = manifests.map(descriptorOf);
    expect(() => packTable([{ ...first!, legalName: 'A | B' }])).toThrow(/cannot be packed/);
    expect(() => packTable([{ ...first!, hosts: ['a.example.com b.example.com'] }])).toThrow(
      /cannot be packed/,
    );
    expect(() => packTable([{ ...first!, settings: [{ name: 'a', pattern: 'x\ty' }] }])).toThrow(
      /cannot be packed/,
    );
  });
});

describe('the notice texts of the script-tag build', () => {
  it('carry exactly what the banner shows of each manifest', () => {
    const notices = JSON.parse(readFileSync(join(root, NOTICES_PATH), 'utf8')) as Record<
      string,
      VendorNotice
    >;
    expect(Object.keys(notices)).toEqual(manifests.map((m) => m.id));
    for (const m of manifests) {
      const n = notices[m.id]!;
      expect(n).toEqual(noticeOf(m));
      expect(n).toMatchObject({
        name: m.name,
        legalName: m.legalName,
        captures: m.captures,
        ownUse: m.ownUse,
      });
      expect(n.privacyPolicy).toBe(m.privacyPolicy);
      expect(n.cookies.map((c) => c.lifetime)).toEqual(m.cookies.map((c) => c.lifetime));
      expect(JSON.stringify(n)).not.toMatch(/not confirmed|our research/i);
      expect(n.embed?.receives).toBe(m.embed?.receives);
    }
  });
});
