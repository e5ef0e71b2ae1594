#!/usr/bin/env node
// Generates, from the vendor manifests in packages/vendors/src/adapters/*.ts:
//   packages/vendors/src/descriptors.generated.ts  the compact table the embed's main bundle imports
//   docs/vendors/<id>.md and docs/vendors/README.md
// Usage: node scripts/generate-vendors.mjs [--check]   (--check: exit 1 if any file is out of date)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

// Transpile the TypeScript manifests and renderers into one in-memory ESM module.
const bundle = await build({
  stdin: {
    contents:
      "export { manifests } from './packages/vendors/src/manifests.ts';\nexport { renderAll } from './packages/vendors/src/generate.ts';\n",
    resolveDir: root,
    loader: 'ts',
  },
  alias: { '@allparty/core': join(root, 'packages/core/src/index.ts') },
  define: { __DEV__: 'false', __EXPLAIN__: 'true' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  write: false,
  logLevel: 'error',
});
const code = bundle.outputFiles[0].text;
const { manifests, renderAll } = await import(
  `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`
);

const stale = [];
for (const [path, content] of Object.entries(renderAll(manifests))) {
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
