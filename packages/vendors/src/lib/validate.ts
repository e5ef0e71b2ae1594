import type { ConfigError, VendorSettings } from '@allparty/core';
import type { SettingSpec, VendorManifest } from '../types';

/** Settings every vendor accepts, read by the core rather than the adapter. */
const CORE_SETTINGS = ['snippet', 'purposes'];

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
  const options = manifest.options ?? [];
  const known = new Set([
    ...CORE_SETTINGS,
    ...(manifest.configId ? [manifest.configId.setting] : []),
    ...options.map((o) => o.name),
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
