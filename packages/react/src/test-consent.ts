import {
  type Consent,
  createConsent,
  memoryStorage,
  parseConfig,
  type VendorDescriptor,
} from '@allparty/core';

const youtube: VendorDescriptor = {
  id: 'youtube',
  legalName: 'Google LLC',
  purposes: ['video'],
  hosts: ['.youtube.com'],
};
const hotjar: VendorDescriptor = {
  id: 'hotjar',
  legalName: 'Hotjar Ltd.',
  purposes: ['replay'],
  hosts: ['.hotjar.com'],
};

/** A core consent instance with YouTube and Hotjar configured, every call made as from a click. */
export function testConsent(): Consent {
  const parsed = parseConfig(
    { vendors: { youtube: {}, hotjar: { siteId: '1' } } },
    { vendors: [youtube, hotjar] },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return createConsent({
    config: parsed.config,
    vendors: [youtube, hotjar],
    storage: memoryStorage(),
    userActivation: () => true,
    gpc: () => false,
    page: () => ({ origin: 'https://shop.example', path: '/' }),
    console: { warn: () => {}, error: () => {}, info: () => {} },
  });
}
