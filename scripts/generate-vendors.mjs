#!/usr/bin/env node
// Generates, from the adapter files in packages/vendors/src/adapters/ (the list of adapters is the
// list of those files; see packages/vendors/src/adapter-files.ts):
//   packages/vendors/src/descriptors.generated.ts  the compact table the embed's main bundle imports
//   packages/vendors/src/loaders.generated.ts      one static import() per adapter, for loadAdapter(id)
//   packages/vendors/src/manifests.generated.ts    every manifest as data, apart from the adapters' code
//   packages/vendors/src/notices.generated.json    what the banner says of each vendor
//   docs/vendors/<id>.md and docs/vendors/README.md
// Usage: node scripts/generate-vendors.mjs [--check]   (--check: exit 1 if any file is out of date)
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const src = 'packages/vendors/src';

/** Transpiles TypeScript source (with the workspace's core) into a module loaded in this process. */
async function load(contents) {
  const bundle = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    alias: { '@allparty/core': join(root, 'packages/core/src/index.ts') },
    define: { __DEV__: 'false', __EXPLAIN__: 'true' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'error',
  });
  const code = bundle.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

const { adapterIdsOf, tableOrder, renderAll, CATALOG_IDS } = await load(
  `export { adapterIdsOf, tableOrder } from './${src}/adapter-files.ts';\nexport { renderAll, CATALOG_IDS } from './${src}/generate.ts';\n`,
);
const ids = tableOrder(adapterIdsOf(readdirSync(join(root, src, 'adapters'))), CATALOG_IDS);
const adapters = await load(
  ids.map((id, i) => `export { manifest as m${i} } from './${src}/adapters/${id}.ts';`).join('\n'),
);
const manifests = ids.map((_, i) => adapters[`m${i}`]);

const files = renderAll(manifests);
const stale = [];
// A docs page whose adapter is gone is out of date too.
for (const page of readdirSync(join(root, 'docs/vendors'))) {
  const path = `docs/vendors/${page}`;
  if (path in files) continue;
  stale.push(path);
  if (!check) rmSync(join(root, path));
}
for (const [path, content] of Object.entries(files)) {
  const file = join(root, path);
  let current = null;
  try {
    current = readFileSync(file, 'utf8');
  } catch {}
  if (current === content) continue;
  stale.push(path);
  if (!check) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

if (check && stale.length) {
  console.error(`Out of date (run \`pnpm run generate\`):\n${stale.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  stale.length
    ? `Wrote ${stale.length} file(s) for ${manifests.length} vendors.`
    : `Up to date (${manifests.length} vendors).`,
);
