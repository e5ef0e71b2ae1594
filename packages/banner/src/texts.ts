// The banner's English texts and its template helpers, without the UI: for other renderers
// (the React binding's click-to-load placeholder) that must say the same words. No preact here.
export type { Messages, TextKey } from './i18n/en';
export { en } from './i18n/en';
export { fill, joinList } from './text';
