/**
 * Facts many manifests state alike (R16, R32), written once. Like every module in helpers/, this is
 * bundled into the chunks of the adapters that import it, not into vendors/lib.js.
 */
import type { LiveSettingsSpec, PinningSpec } from '../types';

/** R16 for chat vendors: none exposes its settings (typing previews included) to the page. */
export const CHAT_LIVE_SETTINGS: LiveSettingsSpec = {
  checked: [],
  note: 'No browser API in the catalog reports this vendor’s chat settings, typing previews (R12) included, so nothing is checked at load; the masking note says where to turn previews off.',
};

/**
 * R32 for a vendor whose script has no fixed version: `what` says why, ending with a comma
 * ("fs.js is served at one unversioned URL,").
 */
export function movingScript(what: string): PinningSpec {
  return {
    version: false,
    publishedIntegrity: false,
    selfHost: false,
    note: `${what} so no version can be pinned; an \`integrity\` hash stops matching, and the vendor loading, when it changes.`,
  };
}
