/**
 * R16: where a vendor exposes its live privacy settings, its adapter reads them once the vendor has
 * started, records them in the load ledger and, when they are weaker than the site's declared
 * minimum, refuses the vendor: its hosts held again, stopped and purged, an error logged.
 */
import type { ConfigError, VendorSettings } from '@allparty/core';
import type {
  AdapterContext,
  LiveMinimum,
  LiveSettingName,
  LiveSettings,
  VendorAdapter,
  VendorManifest,
} from '../types';
import { isRecord } from './globals';

/** The minimum every check starts from: all inputs and all text masked (R15). */
export const DEFAULT_MINIMUM: Readonly<LiveMinimum> = { maskInputs: true, maskText: true };

/** The site's minimum for the settings an adapter checks: the defaults, then `vendors.<id>.minimum`. */
export function minimumOf(checked: readonly LiveSettingName[], declared: unknown): LiveMinimum {
  const site = isRecord(declared) ? declared : {};
  const out: LiveMinimum = {};
  for (const name of checked) {
    const value = site[name] ?? DEFAULT_MINIMUM[name];
    if (value === true) out[name] = true;
  }
  return out;
}

/** The settings the minimum requires on that are off (false) or could not be read (null, missing). */
export function weakerThan(observed: LiveSettings, minimum: LiveMinimum): LiveSettingName[] {
  return (Object.keys(minimum) as LiveSettingName[]).filter(
    (name) => minimum[name] && observed[name] !== true,
  );
}

/** Validates `vendors.<id>.minimum`: an object of true or false for settings this adapter reads. */
export function checkMinimum(
  manifest: VendorManifest,
  settings: VendorSettings,
  errors: ConfigError[],
): void {
  const { minimum } = settings;
  const checked: readonly string[] = manifest.liveSettings?.checked ?? [];
  if (
    minimum !== undefined &&
    !(
      isRecord(minimum) &&
      !Array.isArray(minimum) &&
      Object.entries(minimum).every(([name, on]) => checked.includes(name) && typeof on === 'boolean')
    )
  )
    errors.push({
      path: `vendors.${manifest.id}.minimum`,
      message: `must be an object of true or false for ${checked.join(', ')}, the settings ${manifest.name} exposes`,
    });
}

/**
 * Records what the adapter read from the running vendor as a `settings` ledger entry, and refuses
 * the vendor when a setting the site's minimum requires is off or unreadable: holds its hosts again
 * (`context.hold`), calls its stop API, removes its DOM and purges its cookies and keys, without a
 * reload (the grant stands; the same settings would only be refused again). Returns whether it may run.
 */
export function verifyLive(adapter: VendorAdapter, context: AdapterContext, observed: LiveSettings): boolean {
  const m = adapter.manifest;
  const checked = m.liveSettings?.checked ?? [];
  const settings: Record<string, boolean | null> = {};
  for (const name of checked) settings[name] = observed[name] ?? null;
  const weaker = weakerThan(settings, minimumOf(checked, context.settings.minimum));
  const { consent } = context;
  consent.addLoad({
    kind: 'settings',
    vendor: m.id,
    host: '',
    via: 'adapter',
    t: Math.round(performance.now()),
    record: consent.get().record,
    settings,
    weaker,
  });
  if (!weaker.length) return true;
  console.error(
    `allparty: ${m.name} was stopped, its live privacy settings weaker than vendors.${m.id}.minimum: ${weaker
      .map((name) => `${name} is ${settings[name] === null ? 'unreadable' : 'off'}`)
      .join(', ')}`,
  );
  context.hold?.();
  adapter.stop(context);
  adapter.purge(context);
  return false;
}
