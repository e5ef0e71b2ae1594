/**
 * Vendor descriptors for unit tests that need a few configured vendors without the vendors
 * package: one of each kind of purpose, as `@allparty/vendors` describes them.
 */
import type { VendorDescriptor } from '@allparty/core';

/** Session replay; captures contents. */
export const hotjar: VendorDescriptor = {
  id: 'hotjar',
  legalName: 'Hotjar Ltd',
  purposes: ['replay'],
  hosts: ['*.hotjar.com'],
  capturesContents: true,
};

/** Analytics. */
export const googleAnalytics: VendorDescriptor = {
  id: 'google-analytics-4',
  legalName: 'Google LLC',
  purposes: ['analytics'],
  hosts: ['www.google-analytics.com'],
};

/** Advertising (what Global Privacy Control opts out of). */
export const metaPixel: VendorDescriptor = {
  id: 'meta-pixel',
  legalName: 'Meta Platforms, Inc.',
  purposes: ['advertising'],
  hosts: ['connect.facebook.net'],
};

/** Chat. */
export const intercom: VendorDescriptor = {
  id: 'intercom',
  legalName: 'Intercom R&D Unlimited Company',
  purposes: ['chat'],
  hosts: ['*.intercom.io'],
};
