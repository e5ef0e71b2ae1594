import Cookies from 'js-cookie';
import type { ConsentStorage } from './storage';

/** Options for {@link cookieStorage}. */
export interface CookieStorageOptions {
  /** Cookie name. @default "allparty" */
  name?: string;
  /** Domain, so one consent covers a site's subdomains. @default the current host only */
  domain?: string | null;
  /** Cookie lifetime in days; match the consent lifetime. @default 365 */
  days?: number;
}

/** The browser storage: one first-party cookie, `SameSite=Lax`, `Secure` on https. */
export function cookieStorage(options: CookieStorageOptions = {}): ConsentStorage {
  const name = options.name ?? 'allparty';
  const attributes = (): Cookies.CookieAttributes => ({
    expires: options.days ?? 365,
    path: '/',
    sameSite: 'Lax',
    secure: location.protocol === 'https:',
    ...(options.domain ? { domain: options.domain } : {}),
  });
  return {
    read() {
      try {
        return Cookies.get(name) ?? null;
      } catch {
        return null;
      }
    },
    write(value) {
      Cookies.set(name, value, attributes());
    },
    clear() {
      Cookies.remove(name, { path: '/', ...(options.domain ? { domain: options.domain } : {}) });
    },
  };
}
