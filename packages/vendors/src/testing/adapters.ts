/**
 * Every adapter, loaded from its own file (the source the generated files are made from), keyed by
 * id in the table's order. Tests only: the package itself reaches adapters by `loadAdapter(id)`.
 */
import { ADAPTER_IDS, loadAdapter } from '../lazy';
import type { VendorAdapter, VendorManifest } from '../types';

const loaded = await Promise.all(
  ADAPTER_IDS.map(async (id): Promise<[string, VendorAdapter]> => {
    const adapter = await loadAdapter(id);
    if (!adapter) throw new Error(`no adapter "${id}"`);
    return [id, adapter];
  }),
);

export const adapters: Readonly<Record<string, VendorAdapter>> = Object.fromEntries(loaded);

/** The manifests as the adapter files declare them, in the table's order. */
export const sourceManifests: readonly VendorManifest[] = loaded.map(([, a]) => a.manifest);
