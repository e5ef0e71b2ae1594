// biome-ignore-all lint/suspicious/noDocumentCookie: consent must be readable synchronously, before any other script runs; the Cookie Store API is asynchronous (and missing in some browsers)
import type { ConsentStorage } from './storage';

/** Options for {@link cookieStorage}. */
export interface CookieStorageOptions {
  /** Cookie name (letters, digits, `_` and `-`, as the config allows). @default "allparty" */
  name?: string;
  /** Domain, so one consent covers a site's subdomains. @default the current host only */
  domain?: string | null;
  /** Cookie lifetime in days; match the consent lifetime. @default 365 */
  days?: number;
}

/**
 * The browser storage: one first-party cookie, `SameSite=Lax`, `Secure` on https. The value is
 * percent-encoded; reading decodes any percent-encoding, so cookies written by earlier
 * versions (which kept `:`, `,` and a few other characters as they were) read the same.
 */
export function cookieStorage(options: CookieStorageOptions = {}): ConsentStorage {
  const name = options.name ?? 'allparty';
  const attributes = (days: number) =>
    `; path=/; expires=${new Date(Date.now() + days * 864e5).toUTCString()}${
      options.domain ? `; domain=${options.domain}` : ''
    }; SameSite=Lax${location.protocol === 'https:' ? '; Secure' : ''}`;
  return {
    read() {
      return readCookie(document.cookie, name);
    },
    write(value) {
      document.cookie = `${name}=${encodeURIComponent(value)}${attributes(options.days ?? 365)}`;
    },
    clear() {
      document.cookie = `${name}=${attributes(-1)}`;
    },
  };
}

/**
 * The value of cookie `name` in a `Cookie` header or `document.cookie` string: surrounding
 * double quotes dropped and percent-encoding decoded, as every reader of the consent cookie
 * (this storage, the record queue) must read it; null when absent or undecodable.
 */
export function readCookie(cookies: string, name: string): string | null {
  for (const pair of cookies.split(/; */)) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || pair.slice(0, eq) !== name) continue;
    try {
      return decodeURIComponent(pair.slice(eq + 1).replace(/^"(.*)"$/, '$1'));
    } catch {
      return null;
    }
  }
  return null;
}
