export { descriptors } from './descriptors.generated';
export { ADAPTER_IDS, loadAdapter } from './lazy';
export type { AdapterSpec, Settings } from './lib/define';
export { defineAdapter } from './lib/define';
export type { HostPattern } from './lib/hosts';
export { parseHostPattern, urlMatches } from './lib/hosts';
export { manifests } from './manifests.generated';
export type {
  AdapterContext,
  CookieSpec,
  EmbedSpec,
  SettingSpec,
  StopResult,
  StorageKeySpec,
  VendorAdapter,
  VendorCategory,
  VendorManifest,
  VendorNotice,
} from './types';
