export type { ClickToLoadProps } from './click-to-load';
export { ClickToLoad } from './click-to-load';
export type { GateProps } from './gate';
export { Gate } from './gate';
export type { ConsentProviderProps } from './provider';
export { ConsentProvider } from './provider';
export type { ConsentSnapshot, ConsentSource } from './source';
export type { ConsentHandle } from './use-consent';
export { useConsent } from './use-consent';
