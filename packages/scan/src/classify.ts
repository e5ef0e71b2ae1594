/**
 * Host classification: which vendor a host belongs to and what for, from (in this order) the
 * page's own `#allparty-config` (`vendors.X.hosts`, `allow`), the allparty vendor manifests and
 * the third-party-web dataset.
 */
import { createRequire } from 'node:module';
import { compileHostTable, type HostTable, matchHost } from '@allparty/core';
import { manifests, type VendorManifest } from '@allparty/vendors';
import { type HostClass, TRACKING_PURPOSES } from './types';

/** What the scanner reads from a page's `#allparty-config`. */
export interface PageConfig {
  vendors: Record<string, { hosts: string[] }>;
  allow: string[];
}

/** Reads the parts of a config the scanner needs, leniently; null when it is not an object. */
export function pageConfigFrom(value: unknown): PageConfig | null {
  if (!isRecord(value)) return null;
  const vendors: PageConfig['vendors'] = {};
  if (isRecord(value.vendors))
    for (const [id, settings] of Object.entries(value.vendors))
      vendors[id] = { hosts: isRecord(settings) ? strings(settings.hosts) : [] };
  return { vendors, allow: strings(value.allow) };
}

/** Finds `<script type="application/json" id="allparty-config">` in HTML and parses it. */
export function pageConfigFromHtml(html: string): PageConfig | null {
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/\bid\s*=\s*["']?allparty-config\b/i.test(m[1] ?? '')) continue;
    try {
      return pageConfigFrom(JSON.parse(m[2] ?? ''));
    } catch {
      return null;
    }
  }
  return null;
}

interface Entity {
  name: string;
  category: string;
  domains: string[];
}

/** third-party-web categories that track, and the allparty purpose they stand for. */
const TPW_PURPOSES: Record<string, string> = {
  ad: 'advertising',
  social: 'advertising',
  marketing: 'advertising',
  analytics: 'analytics',
  'customer-success': 'chat',
  'tag-manager': 'analytics',
};

let entities: Entity[] | null = null;
let entityTable: HostTable | null = null;

/** The third-party-web entities (loaded once). */
export function thirdPartyWeb(): { entities: Entity[]; table: HostTable } {
  if (!entities || !entityTable) {
    const require = createRequire(import.meta.url);
    const raw: unknown = require('third-party-web/dist/entities.json');
    entities = Array.isArray(raw) ? raw.filter(isEntity) : [];
    entityTable = compileHostTable(
      entities.map((e, i) => ({
        owner: String(i),
        // third-party-web's `*.example.com` covers the apex too.
        patterns: e.domains.map((d) => d.replace(/^\*\./, '.')),
      })),
    ).table;
  }
  return { entities, table: entityTable };
}

const manifestById = new Map<string, VendorManifest>(manifests.map((m) => [m.id, m]));
const manifestTable = compileHostTable(manifests.map((m) => ({ owner: m.id, patterns: m.hosts }))).table;

export function manifestFor(id: string): VendorManifest | undefined {
  return manifestById.get(id);
}

export interface Classifier {
  /** Classifies a request URL (host, port and path: some vendors share a host by path). */
  classify(url: string | URL): HostClass;
  /** The vendor whose manifest declares a cookie or storage key of this name, or null. */
  cookieVendor(name: string): string | null;
  storageVendor(key: string, storage: 'local' | 'session'): string | null;
  config: PageConfig | null;
}

export function createClassifier(config: PageConfig | null): Classifier {
  const configured = new Set(Object.keys(config?.vendors ?? {}));
  const configTable = compileHostTable(
    Object.entries(config?.vendors ?? {}).map(([id, s]) => ({ owner: id, patterns: s.hosts })),
  ).table;
  const allowTable = compileHostTable([{ owner: null, patterns: config?.allow ?? [] }]).table;
  const prefer = (owner: string | null) => owner !== null && configured.has(owner);

  const fromManifest = (host: string, id: string, source: 'config' | 'manifest'): HostClass => {
    const m = manifestById.get(id);
    const purposes = m ? [...m.purposes] : [];
    return {
      host,
      vendor: id,
      name: m?.name ?? id,
      category: m?.category ?? null,
      purposes,
      // A host the page itself declares for an unknown vendor is held by the guard: treat it as one.
      tracker: m ? purposes.some((p) => TRACKING_PURPOSES.has(p)) : true,
      source,
      adapter: Boolean(m),
      configured: configured.has(id),
    };
  };

  const cache = new Map<string, HostClass>();
  function classify(input: string | URL): HostClass {
    let url: URL;
    try {
      url = typeof input === 'string' ? new URL(input) : input;
    } catch {
      return unknownHost(String(input), false);
    }
    const key = `${url.hostname}:${url.port}${url.pathname}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const result = classifyUncached(url);
    if (cache.size < 5000) cache.set(key, result);
    return result;
  }

  function classifyUncached(url: URL): HostClass {
    const host = url.hostname;
    const own = matchHost(configTable, host, url.port, url.pathname);
    if (own?.owner) return fromManifest(host, own.owner, 'config');
    const rule = matchHost(manifestTable, host, url.port, url.pathname, prefer);
    if (rule?.owner) return fromManifest(host, rule.owner, 'manifest');
    const allowed = matchHost(allowTable, host, url.port, url.pathname) !== null;
    const tpw = thirdPartyWeb();
    const entityRule = matchHost(tpw.table, host, url.port, url.pathname);
    const entity = entityRule?.owner ? tpw.entities[Number(entityRule.owner)] : undefined;
    if (entity) {
      const purpose = TPW_PURPOSES[entity.category];
      return {
        host,
        vendor: null,
        name: entity.name,
        category: entity.category,
        purposes: purpose ? [purpose] : [],
        tracker: Boolean(purpose),
        source: 'third-party-web',
        adapter: false,
        configured: allowed,
      };
    }
    return unknownHost(host, allowed);
  }

  const cookieRules = manifests.flatMap((m) =>
    m.cookies.map((c) => ({ vendor: m.id, test: nameMatcher(c.name, c.prefix === true) })),
  );
  const storageRules = manifests.flatMap((m) =>
    m.storageKeys.map((k) => ({
      vendor: m.id,
      storage: k.storage,
      test: nameMatcher(k.key, k.prefix === true),
    })),
  );
  const pick = (rules: Array<{ vendor: string; test: (n: string) => boolean }>, name: string) => {
    const hits = rules.filter((r) => r.test(name)).map((r) => r.vendor);
    return hits.find((v) => configured.has(v)) ?? hits[0] ?? null;
  };

  return {
    classify,
    cookieVendor: (name) => pick(cookieRules, name),
    storageVendor: (key, storage) =>
      pick(
        storageRules.filter((r) => r.storage === storage),
        key,
      ),
    config,
  };
}

function unknownHost(host: string, configured: boolean): HostClass {
  return {
    host,
    vendor: null,
    name: null,
    category: null,
    purposes: [],
    tracker: false,
    source: null,
    adapter: false,
    configured,
  };
}

/** `_hj` (prefix) or `_hjSession_{id}` ({id} stands for any site id). */
function nameMatcher(spec: string, prefix: boolean): (name: string) => boolean {
  const source = spec
    .split('{id}')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^;=]*');
  const re = new RegExp(`^${source}${prefix ? '' : '$'}`);
  return (name) => re.test(name);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function isEntity(v: unknown): v is Entity {
  return (
    isRecord(v) &&
    typeof v.name === 'string' &&
    typeof v.category === 'string' &&
    Array.isArray(v.domains) &&
    v.domains.every((d) => typeof d === 'string')
  );
}
