// What an npm user's app pays for @allparty/vendors: an app that imports `descriptors` and
// `loadAdapter` and loads three adapters, bundled as a user's bundler builds it for production
// (Rollup, which Vite's production build is made on: node resolution of the built packages and
// their `exports`, `process.env.NODE_ENV` set to "production", each chunk minified). Budgets are
// gzip -9 of what the app fetches eagerly (its entry chunk) and of each chunk `loadAdapter` fetches.
// Needs the built packages (`pnpm run build`); `node scripts/size-npm.mjs [ROOT]` prints the numbers
// for another checkout's build.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';

/** The three vendors the app loads: a replay, a chat and an analytics adapter. */
export const APP_VENDORS = ['hotjar', 'intercom', 'google-analytics-4'];

/** [label, part, gzip budget in bytes, note]. `part`: `eager`, `lazy` (each chunk) or `lazy-total`. */
export const NPM_BUDGETS = [
  [
    'npm app: descriptors + loadAdapter, eager (entry chunk)',
    'eager',
    4_000,
    'the vendor table and one import() per adapter; was 38,626 B when the index imported every adapter',
  ],
  ['npm app: each chunk loadAdapter fetches', 'lazy', 3_500, 'an adapter, or the helpers its adapters share'],
  [
    `npm app: everything loadAdapter fetches for ${APP_VENDORS.join(', ')}`,
    'lazy-total',
    10_500,
    'the three adapters and the helpers they share',
  ],
];

const APP = `import { descriptors, loadAdapter } from '@allparty/vendors';

console.log(descriptors.length);
for (const id of ${JSON.stringify(APP_VENDORS)})
  loadAdapter(id).then((adapter) => console.log(adapter?.manifest.name));
`;

/** A production define, as Vite's: `process.env.NODE_ENV` is "production". */
const production = {
  name: 'production',
  transform: (code) =>
    code.includes('process.env.NODE_ENV')
      ? { code: code.replaceAll('process.env.NODE_ENV', '"production"'), map: null }
      : null,
};

/**
 * Bundles the app against the built packages under `root` (a fresh app folder whose
 * node_modules link to them, as an install would) and returns its chunks with their gzip sizes.
 */
export async function bundleApp(root = process.cwd()) {
  const app = mkdtempSync(join(tmpdir(), 'allparty-size-app-'));
  let output;
  try {
    mkdirSync(join(app, 'node_modules/@allparty'), { recursive: true });
    for (const pkg of ['core', 'vendors'])
      symlinkSync(resolve(root, 'packages', pkg), join(app, 'node_modules/@allparty', pkg), 'dir');
    writeFileSync(join(app, 'main.js'), APP);
    const bundle = await rollup({
      input: join(app, 'main.js'),
      plugins: [nodeResolve({ browser: true }), production],
      onwarn(warning, warn) {
        if (warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning);
      },
    });
    ({ output } = await bundle.generate({
      format: 'es',
      chunkFileNames: '[name]-[hash].js',
      plugins: [terser({ format: { comments: false } })],
    }));
    await bundle.close();
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
  const chunks = output.filter((c) => c.type === 'chunk');
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  // What loading the app's vendors fetches: each one's chunk and the chunks it imports, transitively.
  const fetched = new Set();
  const visit = (name) => {
    if (fetched.has(name)) return;
    fetched.add(name);
    for (const next of byName.get(name)?.imports ?? []) visit(next);
  };
  for (const c of chunks)
    if (APP_VENDORS.some((id) => c.facadeModuleId?.endsWith(`/adapters/${id}.js`))) visit(c.fileName);
  return chunks.map((c) => ({
    name: c.fileName,
    entry: c.isEntry,
    forAppVendors: !c.isEntry && fetched.has(c.fileName),
    size: gzipSync(c.code, { level: 9 }).length,
  }));
}

/** The budget rows, in the shape of scripts/size.mjs's. */
export async function measureNpm(root = process.cwd()) {
  let chunks;
  try {
    chunks = await bundleApp(root);
  } catch (error) {
    return NPM_BUDGETS.map(([label, , budget, note]) => ({
      label,
      size: null,
      budget,
      note,
      ok: false,
      problem: `could not bundle the app (run pnpm run build): ${error.message}`,
    }));
  }
  const lazy = chunks.filter((c) => !c.entry);
  const rows = [];
  for (const [label, part, budget, note] of NPM_BUDGETS) {
    const sizes =
      part === 'eager'
        ? [['', chunks.filter((c) => c.entry).reduce((sum, c) => sum + c.size, 0)]]
        : part === 'lazy-total'
          ? [['', lazy.filter((c) => c.forAppVendors).reduce((sum, c) => sum + c.size, 0)]]
          : lazy.map((c) => [`: ${c.name}`, c.size]);
    for (const [suffix, size] of sizes)
      rows.push({ label: `${label}${suffix}`, size, budget, note, ok: size <= budget });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const chunks = await bundleApp(resolve(process.argv[2] ?? process.cwd()));
  const sum = (list) => list.reduce((total, c) => total + c.size, 0);
  for (const c of chunks.filter((c) => c.entry || c.forAppVendors))
    console.log(`${c.entry ? 'eager' : 'lazy '} ${c.name}: ${c.size} B gzip`);
  const lazy = chunks.filter((c) => !c.entry);
  console.log(`eager: ${sum(chunks.filter((c) => c.entry))} B gzip`);
  console.log(`lazy for ${APP_VENDORS.join(', ')}: ${sum(lazy.filter((c) => c.forAppVendors))} B gzip`);
  console.log(`lazy chunks: ${lazy.length}, largest ${Math.max(0, ...lazy.map((c) => c.size))} B gzip`);
}
