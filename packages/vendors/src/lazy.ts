import type { VendorAdapter } from './types';

/** One dynamic import per adapter, so bundlers split each into its own chunk. */
const loaders: Readonly<Record<string, () => Promise<{ adapter: VendorAdapter }>>> = {
  fullstory: () => import('./adapters/fullstory'),
  hotjar: () => import('./adapters/hotjar'),
  contentsquare: () => import('./adapters/contentsquare'),
  'microsoft-clarity': () => import('./adapters/microsoft-clarity'),
  logrocket: () => import('./adapters/logrocket'),
  mouseflow: () => import('./adapters/mouseflow'),
  smartlook: () => import('./adapters/smartlook'),
  heap: () => import('./adapters/heap'),
  'quantum-metric': () => import('./adapters/quantum-metric'),
  posthog: () => import('./adapters/posthog'),
  'sentry-replay': () => import('./adapters/sentry-replay'),
  'lucky-orange': () => import('./adapters/lucky-orange'),
  inspectlet: () => import('./adapters/inspectlet'),
  intercom: () => import('./adapters/intercom'),
  drift: () => import('./adapters/drift'),
  'zendesk-messaging': () => import('./adapters/zendesk-messaging'),
  'zendesk-classic': () => import('./adapters/zendesk-classic'),
  livechat: () => import('./adapters/livechat'),
  'hubspot-chat': () => import('./adapters/hubspot-chat'),
  crisp: () => import('./adapters/crisp'),
  tidio: () => import('./adapters/tidio'),
  olark: () => import('./adapters/olark'),
  'tawk-to': () => import('./adapters/tawk-to'),
  'salesforce-messaging': () => import('./adapters/salesforce-messaging'),
  freshchat: () => import('./adapters/freshchat'),
  'google-analytics-4': () => import('./adapters/google-analytics-4'),
  'google-tag-manager': () => import('./adapters/google-tag-manager'),
  'meta-pixel': () => import('./adapters/meta-pixel'),
  'tiktok-pixel': () => import('./adapters/tiktok-pixel'),
  'linkedin-insight': () => import('./adapters/linkedin-insight'),
  segment: () => import('./adapters/segment'),
  mixpanel: () => import('./adapters/mixpanel'),
  amplitude: () => import('./adapters/amplitude'),
  'snap-pixel': () => import('./adapters/snap-pixel'),
  'pinterest-tag': () => import('./adapters/pinterest-tag'),
  'x-pixel': () => import('./adapters/x-pixel'),
  'reddit-pixel': () => import('./adapters/reddit-pixel'),
  'microsoft-uet': () => import('./adapters/microsoft-uet'),
  'adobe-analytics': () => import('./adapters/adobe-analytics'),
  youtube: () => import('./adapters/youtube'),
  vimeo: () => import('./adapters/vimeo'),
  'google-maps': () => import('./adapters/google-maps'),
};

/** Ids of every adapter this package ships. */
export const ADAPTER_IDS: readonly string[] = Object.keys(loaders);

/**
 * Loads one adapter on demand (a separate chunk in bundler builds), or resolves to undefined for
 * an unknown id.
 */
export async function loadAdapter(id: string): Promise<VendorAdapter | undefined> {
  const load = Object.hasOwn(loaders, id) ? loaders[id] : undefined;
  return load ? (await load()).adapter : undefined;
}
