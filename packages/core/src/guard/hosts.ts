/**
 * Host patterns and matching for the guard. A pattern is
 *   `static.hotjar.com`   that host exactly
 *   `*.hotjar.com`        any subdomain, not the apex
 *   `.hotjar.com`         the apex and any subdomain
 * optionally with a scheme (`wss://`, ignored: a host is held however it is reached), a port
 * (`cdn.example.com:8443`, then only that port) and a path prefix
 * (`www.googletagmanager.com/gtag/`, for vendors that share a host).
 * Internationalised names are matched in their punycode form, as URLs carry them.
 */

export interface HostRule {
  /** Who the host belongs to: a vendor id, or null for an allowed host. */
  owner: string | null;
  host: string;
  /** exact host; `sub`: subdomains only; `tree`: apex and subdomains. */
  scope: 'exact' | 'sub' | 'tree';
  port: string | null;
  path: string | null;
}

/** A compiled table: lookups cost one map probe per label of the request's host. */
export interface HostTable {
  exact: Map<string, HostRule[]>;
  suffix: Map<string, HostRule[]>;
}

/** Parses one pattern; null if it is not a valid pattern. */
export function parseHostPattern(pattern: string, owner: string | null): HostRule | null {
  let rest = pattern.trim().replace(/^(wss?|https?):\/\//i, '');
  let path: string | null = null;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    path = rest.slice(slash);
    rest = rest.slice(0, slash);
    if (path === '/') path = null;
  }
  let scope: HostRule['scope'] = 'exact';
  if (rest.startsWith('*.')) {
    scope = 'sub';
    rest = rest.slice(2);
  } else if (rest.startsWith('.')) {
    scope = 'tree';
    rest = rest.slice(1);
  }
  let port: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    port = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^\d{1,5}$/.test(port)) return null;
  }
  // Lowercase ASCII names are already in URL form; only others need the (slower) URL parser.
  const host = /^[a-z0-9.-]+$/.test(rest) && !rest.includes('..') ? rest : toAsciiHost(rest);
  if (!host || host.includes('*')) return null;
  return { owner, host, scope, port, path };
}

/** Lowercase punycode form of a host name, or null if it is not one. */
export function toAsciiHost(host: string): string | null {
  if (!host || /[\s/?#@]/.test(host)) return null;
  try {
    return new URL(`http://${host}/`).hostname || null;
  } catch {
    return null;
  }
}

/** Compiles patterns into a table. Invalid patterns are returned so callers can report them. */
export function compileHostTable(entries: Iterable<{ owner: string | null; patterns: readonly string[] }>): {
  table: HostTable;
  invalid: string[];
} {
  const table: HostTable = { exact: new Map(), suffix: new Map() };
  const invalid: string[] = [];
  for (const { owner, patterns } of entries)
    for (const pattern of patterns) {
      const rule = parseHostPattern(pattern, owner);
      if (!rule) {
        invalid.push(pattern);
        continue;
      }
      const add = (map: Map<string, HostRule[]>) => {
        const list = map.get(rule.host);
        if (list) list.push(rule);
        else map.set(rule.host, [rule]);
      };
      if (rule.scope !== 'sub') add(table.exact);
      if (rule.scope !== 'exact') add(table.suffix);
    }
  return { table, invalid };
}

/**
 * The most specific rule matching a URL's host, port and path: a longer host beats a
 * shorter suffix, and a path prefix beats none. Null when nothing matches.
 */
export function matchHost(
  table: HostTable,
  hostname: string,
  port: string,
  pathname: string,
  prefer?: (owner: string | null) => boolean,
): HostRule | null {
  const pick = (rules: HostRule[] | undefined): HostRule | null => {
    let best: HostRule | null = null;
    if (!rules) return null;
    for (const r of rules) {
      if (r.port !== null && r.port !== port) continue;
      if (r.path !== null && !pathname.startsWith(r.path)) continue;
      const longer = (r.path?.length ?? 0) - (best?.path?.length ?? 0);
      // Vendors that declare the same host: the one the caller prefers (a configured one) wins.
      if (!best || longer > 0 || (longer === 0 && prefer && !prefer(best.owner) && prefer(r.owner))) best = r;
    }
    return best;
  };
  // The most specific match wins, unless it is a vendor the caller does not prefer and a preferred
  // vendor declares the host less specifically (`static.zdassets.com` vs `*.zdassets.com`).
  let first = pick(table.exact.get(hostname));
  if (first && (!prefer || first.owner === null || prefer(first.owner))) return first;
  let dot = hostname.indexOf('.');
  while (dot >= 0) {
    const found = pick(table.suffix.get(hostname.slice(dot + 1)));
    if (found) {
      if (!first) {
        if (!prefer || found.owner === null || prefer(found.owner)) return found;
        first = found;
      } else if (found.owner !== null && prefer?.(found.owner)) return found;
    }
    dot = hostname.indexOf('.', dot + 1);
  }
  return first;
}

// Second-level labels under which registrations happen in many country-code domains
// (example.co.uk, example.com.au). A heuristic, not the Public Suffix List: sites on other
// multi-label suffixes list their own hosts in `allow`.
const SECOND_LEVEL = new Set([
  'co',
  'com',
  'net',
  'org',
  'gov',
  'edu',
  'ac',
  'ne',
  'or',
  'go',
  'gob',
  'nic',
  'ltd',
  'plc',
]);

/** The registrable domain ("site") of a host; IPs, localhost and single labels are their own site. */
export function siteOf(hostname: string): string {
  if (/^\[.*\]$/.test(hostname) || /^\d+\.\d+\.\d+\.\d+$/.test(hostname) || !hostname.includes('.'))
    return hostname;
  const labels = hostname.split('.');
  const n = labels.length;
  if (n >= 3 && labels[n - 1]!.length === 2 && SECOND_LEVEL.has(labels[n - 2]!))
    return labels.slice(n - 3).join('.');
  return labels.slice(n - 2).join('.');
}

/** Whether any vendor (not an allowed host) has a rule that can match this host, on any path. */
export function hostHasVendorRules(table: HostTable, hostname: string): boolean {
  const owned = (rules: HostRule[] | undefined) => rules?.some((r) => r.owner !== null) ?? false;
  // The exact map holds apex-and-subdomain rules too; the suffix map, rules for what is below.
  if (owned(table.exact.get(hostname))) return true;
  for (let dot = hostname.indexOf('.'); dot >= 0; dot = hostname.indexOf('.', dot + 1))
    if (owned(table.suffix.get(hostname.slice(dot + 1)))) return true;
  return false;
}
