/**
 * Which adapters exist, and in what order, derived from the files in `src/adapters/`: the generator,
 * the build and the contract test all read it from here, so adding a vendor is adding its file.
 * Pure functions (the callers list the directory), free of imports, so `rollup.config.ts` can use them.
 */

/** The adapter ids among the file names of `src/adapters/`: each `.ts` file but tests, named by its id. */
export function adapterIdsOf(fileNames: readonly string[]): string[] {
  return fileNames
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -'.ts'.length))
    .sort();
}

/**
 * The order of the vendor table, the notices and the docs: the research catalog's (replay, chat,
 * analytics and advertising, as researched), then the adapters the catalog lacks, by id. The order
 * settles which of two vendors that declare the same host a request is attributed to when both or
 * neither are configured, so it must not change when a vendor is added.
 */
export function tableOrder(ids: readonly string[], catalogIds: readonly string[]): string[] {
  const known = new Set(ids);
  const researched = catalogIds.filter((id) => known.has(id));
  const inCatalog = new Set(researched);
  return [...researched, ...[...ids].filter((id) => !inCatalog.has(id)).sort()];
}
