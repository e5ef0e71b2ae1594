/**
 * Renders what is generated from the manifests: the compact descriptor table for the embed's
 * main bundle and the docs pages. Pure functions; `scripts/generate-vendors.mjs` writes their
 * output, and `generate.test.ts` checks the files on disk still match.
 */
import { type SettingRule, sha256, stableStringify, type VendorDescriptor } from '@allparty/core';
import catalog from './catalog.snapshot.json';
import { packTable } from './descriptor-table';
import { type HostPattern, hostCovered, parseHostPattern } from './lib/hosts';
import { DEFAULT_MINIMUM } from './lib/live';
import { settingSpecs } from './lib/validate';
import type { VendorManifest, VendorNotice } from './types';

/** Where each generated file goes, relative to the repository root. */
export const DESCRIPTORS_PATH = 'packages/vendors/src/descriptors.generated.ts';
export const DOCS_DIR = 'docs/vendors';
export const LOADERS_PATH = 'packages/vendors/src/loaders.generated.ts';
export const MANIFESTS_PATH = 'packages/vendors/src/manifests.generated.ts';
export const NOTICES_PATH = 'packages/vendors/src/notices.generated.json';

/** The vendors of the research catalog (`catalog.snapshot.json`), in its order. */
export const CATALOG_IDS: readonly string[] = catalog.map((v) => v.id);

/**
 * A short, stable hash of what the notice says about a vendor: what it captures, its own use, and
 * its cookies and storage with lifetimes. A change asks visitors again for the vendor's purposes (R9).
 * The privacy policy's address is left out: a vendor moving its page changes nothing it does.
 */
export function disclosureOf(manifest: VendorManifest): string {
  return sha256(
    stableStringify({
      captures: manifest.captures,
      capturesContents: manifest.capturesContents,
      ownUse: manifest.ownUse,
      cookies: manifest.cookies.map((c) => [c.name, c.prefix === true, c.lifetime, c.thirdParty ?? null]),
      storage: manifest.storageKeys.map((s) => [s.key, s.storage, s.prefix === true]),
    }),
  ).slice(0, 8);
}

/** Whether pattern `a` (with no port or path limit) matches every request pattern `b` matches. */
function covers(a: HostPattern, b: HostPattern): boolean {
  if (a.port !== null || a.path !== null) return false;
  if (b.kind === 'exact') return hostCovered(a, b.host);
  if (a.kind === 'exact') return false;
  // `*.h` and `.h` both cover every subdomain of h; only `.h` also covers h itself.
  return b.kind === 'subdomains'
    ? hostCovered({ ...a, kind: 'apex-and-subdomains' }, b.host)
    : hostCovered(a, b.host);
}

/**
 * The smallest host list that matches the same requests: a pattern is dropped when another of the
 * vendor's patterns already matches everything it matches (`rs.fullstory.com` under `*.fullstory.com`).
 * Keeps the embed's table small; the manifest keeps the full list for the docs.
 */
export function compactHosts(hosts: readonly string[]): string[] {
  const parsed = hosts.map((h) => parseHostPattern(h));
  return hosts.filter((_, i) => {
    const p = parsed[i];
    if (!p) return true;
    return !parsed.some((other, j) => {
      if (!other || j === i || !covers(other, p)) return false;
      // Two patterns that cover each other: keep the first.
      return !covers(p, other) || j < i;
    });
  });
}

/**
 * The rules the core checks a vendor's settings against before offering it: the site id, each
 * option's type and format, and `minimum` (any value here; its adapter checks it).
 */
export function settingRulesOf(manifest: VendorManifest): SettingRule[] {
  const rules: SettingRule[] = [];
  if (manifest.configId)
    rules.push({ name: manifest.configId.setting, pattern: manifest.configId.pattern, required: true });
  for (const o of settingSpecs(manifest))
    rules.push({
      name: o.name,
      ...(o.type === 'boolean' ? { boolean: true } : o.values ? { values: [...o.values] } : {}),
      ...(o.type !== 'boolean' && !o.values && o.pattern ? { pattern: o.pattern } : {}),
      ...(o.required ? { required: true } : {}),
    });
  if (manifest.liveSettings?.checked.length) rules.push({ name: 'minimum' });
  return rules;
}

/** The compact descriptor the core and guard need: id, legal name, purposes, hosts, contents flag, disclosure, setting rules. */
export function descriptorOf(manifest: VendorManifest): VendorDescriptor {
  return {
    id: manifest.id,
    legalName: manifest.legalName,
    purposes: [...manifest.purposes],
    hosts: compactHosts(manifest.hosts),
    capturesContents: manifest.capturesContents,
    disclosure: disclosureOf(manifest),
    settings: settingRulesOf(manifest),
  };
}

/**
 * The manifest's fields a notice shows (see {@link VendorNotice}). What the research could not
 * confirm (an own use, a cookie lifetime) is null, for the banner to point to the vendor's own
 * privacy policy: research notes are for the docs, not for visitors.
 */
export function noticeOf(manifest: VendorManifest): VendorNotice {
  return {
    id: manifest.id,
    name: manifest.name,
    legalName: manifest.legalName,
    purposes: [...manifest.purposes],
    captures: manifest.captures,
    ownUse: manifest.ownUse,
    privacyPolicy: manifest.privacyPolicy,
    cookies: manifest.cookies.map((c) => ({ name: c.name, lifetime: c.lifetime })),
    ...(manifest.embed ? { embed: { receives: manifest.embed.receives } } : {}),
  };
}

/** The source of `notices.generated.json`: each vendor's notice texts, keyed by id. */
export function renderNotices(manifests: readonly VendorManifest[]): string {
  return `${JSON.stringify(Object.fromEntries(manifests.map((m) => [m.id, noticeOf(m)])), null, 2)}\n`;
}

/** A string literal as Biome formats it: single quotes, unless double quotes need fewer escapes. */
function literal(text: string): string {
  const quote = text.split("'").length > text.split('"').length ? '"' : "'";
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replaceAll(quote, `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

/**
 * Text split at `separator` as Biome lays out a concatenation of string literals, one part a line
 * (the separator kept at the end of each as an escape), ending in a comma: an argument.
 */
function concatenated(text: string, separator: '\n' | '\t'): string {
  const escaped = separator === '\n' ? '\\n' : '\\t';
  const parts = text.split(separator);
  return parts
    .map((part, i) => {
      const quoted = literal(part);
      const last = i === parts.length - 1;
      const piece = last ? `${quoted},` : `${quoted.slice(0, -1)}${escaped}${quoted.slice(-1)} +`;
      return `${i ? '    ' : '  '}${piece}`;
    })
    .join('\n');
}

/** The source of `descriptors.generated.ts`: the table packed into two strings (see descriptor-table.ts). */
export function renderDescriptors(manifests: readonly VendorManifest[]): string {
  const { vendors, rules } = packTable(manifests.map(descriptorOf));
  return `// Generated by \`pnpm run generate\` (scripts/generate-vendors.mjs) from the adapter manifests. Do not edit.
import type { VendorDescriptor } from '@allparty/core';
import { unpackDescriptors } from './descriptor-table';

/**
 * The compact vendor table for the embed's main bundle: what the core and the guard need to know
 * of every adapter (hosts, purposes, legal name, disclosure hash, setting rules), without the
 * adapters' code or texts. One line per vendor: id | legal name | purposes | hosts | captures
 * contents | disclosure | setting rules (indexes into the rules after the lines, each rule written
 * once; see descriptor-table.ts).
 */
export const descriptors: VendorDescriptor[] = /* @__PURE__ */ unpackDescriptors(
${concatenated(vendors, '\n')}
${concatenated(rules, '\t')}
);
`;
}

/** The source of `loaders.generated.ts`: one static `import()` per adapter, for bundlers to split on. */
export function renderLoaders(manifests: readonly VendorManifest[]): string {
  const rows = manifests.map(
    (m) => `  ${propertyKey(m.id)}: () => import(${literal(`./adapters/${m.id}`)}),`,
  );
  return `// Generated by \`pnpm run generate\` (scripts/generate-vendors.mjs) from the files in src/adapters/. Do not edit.
import type { VendorAdapter } from './types';

/**
 * One dynamic import per adapter, keyed by id in the table's order: bundlers make each adapter its
 * own chunk, fetched only when \`loadAdapter(id)\` asks for it.
 */
export const loaders: Readonly<Record<string, () => Promise<{ adapter: VendorAdapter }>>> = {
${rows.join('\n')}
};
`;
}

/**
 * The source of `manifests.generated.ts`: every manifest as plain data, so a page that reads the
 * manifests (a banner, a scanner) takes none of the adapters' code.
 */
export function renderManifests(manifests: readonly VendorManifest[]): string {
  return `// Generated by \`pnpm run generate\` (scripts/generate-vendors.mjs) from the adapter manifests. Do not edit.
import type { VendorManifest } from './types';

/** Every adapter's manifest, in the table's order; data only (the adapters are reached by \`loadAdapter(id)\`). */
export const manifests: readonly VendorManifest[] = ${source(manifests, '', 0)};
`;
}

const LINE_WIDTH = 110;

/** A property key as Biome writes it: bare where it can be. */
function propertyKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : literal(name);
}

/**
 * A JSON value as TypeScript source, laid out as Biome lays it out, so the generated file passes
 * \`biome check\` as written: a flat object, or an array of one-line values, on one line when it fits, else expanded,
 * and a string that does not fit on the line after its key unless the key is short.
 * \`column\` is where the value starts on its line.
 */
function source(value: unknown, indent: string, column: number): string {
  if (typeof value === 'string') return literal(value);
  if (typeof value !== 'object' || value === null) return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    // Biome's rule (Prettier's): two or more objects of several properties each always break.
    const objects =
      value.length > 1 &&
      value.every((v) => typeof v === 'object' && v !== null && Object.keys(v).length > 1);
    const line = `[${value.map((v) => source(v, inner, 0)).join(', ')}]`;
    // The comma after it counts.
    if (!objects && !line.includes('\n') && column + line.length + 1 <= LINE_WIDTH) return line;
    return `[\n${value.map((v) => `${inner}${source(v, inner, inner.length)},\n`).join('')}${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (!entries.length) return '{}';
  if (entries.every(([, v]) => typeof v !== 'object' || v === null)) {
    const line = `{ ${entries.map(([name, v]) => `${propertyKey(name)}: ${source(v, inner, 0)}`).join(', ')} }`;
    if (column + line.length + 1 <= LINE_WIDTH) return line;
  }
  return `{\n${entries.map(([name, v]) => property(name, v, inner)).join('')}${indent}}`;
}

function property(name: string, value: unknown, indent: string): string {
  const key = propertyKey(name);
  const text = source(value, indent, indent.length + key.length + 2);
  const fits = indent.length + key.length + 2 + text.length + 1 <= LINE_WIDTH;
  // Biome's rule (Prettier's): a key under five characters keeps its string on the same line.
  if (typeof value === 'string' && !fits && key.length >= 5) return `${indent}${key}:\n${indent}  ${text},\n`;
  return `${indent}${key}: ${text},\n`;
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** Text for a Markdown table cell: a `|` would end the cell. */
const cell = (text: string) => text.replace(/\|/g, '\\|');

function unload(manifest: VendorManifest): string {
  if (manifest.unloadWithoutReload === true) return 'yes';
  if (manifest.unloadWithoutReload === 'partial') return 'partly: the page reloads into the blocked state';
  return 'no: the page reloads into the blocked state';
}

function bullets(items: readonly string[], empty: string): string {
  return items.length ? items.map((i) => `- ${i}`).join('\n') : `_${empty}_`;
}

function exampleSettings(manifest: VendorManifest): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  if (manifest.configId) settings[manifest.configId.setting] = manifest.configId.example;
  for (const option of manifest.options ?? []) if (option.required) settings[option.name] = option.example;
  return settings;
}

/** The docs page of one vendor (`docs/vendors/<id>.md`). */
export function renderDoc(manifest: VendorManifest): string {
  const m = manifest;
  const out: string[] = [];
  out.push(`# ${m.name} (\`${m.id}\`)`, '');
  out.push(
    `<!-- Generated by \`pnpm run generate\` from packages/vendors/src/adapters/${m.id}.ts. Edit the manifest, not this page. -->`,
    '',
  );
  out.push('| | |', '| --- | --- |');
  out.push(`| Legal name | ${m.legalName} |`);
  out.push(`| Privacy policy | ${m.privacyPolicy} |`);
  out.push(`| Category | ${m.category} |`);
  out.push(`| Purposes | ${m.purposes.map((p) => `\`${p}\``).join(', ')} |`);
  out.push(`| Captures contents (typed text, chat, replay) | ${yesNo(m.capturesContents)} |`);
  out.push(`| Unloads without a page reload | ${unload(m)} |`);
  out.push(`| Import | \`import { adapter } from '@allparty/vendors/${m.id}'\` |`);
  out.push(`| Confidence in these facts | ${m.confidence} |`, '');
  if (m.purposeNote) out.push(`**Why these purposes.** ${m.purposeNote}`, '');

  out.push('## What it captures', '');
  out.push('Contents (what a wiretap claim under CIPA § 631 is about):', '');
  out.push(bullets(m.captures.contents, 'none'), '');
  out.push('Addressing data (what a pen-register claim under CIPA § 638.51 is about):', '');
  out.push(bullets(m.captures.addressing, 'none'), '');
  out.push('## Own use', '');
  out.push(
    m.ownUse === false
      ? 'The vendor does not use the data for its own purposes.'
      : m.ownUse === null
        ? `Not confirmed: our research found no statement either way. The notice does not say so to visitors; it links to ${m.name}’s own privacy policy instead.`
        : m.ownUse,
    '',
  );

  out.push('## Hosts', '');
  out.push('The guard holds every request to these until the vendor and its purposes are granted.', '');
  out.push(
    bullets(
      m.hosts.map((h) => `\`${h}\``),
      'none',
    ),
    '',
  );
  if (m.sharesHostsWith?.length)
    out.push(
      `Shared on purpose with ${m.sharesHostsWith.map((id) => `[\`${id}\`](${id}.md)`).join(', ')} (same company or loader).`,
      '',
    );

  out.push('## Cookies', '');
  if (m.cookies.length) {
    out.push('| Name | Lifetime | Notes |', '| --- | --- | --- |');
    for (const c of m.cookies) {
      const notes = [
        c.prefix ? 'prefix: every cookie starting with this' : '',
        c.name.includes('{id}') ? '`{id}` is the site id' : '',
        c.thirdParty ? `third-party (${c.thirdParty}): the site cannot delete it` : '',
        c.optOut ? 'opt-out marker: kept on withdrawal' : '',
      ].filter(Boolean);
      out.push(`| \`${c.name}\` | ${c.lifetime ?? 'not confirmed'} | ${notes.join('; ')} |`);
    }
  } else out.push('_None declared._');
  out.push('');
  out.push('## Storage keys', '');
  out.push(
    m.storageKeys.length
      ? m.storageKeys
          .map((s) => `- \`${s.key}\` (${s.storage}Storage${s.prefix ? ', prefix' : ''})`)
          .join('\n')
      : '_None declared._',
    '',
  );

  if (m.masking) out.push('## Masking and privacy settings', '', m.masking, '');
  if (m.liveSettings) out.push('## Live privacy settings (R16)', '', ...liveSettingsDoc(m), '');
  if (m.pinning) out.push('## Script pinning and integrity (R32)', '', ...pinningDoc(m), '');

  out.push('## Configure', '');
  if (m.embed) {
    out.push(
      'Embeds are not loaded by page view: tag each iframe so it stays a click-to-load placeholder until the visitor agrees (once, or always):',
      '',
      '```html',
      m.embed.markup,
      '```',
      '',
      `The placeholder says: "${m.embed.receives}"`,
      '',
      `Private mode: ${m.embed.privateMode}`,
      '',
      'And list the vendor in the config:',
      '',
    );
  }
  out.push('```json', JSON.stringify({ vendors: { [m.id]: exampleSettings(m) } }, null, 2), '```', '');
  const specs = settingSpecs(m);
  if (m.configId || specs.length) {
    out.push('| Setting | Required | Format | Example |', '| --- | --- | --- | --- |');
    if (m.configId)
      out.push(
        `| \`${m.configId.setting}\` | yes | ${m.configId.label}: \`${cell(m.configId.pattern)}\` | \`${cell(m.configId.example)}\` |`,
      );
    for (const o of specs) {
      const format = o.values
        ? o.values.map((v) => `\`${v}\``).join(', ')
        : o.type === 'boolean'
          ? 'true or false'
          : `\`${cell(o.pattern ?? 'text')}\``;
      const def = o.default === undefined ? '' : ` (default \`${String(o.default)}\`)`;
      out.push(
        `| \`${o.name}\` | ${o.required ? 'yes' : 'no'} | ${o.description}: ${format}${def} | \`${String(o.example)}\` |`,
      );
    }
    if (m.liveSettings?.checked.length)
      out.push(
        `| \`minimum\` | no | the live privacy settings that must be on, or ${m.name} does not start (R16): true or false for ${m.liveSettings.checked.map((n) => `\`${n}\``).join(', ')} (default \`${JSON.stringify(DEFAULT_MINIMUM)}\`) | \`{"maskInputs": true, "maskText": true}\` |`,
      );
    out.push('');
  }
  out.push(
    'With `{ "snippet": true }` instead, the page carries the vendor’s own snippet as `<script type="text/plain" data-allparty="' +
      (m.purposes[0] ?? '') +
      `" data-vendor="${m.id}">\` and the adapter only stops and purges it; the private settings above are then the site’s job.`,
    '',
  );

  out.push('## Withdrawal', '', m.stopNote, '');
  if (m.notes?.length) out.push('## Limits', '', bullets(m.notes, ''), '');
  out.push('## Unconfirmed facts', '', bullets(m.unconfirmed, 'none recorded'), '');
  out.push('## Sources', '', bullets(m.sources, 'none'), '');
  if (m.scriptUrls.length)
    out.push(
      'Official script URLs:',
      '',
      bullets(
        m.scriptUrls.map((u) => `\`${u}\``),
        '',
      ),
      '',
    );
  return `${out.join('\n').trimEnd()}\n`;
}

/** The "Live privacy settings" section of a vendor page. */
function liveSettingsDoc(m: VendorManifest): string[] {
  const live = m.liveSettings!;
  if (!live.checked.length) return [`Not checked at load. ${live.note}`];
  return [
    `Checked at load: ${live.checked.map((n) => `\`${n}\``).join(', ')}. ${live.note}`,
    '',
    `The adapter records what it read in the load ledger (a \`settings\` entry, sent with the next consent record). When a setting the site’s minimum requires is off or could not be read, ${m.name} does not run: its hosts are held again for the page view, its stop API is called, its scripts and widgets are removed, its cookies and storage keys are purged, and the console names the vendor and the setting. The minimum is \`vendors.${m.id}.minimum\`, by default \`${JSON.stringify(DEFAULT_MINIMUM)}\`; set a setting to false to accept the vendor without it, for example \`{ "maskText": false }\`.`,
  ];
}

/** The "Script pinning and integrity" section of a vendor page. */
function pinningDoc(m: VendorManifest): string[] {
  const pin = m.pinning!;
  return [
    '| | |',
    '| --- | --- |',
    `| Pinned version (\`version\`) | ${pin.version ? 'yes' : 'no'} |`,
    `| SRI hashes published by the vendor | ${pin.publishedIntegrity ? 'yes' : 'no'} |`,
    `| Self-hosted copy (\`src\`) | ${pin.selfHost ? 'yes' : 'no'} |`,
    '',
    pin.note,
    '',
    `Every script adapter takes \`integrity\`: the script is then loaded with that Subresource Integrity hash and \`crossorigin="anonymous"\`, and the browser refuses to run a file that differs. A malformed hash fails closed: ${m.name} does not load and the console says why.${pin.selfHost ? ` A \`src\` on another host than the site’s own must be allowed: list that host in \`vendors.${m.id}.hosts\` (held until the vendor is granted) or in \`allow\`.` : ''}`,
  ];
}

/** The index of every vendor page (`docs/vendors/README.md`). */
export function renderIndex(manifests: readonly VendorManifest[]): string {
  const out: string[] = [
    '# Vendor adapters',
    '',
    '<!-- Generated by `pnpm run generate` from the adapter manifests. -->',
    '',
    `${manifests.length} adapters, one file and one subpath export each (\`@allparty/vendors/<id>\`). Each page says what the vendor captures, its hosts, cookies and storage, how to configure it, whether it can be stopped without a reload, and which facts are not confirmed.`,
    '',
    'This is product reasoning from public documentation and case law, not legal advice. Facts marked unconfirmed must be checked before relying on them.',
    '',
    `Not from the research catalog, and to be checked against each vendor’s current terms: legal names (the main contracting entity, which can differ by region), the own-use sentences of the advertising vendors, and most cookie lifetimes (where no source is listed, the lifetime reads "not confirmed").${outsideCatalog(manifests)}`,
    '',
    '| Adapter | Vendor | Legal name | Purposes | Contents | Unloads in place | Live settings checked (R16) | Script pinning (R32) | Confidence |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const m of manifests)
    out.push(
      `| [\`${m.id}\`](${m.id}.md) | ${m.name} | ${m.legalName} | ${m.purposes.join(', ')} | ${yesNo(m.capturesContents)} | ${
        m.unloadWithoutReload === true ? 'yes' : m.unloadWithoutReload === 'partial' ? 'partly' : 'no'
      } | ${m.liveSettings?.checked.join(', ') || (m.liveSettings ? 'none exposed' : '—')} | ${pinningCell(m)} | ${m.confidence} |`,
    );
  out.push(
    '',
    'Regenerate with `pnpm run generate` after changing a manifest; `npx vitest run packages/vendors` fails while these pages or the descriptor table are out of date.',
  );
  return `${out.join('\n')}\n`;
}

/** The sentence naming the vendors the research catalog does not cover, if any. */
function outsideCatalog(manifests: readonly VendorManifest[]): string {
  const names = manifests.filter((m) => !CATALOG_IDS.includes(m.id)).map((m) => m.name);
  if (!names.length) return '';
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
  return ` The ${list} ${names.length > 1 ? 'pages are' : 'page is'} not in the catalog at all.`;
}

function pinningCell(m: VendorManifest): string {
  const pin = m.pinning;
  if (!pin) return 'no script';
  const ways = [
    pin.version ? 'version' : '',
    pin.publishedIntegrity ? 'published SRI' : '',
    pin.selfHost ? 'self-host' : '',
  ].filter(Boolean);
  return ways.length ? ways.join(', ') : 'integrity only (moving URL)';
}

/** Every generated file, keyed by its path relative to the repository root. */
export function renderAll(manifests: readonly VendorManifest[]): Record<string, string> {
  const files: Record<string, string> = {
    [DESCRIPTORS_PATH]: renderDescriptors(manifests),
    [LOADERS_PATH]: renderLoaders(manifests),
    [MANIFESTS_PATH]: renderManifests(manifests),
    [NOTICES_PATH]: renderNotices(manifests),
  };
  for (const m of manifests) files[`${DOCS_DIR}/${m.id}.md`] = renderDoc(m);
  files[`${DOCS_DIR}/README.md`] = renderIndex(manifests);
  return files;
}
