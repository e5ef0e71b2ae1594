/**
 * Entry of `allparty-config-errors.js`, the lazy chunk with the config explanations (what is
 * wrong with each field, "did you mean"). The embed loads it only for a broken config, after it
 * has already failed closed and named the fields; it sets `window.allpartyConfigErrors`.
 */
import { CHUNK_GLOBALS, formatConfigErrors, parseConfig, type VendorDescriptor } from '@allparty/core';

declare global {
  interface Window {
    /** The full console message for a config (null when it is valid). */
    [CHUNK_GLOBALS.configErrors]?: (raw: unknown, vendors: readonly VendorDescriptor[]) => string | null;
  }
}

window.allpartyConfigErrors = (raw, vendors) => {
  const parsed = parseConfig(raw, { vendors });
  return parsed.ok ? null : formatConfigErrors(parsed.errors);
};
