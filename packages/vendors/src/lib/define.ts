import type { ConfigError, VendorSettings } from '@allparty/core';
import type { AdapterContext, StopResult, VendorAdapter, VendorManifest } from '../types';
import { removeVendorDom } from './dom';
import { purgeCookies, purgeStorage } from './purge';
import { settingSpecs, validateSettings } from './validate';

/** A vendor's settings after validation, with option defaults filled in. */
export interface Settings {
  /** The site id (`configId.setting`); empty for vendors without one. */
  id: string;
  /** A string option, or its default, or "". */
  string(name: string): string;
  /** A boolean option, or its default, or false. */
  flag(name: string): boolean;
}

/** What a vendor file provides; {@link defineAdapter} adds validation, DOM removal and purge. */
export interface AdapterSpec {
  manifest: VendorManifest;
  /** Checks beyond the manifest's formats (settings that must agree with each other). */
  check?(settings: VendorSettings, errors: ConfigError[]): void;
  /**
   * Sets up globals and queues and injects the script, as the official snippet does. Where the
   * vendor exposes its live privacy settings, it also hooks the vendor's "started" signal to check
   * them (`verifyLive`, R16).
   */
  load(settings: Settings, context: AdapterContext): void;
  /** Calls the vendor's own stop/teardown API. Each call is guarded: a broken vendor must not stop the rest. */
  shutdown?(settings: Settings, context: AdapterContext): void;
  /** Selectors of the vendor's widget containers and frames beyond elements loaded from its hosts. */
  selectors?: readonly string[];
  /** Opens a chat once loaded (see `VendorAdapter.open`). */
  open?(settings: Settings, context: AdapterContext): void;
}

/** Reads settings with the manifest's defaults. */
export function resolveSettings(manifest: VendorManifest, settings: VendorSettings): Settings {
  const option = (name: string) => settingSpecs(manifest).find((o) => o.name === name);
  const id = manifest.configId ? settings[manifest.configId.setting] : undefined;
  return {
    id: typeof id === 'string' ? id : '',
    string(name) {
      const value = settings[name] ?? option(name)?.default;
      return typeof value === 'string' ? value : '';
    },
    flag(name) {
      const value = settings[name] ?? option(name)?.default;
      return value === true;
    },
  };
}

/** The honest stop result the manifest allows: unloaded only if the vendor can really be unloaded in place. */
export function stopResult(manifest: VendorManifest): StopResult {
  return manifest.unloadWithoutReload === true
    ? { unloaded: true }
    : { unloaded: false, reason: manifest.stopNote };
}

/**
 * Builds an adapter from a vendor file's spec:
 * - `validate` checks the manifest's id format and options, plus the spec's own checks;
 * - `load` does nothing for `{ "snippet": true }` (the page carries the vendor's own tagged
 *   snippet) and refuses invalid settings (fail closed, returning false);
 * - `stop` calls the vendor's shutdown API, removes its scripts, frames and widgets, and reports
 *   `unloaded: false` unless the manifest says it can be unloaded in place;
 * - `purge` deletes the declared cookies and storage keys.
 */
export function defineAdapter(spec: AdapterSpec): VendorAdapter {
  const { manifest } = spec;
  const validate = (settings: VendorSettings): ConfigError[] => {
    const errors = validateSettings(manifest, settings);
    spec.check?.(settings, errors);
    return errors;
  };
  const adapter: VendorAdapter = {
    manifest,
    validate,
    load(context) {
      if (context.settings.snippet === true) return true;
      const errors = validate(context.settings);
      if (errors.length) {
        // Fail closed for this vendor: bad settings load nothing.
        console.error(
          `allparty: the "${manifest.id}" settings are invalid, so it will not load:\n${errors.map((e) => `  - ${e.path}: ${e.message}`).join('\n')}`,
        );
        return false;
      }
      spec.load(resolveSettings(manifest, context.settings), context);
      return true;
    },
    stop(context) {
      try {
        spec.shutdown?.(resolveSettings(manifest, context.settings), context);
      } catch {
        // Teardown goes on: the DOM removal and the reload below do not depend on the vendor's API.
      }
      removeVendorDom(manifest, spec.selectors);
      return stopResult(manifest);
    },
    purge(context) {
      const { id } = resolveSettings(manifest, context.settings);
      purgeCookies(manifest.cookies, id || undefined);
      purgeStorage(manifest.storageKeys, id || undefined);
    },
  };
  if (spec.open) {
    const open = spec.open;
    adapter.open = (context) => open(resolveSettings(manifest, context.settings), context);
  }
  return adapter;
}
