import { loaders } from './loaders.generated';
import type { VendorAdapter } from './types';

/** Ids of every adapter this package ships, in the table's order. */
export const ADAPTER_IDS: readonly string[] = Object.keys(loaders);

/**
 * Loads one adapter on demand (its own chunk in bundler builds, so a page pays only for the
 * vendors it loads), or resolves to undefined for an unknown id.
 */
export async function loadAdapter(id: string): Promise<VendorAdapter | undefined> {
  const load = Object.hasOwn(loaders, id) ? loaders[id] : undefined;
  return load ? (await load()).adapter : undefined;
}
