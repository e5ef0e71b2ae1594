import type { ConfigError, VendorSettings } from '@allparty/core';
import type { SettingSpec, VendorManifest } from '../types';

/** Settings every vendor accepts, read by the core rather than the adapter. */
const CORE_SETTINGS = ['snippet', 'purposes', 'hosts'];

/** One Subresource Integrity hash, base64 of the exact digest length (a truncated paste fails). */
const SRI_HASH = '(sha256-[A-Za-z0-9+/]{43}=|sha384-[A-Za-z0-9+/]{64}|sha512-[A-Za-z0-9+/]{86}==)';

/**
 * R32: `integrity`, which every adapter that loads a script accepts. The script is then loaded with
 * `integrity` and `crossorigin="anonymous"`, and the browser refuses to run it if it differs.
 */
export const INTEGRITY_SETTING: SettingSpec = {
  name: 'integrity',
  description: 'Subresource Integrity hash of the vendor script',
  required: false,
  pattern: `^${SRI_HASH}( ${SRI_HASH})*$`,
  // The shape only (the vendor publishes the real value): 64 base64 characters after "sha384-".
  example: `sha384-${'0'.repeat(60)}abcd`,
};

/** R32: `src`, a copy of the vendor script the site serves itself, where the vendor supports that. */
export const SRC_SETTING: SettingSpec = {
  name: 'src',
  description: 'URL of the site’s own copy of the vendor script',
  required: false,
  // A path right after the host (no `user@host` trick); no backslash (browsers read "/\" as "//").
  pattern: '^(https://[a-z0-9.-]+(:[0-9]{1,5})?/|/(?![/\\\\]))[^\\s"\'<>\\\\]*$',
  example: '/vendor/script.js',
};

/** A manifest's own options plus the script ones it accepts (`integrity`, and `src` where it self-hosts). */
export function settingSpecs(manifest: VendorManifest): readonly SettingSpec[] {
  const specs = [...(manifest.options ?? [])];
  if (manifest.pinning) specs.push(INTEGRITY_SETTING);
  if (manifest.pinning?.selfHost) specs.push(SRC_SETTING);
  return specs;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function checkSetting(spec: SettingSpec, value: unknown, path: string, errors: ConfigError[]): void {
  if (spec.type === 'boolean') {
    if (typeof value !== 'boolean')
      errors.push({ path, message: `must be true or false, got ${describe(value)}` });
    return;
  }
  if (typeof value !== 'string') {
    errors.push({
      path,
      message: `must be a string like ${JSON.stringify(spec.example)}, got ${describe(value)}`,
    });
    return;
  }
  if (spec.values && !spec.values.includes(value))
    errors.push({
      path,
      message: `must be one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(value)}`,
    });
  else if (spec.pattern && !new RegExp(spec.pattern).test(value))
    errors.push({
      path,
      message: `${describe(value)} is not a valid ${spec.description} (expected something like ${JSON.stringify(spec.example)})`,
    });
}

/**
 * Checks a vendor's settings against its manifest: the site id's format, each option's type and
 * format, and unknown keys (a misspelled setting fails closed rather than being ignored).
 */
export function validateSettings(manifest: VendorManifest, settings: VendorSettings): ConfigError[] {
  const base = `vendors.${manifest.id}`;
  const errors: ConfigError[] = [];
  const options = settingSpecs(manifest);
  const known = new Set([
    ...CORE_SETTINGS,
    ...(manifest.configId ? [manifest.configId.setting] : []),
    ...options.map((o) => o.name),
    // R16: a minimum only where the adapter can read the vendor's live settings (checked by the adapter).
    ...(manifest.liveSettings?.checked.length ? ['minimum'] : []),
  ]);
  for (const key of Object.keys(settings))
    if (!known.has(key))
      errors.push({
        path: `${base}.${key}`,
        message: `unknown setting for ${manifest.name} (it accepts ${[...known].map((k) => `"${k}"`).join(', ')})`,
      });
  // A page that carries the vendor's own snippet needs no id from us; if one is given, it must still be right.
  const snippet = settings.snippet === true;
  if (manifest.configId) {
    const { setting, label, pattern, example } = manifest.configId;
    const value = settings[setting];
    if (value === undefined) {
      if (!snippet)
        errors.push({
          path: `${base}.${setting}`,
          message: `is required: the ${manifest.name} ${label}, like ${JSON.stringify(example)}`,
        });
    } else
      checkSetting(
        { name: setting, description: `${manifest.name} ${label}`, required: true, pattern, example },
        value,
        `${base}.${setting}`,
        errors,
      );
  }
  for (const option of options) {
    const value = settings[option.name];
    if (value === undefined) {
      if (option.required && !snippet)
        errors.push({
          path: `${base}.${option.name}`,
          message: `is required: the ${option.description}, like ${JSON.stringify(option.example)}`,
        });
    } else checkSetting(option, value, `${base}.${option.name}`, errors);
  }
  return errors;
}
