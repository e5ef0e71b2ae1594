/**
 * One build for every package, driven by the table below.
 * - npm packages: ESM (`dist/*.js`) and bundled types (`dist/*.d.ts`); workspace siblings and
 *   dependencies stay external.
 * - the embed: a minified IIFE plus a readable debug twin (dev warnings on), everything inlined.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import type { Plugin, RollupOptions, WarningHandlerWithDefault } from 'rollup';
import { dts } from 'rollup-plugin-dts';
import esbuild from 'rollup-plugin-esbuild';

interface NpmPackage {
  kind: 'npm';
  dir: string;
  /** Output name (without .js) → source file, relative to the package. */
  entries: Record<string, string>;
  /** Target platform; node packages keep node: builtins external. @default "browser" */
  platform?: 'browser' | 'node';
  /** Entries that get a `#!/usr/bin/env node` line. */
  bins?: string[];
}

interface IifeBundle {
  kind: 'iife';
  dir: string;
  /** Output name (without .js) → source file. Each gets `NAME.js` (minified) and `NAME.debug.js`. */
  entries: Record<string, string>;
}

// The table. Add a row per package.
const packages: Array<NpmPackage | IifeBundle> = [
  { kind: 'npm', dir: 'core', entries: { index: 'src/index.ts' } },
  { kind: 'npm', dir: 'vendors', entries: { index: 'src/index.ts', ...adapterEntries() } },
  { kind: 'iife', dir: 'embed', entries: { allparty: 'src/index.ts' } },
];

function adapterEntries(): Record<string, string> {
  try {
    const ids: string[] = JSON.parse(readFileSync('packages/vendors/adapters.json', 'utf8'));
    return Object.fromEntries(ids.map((id) => [`adapters/${id}`, `src/adapters/${id}.ts`]));
  } catch {
    return {};
  }
}

const only = process.env.ALLPARTY_BUILD?.split(',');

function external(pkgDir: string, platform: 'browser' | 'node'): (id: string) => boolean {
  const manifest = JSON.parse(readFileSync(`packages/${pkgDir}/package.json`, 'utf8'));
  const deps = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  return (id) =>
    deps.some((d) => id === d || id.startsWith(`${d}/`)) ||
    (platform === 'node' && (builtins.has(id) || id.startsWith('node:')));
}

/** Replaces the build-time `__DEV__` constant: a literal for bundles, a NODE_ENV check for npm ESM. */
function devFlag(dev: boolean | 'runtime'): Plugin {
  const value =
    dev === 'runtime'
      ? "(typeof process !== 'undefined' && process.env.NODE_ENV !== 'production')"
      : String(dev);
  return {
    name: 'dev-flag',
    transform: (code) =>
      code.includes('__DEV__') ? { code: code.replace(/\b__DEV__\b/g, value), map: null } : null,
  };
}

function build(): RollupOptions[] {
  const out: RollupOptions[] = [];
  for (const pkg of packages) {
    if (only && !only.includes(pkg.dir)) continue;
    const root = `packages/${pkg.dir}`;
    const input = Object.fromEntries(
      Object.entries(pkg.entries).map(([name, file]) => [name, `${root}/${file}`]),
    );
    if (pkg.kind === 'npm') {
      const platform = pkg.platform ?? 'browser';
      const bins = new Set(pkg.bins ?? []);
      const shebang: Plugin = {
        name: 'shebang',
        renderChunk: (code, chunk) => (bins.has(chunk.name) ? `#!/usr/bin/env node\n${code}` : null),
      };
      out.push({
        input,
        external: external(pkg.dir, platform),
        plugins: [
          nodeResolve({ preferBuiltins: platform === 'node' }),
          esbuild({ target: platform === 'node' ? 'node20' : 'es2020' }),
          devFlag('runtime'),
          shebang,
        ],
        output: {
          dir: `${root}/dist`,
          format: 'es',
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
        },
        onwarn,
      });
      out.push({
        input,
        external: external(pkg.dir, platform),
        plugins: [dts({ tsconfig: 'tsconfig.base.json' })],
        output: { dir: `${root}/dist`, format: 'es', entryFileNames: '[name].d.ts' },
        onwarn,
      });
    } else {
      for (const [name, file] of Object.entries(pkg.entries)) {
        for (const debug of [false, true]) {
          out.push({
            input: `${root}/${file}`,
            plugins: [
              nodeResolve({ browser: true }),
              esbuild({ target: 'es2020', jsx: 'automatic', jsxImportSource: 'preact' }),
              devFlag(debug),
              ...(debug
                ? []
                : [
                    terser({
                      compress: { passes: 3, pure_getters: true },
                      mangle: { properties: { regex: /^_/ } },
                      format: { comments: false },
                    }),
                  ]),
            ],
            output: {
              file: `${root}/dist/${name}${debug ? '.debug' : ''}.js`,
              format: 'iife',
              name: undefined,
            },
            onwarn,
          });
        }
      }
    }
  }
  return out;
}

const onwarn: WarningHandlerWithDefault = (warning, warn) => {
  if (warning.code === 'CIRCULAR_DEPENDENCY') throw new Error(warning.message);
  if (warning.code === 'EMPTY_BUNDLE') return;
  warn(warning);
};

export default build();
