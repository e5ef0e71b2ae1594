/**
 * Host patterns as `VendorDescriptor.hosts` documents them: `host`, `*.host` (any subdomain, not
 * the apex), `.host` (the apex and any subdomain), optional `:port`, optional path prefix.
 */
export interface HostPattern {
  /** `exact`, `subdomains` (`*.`), or `apex-and-subdomains` (`.`). */
  kind: 'exact' | 'subdomains' | 'apex-and-subdomains';
  host: string;
  port: string | null;
  /** Path prefix, starting with `/`, or null for any path. */
  path: string | null;
}

const PATTERN = /^(\*\.|\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d{1,5}))?(\/\S*)?$/;

/** Parses a host pattern, or returns null when it is not one (uppercase and schemes are rejected). */
export function parseHostPattern(pattern: string): HostPattern | null {
  const m = PATTERN.exec(pattern);
  if (!m) return null;
  const kind = m[1] === '*.' ? 'subdomains' : m[1] === '.' ? 'apex-and-subdomains' : 'exact';
  return { kind, host: m[2]!, port: m[3] ?? null, path: m[4] ?? null };
}

/** Whether a hostname is covered by a pattern's host part. */
export function hostCovered(pattern: HostPattern, hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (pattern.kind === 'exact') return h === pattern.host;
  if (pattern.kind === 'subdomains') return h.endsWith(`.${pattern.host}`);
  return h === pattern.host || h.endsWith(`.${pattern.host}`);
}

/** Whether a URL (absolute, or relative to the page) is one of the patterns. */
export function urlMatches(patterns: readonly string[], url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url, document.baseURI);
  } catch {
    return false;
  }
  if (!/^(https?|wss?):$/.test(parsed.protocol)) return false;
  return patterns.some((p) => {
    const pattern = parseHostPattern(p);
    if (!pattern || !hostCovered(pattern, parsed.hostname)) return false;
    if (pattern.port !== null && parsed.port !== pattern.port) return false;
    return pattern.path === null || `${parsed.pathname}${parsed.search}`.startsWith(pattern.path);
  });
}

/**
 * Whether two patterns can match the same request: their hosts overlap and neither path prefix
 * rules the other out. Used by the contract test to find hosts two vendors both claim.
 */
export function patternsOverlap(a: string, b: string): boolean {
  const pa = parseHostPattern(a);
  const pb = parseHostPattern(b);
  if (!pa || !pb) return false;
  if (pa.port !== null && pb.port !== null && pa.port !== pb.port) return false;
  const hostsOverlap =
    hostCovered(pa, pb.host) ||
    hostCovered(pb, pa.host) ||
    (pa.kind !== 'exact' &&
      pb.kind !== 'exact' &&
      (pa.host.endsWith(`.${pb.host}`) || pb.host.endsWith(`.${pa.host}`)));
  if (!hostsOverlap) return false;
  if (pa.path === null || pb.path === null) return true;
  return pa.path.startsWith(pb.path) || pb.path.startsWith(pa.path);
}
