import type { CookieSpec, StorageKeySpec } from '../types';

/**
 * A matcher for a declared cookie name or storage key: exact, or a prefix, with `{id}` standing for
 * the site id (any value when the id is unknown).
 */
export function nameMatcher(
  spec: { name: string; prefix?: boolean },
  id: string | undefined,
): (name: string) => boolean {
  const source = spec.name
    .split('{id}')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join(id ? id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : '[^;=\\s]+');
  const re = new RegExp(`^${source}${spec.prefix ? '' : '$'}`);
  return (name) => re.test(name);
}

/**
 * The current host and every parent domain above it, down to two labels (`shop.example.co.uk` →
 * `shop.example.co.uk`, `example.co.uk`, `co.uk`). Browsers ignore a cookie write to a public suffix,
 * so trying one is harmless, and this finds the registrable domain without a suffix list.
 */
export function cookieDomains(hostname: string): string[] {
  if (!hostname.includes('.') || /^[\d.]+$/.test(hostname) || hostname.includes(':')) return [hostname];
  const labels = hostname.split('.');
  const out: string[] = [];
  for (let i = 0; i <= labels.length - 2; i++) out.push(labels.slice(i).join('.'));
  return out;
}

/** Names of the cookies the page can see. */
export function cookieNames(): string[] {
  return document.cookie
    .split(';')
    .map((pair) => pair.split('=')[0]!.trim())
    .filter(Boolean);
}

/** Expires one cookie on the current host (host-only) and on every parent domain, at `/` and the page's path. */
export function deleteCookie(name: string): void {
  // A date in the past, not max-age=0: every browser (and happy-dom) deletes on it.
  const expired = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT`;
  const paths = ['/'];
  const segments = location.pathname.split('/').filter(Boolean);
  for (let i = 1; i <= segments.length; i++) paths.push(`/${segments.slice(0, i).join('/')}`);
  for (const path of paths) {
    // biome-ignore lint/suspicious/noDocumentCookie: expiring a cookie on each domain and path needs raw writes; the Cookie Store API is not everywhere.
    document.cookie = `${expired}; path=${path}`;
    for (const domain of cookieDomains(location.hostname)) {
      // biome-ignore lint/suspicious/noDocumentCookie: as above.
      document.cookie = `${expired}; path=${path}; domain=${domain}`;
    }
  }
}

/**
 * Deletes the first-party cookies a manifest declares (exact names and prefixes). Third-party
 * cookies (the site cannot touch them) and the vendor's own opt-out markers (they protect the
 * visitor) are left alone. Returns the names deleted.
 */
export function purgeCookies(specs: readonly CookieSpec[], id: string | undefined): string[] {
  const matchers = specs.filter((s) => !s.thirdParty && !s.optOut).map((s) => nameMatcher(s, id));
  const keep = specs.filter((s) => s.optOut).map((s) => nameMatcher(s, id));
  const deleted: string[] = [];
  for (const name of cookieNames()) {
    if (keep.some((m) => m(name)) || !matchers.some((m) => m(name))) continue;
    deleteCookie(name);
    deleted.push(name);
  }
  return deleted;
}

/** Deletes the localStorage and sessionStorage keys a manifest declares. Returns the keys deleted. */
export function purgeStorage(specs: readonly StorageKeySpec[], id: string | undefined): string[] {
  const deleted: string[] = [];
  for (const kind of ['local', 'session'] as const) {
    const matchers = specs
      .filter((s) => s.storage === kind)
      .map((s) => nameMatcher({ name: s.key, ...(s.prefix && { prefix: true }) }, id));
    if (!matchers.length) continue;
    let storage: Storage;
    try {
      storage = kind === 'local' ? window.localStorage : window.sessionStorage;
    } catch {
      continue; // storage disabled: the vendor could not have written there either
    }
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key !== null && matchers.some((m) => m(key))) keys.push(key);
    }
    for (const key of keys) {
      storage.removeItem(key);
      deleted.push(`${kind}:${key}`);
    }
  }
  return deleted;
}
