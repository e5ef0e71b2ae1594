/** Shared fixtures for the banner's unit tests: manifests shaped like `@allparty/vendors`' and a consent. */
import { type Consent, createConsent, memoryStorage, parseConfig } from '@allparty/core';
import type { BannerVendor } from './text';

type Manifest = BannerVendor & { hosts: string[]; capturesContents?: boolean };

export const hotjar: Manifest = {
  id: 'hotjar',
  name: 'Hotjar',
  legalName: 'Hotjar Ltd',
  purposes: ['replay'],
  hosts: ['*.hotjar.com'],
  capturesContents: true,
  captures: {
    contents: ['your clicks, scrolling and what you type'],
    addressing: ['your IP address'],
  },
  ownUse: false,
  cookies: [
    { name: '_hjSessionUser_{id}', lifetime: '1 year' },
    { name: '_hjSession_{id}', lifetime: '30 minutes' },
  ],
};

export const intercom: Manifest = {
  id: 'intercom',
  name: 'Intercom',
  legalName: 'Intercom R&D Unlimited Company',
  purposes: ['chat'],
  hosts: ['*.intercom.io'],
  capturesContents: true,
  captures: { contents: ['the text of your chat messages'], addressing: ['your IP address'] },
  ownUse: 'to train its AI answer bot',
  cookies: [{ name: 'intercom-session-{id}', lifetime: '7 days' }],
};

export const analytics: Manifest = {
  id: 'plausible',
  name: 'Plausible',
  legalName: 'Plausible Insights OÜ',
  purposes: ['analytics'],
  hosts: ['plausible.io'],
  captures: { contents: [], addressing: ['which pages you visit and when'] },
  ownUse: false,
  cookies: [],
};

export const pixel: Manifest = {
  id: 'meta-pixel',
  name: 'Meta Pixel',
  legalName: 'Meta Platforms, Inc.',
  purposes: ['advertising'],
  hosts: ['connect.facebook.net'],
  captures: { contents: [], addressing: ['your IP address', 'which ad you clicked to get here'] },
  ownUse: 'to target ads to you on its own services',
  cookies: [{ name: '_fbp', lifetime: '3 months' }],
};

export const manifests = [hotjar, intercom, analytics, pixel];

/** A consent instance over the fixture vendors, with user activation on by default. */
export function makeConsent(
  config: Record<string, unknown> = {},
  opts: { gpc?: boolean; activation?: boolean; storage?: ReturnType<typeof memoryStorage> } = {},
): Consent {
  const parsed = parseConfig(
    {
      vendors: {
        hotjar: { siteId: '1' },
        intercom: { appId: 'a' },
        plausible: {},
        'meta-pixel': { pixelId: '1' },
      },
      contact: { url: 'mailto:help@example.com', label: 'Email us' },
      ...config,
    },
    { vendors: manifests },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return createConsent({
    config: parsed.config,
    vendors: manifests,
    storage: opts.storage ?? memoryStorage(),
    userActivation: () => opts.activation ?? true,
    gpc: () => opts.gpc ?? false,
    page: () => ({ origin: 'https://shop.example', path: '/' }),
    console: { warn: () => {}, error: () => {}, info: () => {} },
  });
}

export const youtube: Manifest = {
  id: 'youtube',
  name: 'YouTube',
  legalName: 'Google LLC',
  purposes: ['video'],
  hosts: ['www.youtube.com/embed/'],
  captures: { contents: ['which video you watch'], addressing: ['your IP address'] },
  ownUse: 'under its own privacy policy',
  cookies: [],
  embed: { receives: 'YouTube (Google LLC) receives your IP address and which video you watch.' },
};
