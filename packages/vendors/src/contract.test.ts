/**
 * The contract every adapter keeps: a complete, consistent manifest that matches the research
 * catalog (catalog.snapshot.json holds the catalog facts this test checks, taken from
 * ../shared/vendors/catalog.json), valid purposes and hosts, working id validation, and a
 * descriptor table in step with the manifests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_PURPOSES, isHostPattern, isPurposeId, NECESSARY, settingErrors } from '@allparty/core';
import { describe, expect, it } from 'vitest';
import { adapterIdsOf, tableOrder } from './adapter-files';
import { MAPS_PURPOSE } from './adapters/google-maps';
import catalog from './catalog.snapshot.json';
import { descriptors } from './descriptors.generated';
import { CATALOG_IDS, compactHosts, descriptorOf, noticeOf } from './generate';
import { ADAPTER_IDS, loadAdapter } from './lazy';
import { parseHostPattern, patternsOverlap, urlMatches } from './lib/hosts';
import { manifests } from './manifests.generated';
import { adapters, sourceManifests } from './testing/adapters';
import { exampleSettings } from './testing/harness';
import type { VendorAdapter } from './types';

const LIVE_SETTINGS = ['maskInputs', 'maskText', 'blockMedia'];
/** Well-formed Subresource Integrity values (the digest lengths are exact). */
const SRI = {
  sha256: `sha256-${'a'.repeat(43)}=`,
  sha384: `sha384-${'B'.repeat(63)}/`,
  sha512: `sha512-${'+'.repeat(86)}==`,
};
const KNOWN_PURPOSES = new Set<string>([...BUILTIN_PURPOSES, MAPS_PURPOSE]);
// Paths, not URL objects: the test environment's URL class is the DOM's, which node:fs does not take.
const here = dirname(fileURLToPath(import.meta.url));
const adapterDir = join(here, 'adapters');
const adapterFiles = adapterIdsOf(readdirSync(adapterDir));

describe('the adapter set', () => {
  it('is the files in src/adapters/, in the table’s order (run `pnpm run generate` after adding one)', () => {
    expect(ADAPTER_IDS).toEqual(tableOrder(adapterFiles, CATALOG_IDS));
    expect(manifests.map((m) => m.id)).toEqual(ADAPTER_IDS);
    expect(Object.keys(adapters)).toEqual(ADAPTER_IDS);
  });

  it('has an adapter for every vendor of the research catalog', () => {
    expect(adapterFiles).toEqual(expect.arrayContaining(catalog.map((v) => v.id)));
  });

  it('orders the research catalog’s vendors first, as researched, then the others by id', () => {
    expect(tableOrder(['b', 'zz', 'a', 'c'], ['c', 'x', 'a'])).toEqual(['c', 'a', 'b', 'zz']);
    expect(ADAPTER_IDS.slice(0, catalog.length)).toEqual(catalog.map((v) => v.id));
  });

  it('derives adapter ids from file names: TypeScript files but tests and declarations', () => {
    expect(adapterIdsOf(['b.ts', 'a.ts', 'a.test.ts', 'x.d.ts', 'notes.md'])).toEqual(['a', 'b']);
  });

  it('manifests (the generated data) are the adapter files’ manifests, without their code', () => {
    expect(manifests).toEqual(sourceManifests);
    const data = readFileSync(join(here, 'manifests.generated.ts'), 'utf8');
    expect(data.match(/^import .*$/gm)).toEqual(["import type { VendorManifest } from './types';"]);
  });

  it.each(adapterFiles)('%s: the file exports its manifest and adapter under the file name', async (file) => {
    const mod = (await import(`./adapters/${file}.ts`)) as {
      manifest: { id: string };
      adapter: VendorAdapter;
    };
    expect(mod.manifest.id).toBe(file);
    expect(mod.adapter.manifest).toBe(mod.manifest);
    expect(adapters[file]).toBe(mod.adapter);
    expect(await loadAdapter(file)).toBe(mod.adapter);
  });

  it('loadAdapter resolves to undefined for an unknown or inherited id', async () => {
    expect(await loadAdapter('nope')).toBeUndefined();
    expect(await loadAdapter('toString')).toBeUndefined();
  });

  it('never uses any in adapter code', () => {
    const files = [
      ...adapterFiles.map((f) => join(adapterDir, `${f}.ts`)),
      ...readdirSync(join(here, 'lib')).map((f) => join(here, 'lib', f)),
    ];
    // `an[y]` matches "any"; written so this test's own source is not itself a use of it.
    for (const file of files)
      expect(readFileSync(file, 'utf8')).not.toMatch(/(:\s*an[y]\b|\bas an[y]\b|<an[y]>)/);
  });
});

describe.each(sourceManifests.map((m) => [m.id, m] as const))('%s manifest', (id, m) => {
  const facts = catalog.find((v) => v.id === id);
  const adapter = adapters[id]!;

  it('is complete: names, legal name, texts, sources', () => {
    expect(m.name.trim()).not.toBe('');
    expect(m.legalName.trim()).not.toBe('');
    expect(m.stopNote.trim()).not.toBe('');
    expect(m.sources.length).toBeGreaterThan(0);
    expect(m.scriptUrls.length).toBeGreaterThan(0);
    expect(['high', 'medium', 'low']).toContain(m.confidence);
    expect(m.captures.addressing.length).toBeGreaterThan(0);
    expect(m.ownUse === false || m.ownUse === null || m.ownUse.trim().length > 0).toBe(true);
    if (m.category === 'replay' || m.category === 'chat') expect(m.masking?.trim()).toBeTruthy();
  });

  it('says nothing internal where a visitor reads it, and names the vendor’s own privacy policy', () => {
    // Research notes ("not confirmed", "see above") belong in docs/vendors/, not in a notice.
    const notice = noticeOf(m);
    const visible = [
      notice.name,
      notice.legalName,
      ...notice.captures.contents,
      ...notice.captures.addressing,
      notice.ownUse || '',
      ...notice.cookies.map((c) => c.lifetime ?? ''),
      notice.embed?.receives ?? '',
    ];
    for (const text of visible) expect(text).not.toMatch(/confirm|research|catalog|secondary|see above|\?/i);
    expect(m.privacyPolicy).toMatch(/^https:\/\/[a-z0-9-]+(\.[a-z0-9-]+)+\/[^\s"'<>]*$/);
  });

  it('carries the catalog facts over honestly', () => {
    if (!facts) {
      // Outside the research catalog: the manifest says what it could not confirm.
      expect(m.confidence).not.toBe('high');
      expect(m.unconfirmed.length).toBeGreaterThan(0);
      return;
    }
    expect(m.confidence).toBe(facts.confidence);
    expect(m.unloadWithoutReload).toBe(facts.unloadWithoutReload);
    for (const fact of facts.unconfirmed) expect(m.unconfirmed).toContain(fact);
    if (facts.cookies > 0) expect(m.cookies.length).toBeGreaterThan(0);
    if (facts.storageKeys > 0) expect(m.storageKeys.length).toBeGreaterThan(0);
  });

  it('has valid purposes that fit its category', () => {
    expect(m.purposes.length).toBeGreaterThan(0);
    expect(new Set(m.purposes).size).toBe(m.purposes.length);
    for (const p of m.purposes) {
      expect(isPurposeId(p)).toBe(true);
      expect(KNOWN_PURPOSES.has(p)).toBe(true);
      expect(p).not.toBe(NECESSARY);
    }
    const expected: Record<string, string[][]> = {
      replay: [['replay'], ['analytics', 'replay']],
      chat: [['chat']],
      analytics: [['analytics']],
      'tag-manager': [['analytics']],
      advertising: [['advertising']],
      embed: [['video'], [MAPS_PURPOSE]],
    };
    expect(expected[m.category]).toContainEqual([...m.purposes]);
    if (m.purposes.length > 1 || m.category === 'tag-manager') expect(m.purposeNote?.trim()).toBeTruthy();
    // Replay and chat capture contents (CIPA § 631); the flag must say so.
    if (m.category === 'replay' || m.category === 'chat') expect(m.capturesContents).toBe(true);
    if (m.capturesContents) expect(m.captures.contents.length).toBeGreaterThan(0);
  });

  it('declares well-formed, lowercase ASCII host patterns without duplicates', () => {
    expect(m.hosts.length).toBeGreaterThan(0);
    expect(new Set(m.hosts).size).toBe(m.hosts.length);
    for (const host of m.hosts) {
      expect(isHostPattern(host)).toBe(true);
      expect(parseHostPattern(host)).not.toBeNull();
      expect(host).toBe(host.toLowerCase());
      expect(host).toMatch(/^[\x21-\x7e]+$/); // IDNs must be written as punycode
      expect(host).not.toMatch(/^[a-z]+:\/\//); // no schemes: hosts match any protocol
      expect(host).not.toMatch(/[{}]/);
    }
  });

  it('declares cookies and storage keys with names and plain-words lifetimes (null: not confirmed)', () => {
    for (const c of m.cookies) {
      expect(c.name).toMatch(/^[\w.{}$-]+$/);
      if (c.lifetime !== null) expect(c.lifetime.trim()).not.toBe('');
      if (c.optOut) expect(c.thirdParty).toBeUndefined();
    }
    for (const k of m.storageKeys) expect(k.key.trim()).not.toBe('');
  });

  it('validates its site id: the example passes, garbage fails with a precise path', () => {
    const good = exampleSettings(adapter);
    expect(adapter.validate(good)).toEqual([]);
    expect(adapter.validate({ snippet: true })).toEqual([]);
    const unknown = adapter.validate({ ...good, sitId: 'x' });
    expect(unknown).toContainEqual(expect.objectContaining({ path: `vendors.${id}.sitId` }));
    if (!m.configId) return;
    const { setting, pattern, example } = m.configId;
    expect(pattern.startsWith('^') && pattern.endsWith('$')).toBe(true);
    const re = new RegExp(pattern);
    expect(re.test(example)).toBe(true);
    if (facts && !/[\s=(]/.test(facts.configIdExample) && !facts.configIdExample.includes('<'))
      expect(re.test(facts.configIdExample)).toBe(true);
    for (const garbage of [
      '',
      ' ',
      'a b',
      '../x',
      `${example} `,
      `${example}\n`,
      '<script>',
      'https://evil.example/',
      'A'.repeat(300),
    ])
      expect(re.test(garbage), `${id} accepts ${JSON.stringify(garbage)}`).toBe(false);
    const path = `vendors.${id}.${setting}`;
    expect(adapter.validate({ ...good, [setting]: 'not a valid id!' })).toEqual([
      { path, message: expect.any(String) },
    ]);
    expect(adapter.validate({ ...good, [setting]: 42 })).toEqual([
      { path, message: expect.stringContaining('must be a string') },
    ]);
    const { [setting]: _, ...missing } = good;
    expect(adapter.validate(missing)).toContainEqual({
      path,
      message: expect.stringContaining('is required'),
    });
  });

  it('validates its options: examples and defaults pass, wrong values fail', () => {
    for (const o of m.options ?? []) {
      const path = `vendors.${id}.${o.name}`;
      expect(adapter.validate({ ...exampleSettings(adapter), [o.name]: o.example })).toEqual([]);
      if (o.default !== undefined)
        expect(adapter.validate({ ...exampleSettings(adapter), [o.name]: o.default })).toEqual([]);
      const wrong = o.type === 'boolean' ? 'yes' : 'Not Valid!';
      expect(adapter.validate({ ...exampleSettings(adapter), [o.name]: wrong })).toEqual([
        { path, message: expect.any(String) },
      ]);
      if (o.required) {
        const { [o.name]: _, ...missing } = exampleSettings(adapter);
        expect(adapter.validate(missing)).toContainEqual({
          path,
          message: expect.stringContaining('is required'),
        });
      }
    }
  });

  it('accepts the settings the core reads (purposes, hosts, snippet) beside its own', () => {
    const good = exampleSettings(adapter);
    expect(adapter.validate({ ...good, purposes: [...m.purposes], hosts: ['metrics.example.com'] })).toEqual(
      [],
    );
  });

  it('says whether it checks the vendor’s live privacy settings (R16), and takes a minimum only where it does', () => {
    if (m.category === 'replay' || m.category === 'chat') expect(m.liveSettings).toBeDefined();
    if (m.embed) expect(m.liveSettings).toBeUndefined();
    const good = exampleSettings(adapter);
    const checked: readonly string[] = m.liveSettings?.checked ?? [];
    if (m.liveSettings) expect(m.liveSettings.note.trim().length).toBeGreaterThan(60);
    expect(new Set(checked).size).toBe(checked.length);
    for (const name of checked) expect(LIVE_SETTINGS).toContain(name);
    if (!checked.length) {
      expect(adapter.validate({ ...good, minimum: { maskText: true } })).toEqual([
        { path: `vendors.${id}.minimum`, message: expect.stringContaining('unknown setting') },
      ]);
      return;
    }
    // The strict default (R15) applies to every checked vendor: inputs and text masked.
    expect(checked).toEqual(expect.arrayContaining(['maskInputs', 'maskText']));
    expect(adapter.validate({ ...good, minimum: Object.fromEntries(checked.map((n) => [n, true])) })).toEqual(
      [],
    );
    for (const minimum of [{ maskText: 'yes' }, { typingPreview: true }, [], 'strict'])
      expect(adapter.validate({ ...good, minimum }), JSON.stringify(minimum)).toEqual([
        { path: `vendors.${id}.minimum`, message: expect.stringContaining(checked.join(', ')) },
      ]);
  });

  it('says whether its script can be pinned (R32); takes integrity, and src only where the vendor self-hosts', () => {
    const good = exampleSettings(adapter);
    const integrity = adapter.validate({ ...good, integrity: SRI.sha384 });
    if (m.embed) {
      expect(m.pinning).toBeUndefined();
      expect(integrity).toContainEqual({
        path: `vendors.${id}.integrity`,
        message: expect.stringContaining('unknown setting'),
      });
      return;
    }
    const pin = m.pinning!;
    expect(pin).toBeDefined();
    expect(pin.note.trim().length).toBeGreaterThan(60);
    if (pin.publishedIntegrity) expect(pin.version).toBe(true);
    const version = m.options?.find((o) => o.name === 'version');
    expect(Boolean(version?.pattern)).toBe(pin.version);
    expect(integrity).toEqual([]);
    for (const value of [SRI.sha256, SRI.sha512, `${SRI.sha256} ${SRI.sha384}`])
      expect(adapter.validate({ ...good, integrity: value })).toEqual([]);
    for (const value of [
      '',
      'sha384',
      'sha384-short',
      `md5-${'A'.repeat(22)}==`,
      `${SRI.sha384} `,
      SRI.sha384.slice(0, -1),
      `${SRI.sha384}"`,
      ` ${SRI.sha384}`,
      42,
    ])
      expect(adapter.validate({ ...good, integrity: value }), JSON.stringify(value)).toEqual([
        { path: `vendors.${id}.integrity`, message: expect.any(String) },
      ]);
    const src = adapter.validate({ ...good, src: '/vendor/copy.js' });
    if (!pin.selfHost) {
      expect(src).toContainEqual({
        path: `vendors.${id}.src`,
        message: expect.stringContaining('unknown setting'),
      });
      return;
    }
    expect(src).toEqual([]);
    expect(adapter.validate({ ...good, src: 'https://static.example.com:8443/v/1.2.3/copy.js' })).toEqual([]);
    for (const value of [
      '//evil.example/x.js',
      'http://static.example.com/x.js',
      'javascript:alert(1)',
      'https://static.example.com',
      'https://static.example.com@evil.example/x.js',
      '/\\evil.example/x.js',
      '/x.js" onload="alert(1)',
    ])
      expect(adapter.validate({ ...good, src: value }), value).toEqual([
        { path: `vendors.${id}.src`, message: expect.any(String) },
      ]);
  });

  it('says honestly whether stop() can unload it', () => {
    if (m.unloadWithoutReload !== true) expect(m.stopNote).toMatch(/reload/);
    if (m.embed) expect(m.unloadWithoutReload).toBe(true);
  });

  it('gives the core setting rules that refuse exactly the settings its adapter refuses (D4: an invalid vendor is never offered)', () => {
    const adapter = adapters[id]!;
    const good = exampleSettings(adapter);
    const cases: Record<string, unknown>[] = [
      good,
      { snippet: true },
      { ...good, purposes: [...m.purposes], hosts: ['metrics.example.com'] },
      { ...good, siteIdd: '1' },
      { ...good, src: '/vendor/copy.js' },
      { ...good, integrity: SRI.sha384 },
      { ...good, integrity: 'md5-xyz' },
      { ...good, integrity: 42 },
    ];
    if (m.configId) {
      const { [m.configId.setting]: _, ...missing } = good;
      cases.push(
        missing,
        { ...good, [m.configId.setting]: 'UA-123 not valid!' },
        { ...good, [m.configId.setting]: 1234567 },
        { snippet: true, [m.configId.setting]: 'not valid!' },
      );
    }
    for (const o of m.options ?? []) {
      cases.push(
        { ...good, [o.name]: o.example },
        { ...good, [o.name]: o.type === 'boolean' ? 'yes' : 'Not Valid!' },
      );
      if (o.type !== 'boolean') cases.push({ ...good, [o.name]: true });
    }
    const rules = descriptorOf(m).settings ?? [];
    for (const settings of cases)
      expect(
        settingErrors(`vendors.${id}`, rules, settings).map((e) => e.path),
        JSON.stringify(settings),
      ).toEqual(adapter.validate(settings).map((e) => e.path));
  });

  it('is in the descriptor table exactly as generated, with hosts that match the same requests', () => {
    const row = descriptors.find((d) => d.id === id);
    expect(row).toEqual(descriptorOf(m));
    expect(row?.disclosure).toMatch(/^[0-9a-f]{8}$/);
    const compact = compactHosts(m.hosts);
    for (const host of m.hosts)
      expect(
        compact.some((c) => c === host || patternsOverlap(c, host)),
        `${host} is covered`,
      ).toBe(true);
  });
});

describe('hosts across vendors', () => {
  it('are never claimed by two vendors unless a path prefix separates them or both declare the overlap', () => {
    const problems: string[] = [];
    for (const a of manifests)
      for (const b of manifests) {
        if (a.id >= b.id) continue;
        const shared = (a.sharesHostsWith ?? []).includes(b.id) && (b.sharesHostsWith ?? []).includes(a.id);
        for (const ha of a.hosts)
          for (const hb of b.hosts)
            if (patternsOverlap(ha, hb) && !shared) problems.push(`${a.id} ${ha} ↔ ${b.id} ${hb}`);
      }
    expect(problems).toEqual([]);
  });

  it('declares every deliberate overlap on both sides', () => {
    for (const m of manifests)
      for (const other of m.sharesHostsWith ?? [])
        expect(adapters[other]?.manifest.sharesHostsWith).toContain(m.id);
  });

  it('separates Google Analytics and Tag Manager on www.googletagmanager.com by path', () => {
    const ga = adapters['google-analytics-4']!.manifest.hosts;
    const gtm = adapters['google-tag-manager']!.manifest.hosts;
    expect(ga).toContain('www.googletagmanager.com/gtag/');
    expect(gtm).toContain('www.googletagmanager.com/gtm.js');
    expect(adapters['meta-pixel']!.manifest.hosts).toContain('www.facebook.com/tr');
  });
});

/**
 * Requests the vendors' own npm SDKs make, read from their published sources (the version in each
 * comment): each is on a host its vendor declares, so the vendor's grant releases it, and on no
 * host of another vendor, unless the two share hosts on purpose.
 */
const SDK_REQUESTS: Record<string, readonly string[]> = {
  // @hotjar/browser 1.0.9; @contentsquare/tag-sdk 1.1.0 with a Hotjar site id.
  hotjar: [
    'https://static.hotjar.com/c/hotjar-123456.js?sv=6',
    'https://static.hj.contentsquare.net/c/csq-123456.js',
  ],
  // @contentsquare/tag-sdk 1.1.0 with a Contentsquare client id; its tag then collects on *.contentsquare.net.
  contentsquare: ['https://t.contentsquare.net/uxa/f6f72d509axzd.js', 'https://c.contentsquare.net/pageview'],
  // @vimeo/player 2.30.4: the oEmbed call, then the player frame it makes.
  vimeo: [
    'https://vimeo.com/api/oembed.json?url=https%3A%2F%2Fvimeo.com%2F76979871',
    'https://player.vimeo.com/video/76979871?h=1',
  ],
  // posthog-js 1.455.2
  posthog: [
    'https://us.i.posthog.com/e/?ver=1',
    'https://eu.i.posthog.com/flags/',
    'https://us-assets.i.posthog.com/static/recorder.js',
  ],
  // @amplitude/analytics-browser (analytics-core)
  amplitude: [
    'https://api2.amplitude.com/2/httpapi',
    'https://api.eu.amplitude.com/2/httpapi',
    'https://sr-client-cfg.amplitude.com/config',
  ],
  // @sentry/browser 11.19.0
  'sentry-replay': [
    'https://o447951.ingest.sentry.io/api/1/envelope/',
    'https://browser.sentry-cdn.com/8.0.0/bundle.min.js',
  ],
  // mixpanel-browser 2.84.0
  mixpanel: ['https://api-js.mixpanel.com/track/', 'https://cdn.mxpnl.com/libs/mixpanel-recorder.min.js'],
  // logrocket 12.4.0
  logrocket: ['https://r.lr-ingest.io/i', 'https://r.logrocket.io/i', 'https://r.lrkt-in.com/i'],
  // @segment/analytics-next 1.84.3
  segment: ['https://cdn.segment.com/v1/projects/abc/settings', 'https://api.segment.io/v1/b'],
  // @intercom/messenger-js-sdk 0.0.20
  intercom: [
    'https://widget.intercom.io/widget/abc12345',
    'https://api-iam.eu.intercom.io/messenger/web/ping',
  ],
  // @microsoft/clarity 1.0.2; crisp-sdk-web 1.2.1; smartlook-client 10.0.0; @livechat/widget-core 1.4.1
  'microsoft-clarity': ['https://www.clarity.ms/tag/abcdefghij'],
  crisp: ['https://client.crisp.chat/l.js'],
  smartlook: ['https://web-sdk.smartlook.com/recorder.js'],
  livechat: ['https://cdn.livechatinc.com/tracking.js'],
  // @googlemaps/js-api-loader 2.1.3
  'google-maps': ['https://maps.googleapis.com/maps/api/js?key=x&v=weekly'],
};

describe('hosts the vendors’ own SDKs call (#18)', () => {
  it.each(Object.entries(SDK_REQUESTS))('%s: declared by it, by no unrelated vendor', (id, urls) => {
    const m = adapters[id]!.manifest;
    for (const url of urls) {
      expect(urlMatches(m.hosts, url), url).toBe(true);
      expect(urlMatches(descriptorOf(m).hosts, url), url).toBe(true);
      const others = manifests.filter(
        (o) => o.id !== id && !(m.sharesHostsWith ?? []).includes(o.id) && urlMatches(o.hosts, url),
      );
      expect(
        others.map((o) => o.id),
        url,
      ).toEqual([]);
    }
  });

  it('Hotjar claims only the host its tag loads from, not the Contentsquare tag’s own hosts', () => {
    const hotjar = adapters.hotjar!.manifest;
    for (const url of SDK_REQUESTS.contentsquare!) expect(urlMatches(hotjar.hosts, url), url).toBe(false);
    expect(urlMatches(hotjar.hosts, 'https://k-aeu1.contentsquare.net/v2/recording')).toBe(false);
    // …and its notice names Contentsquare, which serves that tag.
    expect(hotjar.legalName).toContain('Contentsquare');
  });
});

describe('the descriptor table', () => {
  it('lists every manifest, in order, and nothing else', () => {
    expect(descriptors.map((d) => d.id)).toEqual(manifests.map((m) => m.id));
  });

  it('changes its disclosure when a notice-relevant fact changes', () => {
    const m = adapters.hotjar!.manifest;
    const base = descriptorOf(m).disclosure;
    expect(descriptorOf({ ...m, ownUse: 'Trains models on your data' }).disclosure).not.toBe(base);
    expect(
      descriptorOf({ ...m, cookies: m.cookies.map((c, i) => (i ? c : { ...c, lifetime: '10 years' })) })
        .disclosure,
    ).not.toBe(base);
    expect(descriptorOf({ ...m, captures: { ...m.captures, contents: [] } }).disclosure).not.toBe(base);
    expect(descriptorOf({ ...m, hosts: [...m.hosts, 'new.hotjar.io'] }).disclosure).toBe(base);
  });
});
