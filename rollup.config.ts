/**
 * One build for every package, driven by the table below.
 * - npm packages: ESM (`dist/*.js`) and bundled types (`dist/*.d.ts`); workspace siblings and
 *   dependencies stay external.
 * - the embed: a minified IIFE plus a readable debug twin (dev warnings on), everything inlined.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve as resolvePath } from 'node:path';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import type { Plugin, RollupOptions, WarningHandlerWithDefault } from 'rollup';
import { dts } from 'rollup-plugin-dts';
import esbuild from 'rollup-plugin-esbuild';
import { LANGUAGES } from './packages/banner/src/languages';
import {
  adapterChunk as adapterChunkName,
  BANNER_CHUNK,
  bannerTextsChunk,
  CHUNK_GLOBALS,
  CONFIG_ERRORS_CHUNK,
  chunkFile,
  noticeChunk as noticeChunkName,
  QUEUE_CHUNK,
  VENDOR_LIB_CHUNK,
} from './packages/core/src/chunks';
import { adapterIdsOf } from './packages/vendors/src/adapter-files';
import { markedClasses } from './scripts/marked-classes';

interface NpmPackage {
  kind: 'npm';
  dir: string;
  /** Output name (without .js) → source file, relative to the package. */
  entries: Record<string, string>;
  /** Target platform; node packages keep node: builtins external. @default "browser" */
  platform?: 'browser' | 'node';
  /** Entries that get a `#!/usr/bin/env node` line. */
  bins?: string[];
  /** A directive every output file starts with (`'use client'` for React components). */
  directive?: string;
}

interface IifeBundle {
  kind: 'iife';
  dir: string;
  /** Output name (without .js) → source file. Each gets `NAME.js` (minified) and `NAME.debug.js`. */
  entries: Record<string, string>;
  /**
   * Also build one lazy chunk per vendor adapter, `dist/vendors/<id>.js`, that registers it, and
   * one per vendor with its notice texts, `dist/notices/<id>.js`.
   */
  adapterChunks?: boolean;
  /** Workspace packages whose modules have no side effects (tree-shaken when unused). */
  pure?: string[];
  /** Where the files go. @default the package's dist */
  outDir?: string;
  /**
   * Entries whose minified build names a broken config's fields only (`__EXPLAIN__` off): the
   * explanations come from the lazy `allparty-config-errors.js`, loaded only for a broken config.
   */
  explainLazily?: string[];
}

// The table. Add a row per package.
const packages: Array<NpmPackage | IifeBundle> = [
  { kind: 'npm', dir: 'core', entries: { index: 'src/index.ts' } },
  { kind: 'npm', dir: 'vendors', entries: { index: 'src/index.ts', ...adapterEntries() } },
  {
    kind: 'npm',
    dir: 'banner',
    entries: { index: 'src/index.ts', launcher: 'src/launcher.ts', texts: 'src/texts.ts' },
  },
  // 'use client': the components hold state, so React Server Components (Next's app router) render
  // them on the client; a server component can import them directly.
  { kind: 'npm', dir: 'react', entries: { index: 'src/index.ts' }, directive: "'use client';" },
  // The lazy UI chunk and its per-language texts sit beside allparty.js, which loads them.
  // The chunk takes a few constants from the core: the rest of it (the guard's tables) stays out.
  { kind: 'iife', dir: 'banner', outDir: 'packages/embed/dist', entries: bannerEntries(), pure: ['core'] },
  {
    kind: 'iife',
    dir: 'embed',
    entries: {
      allparty: 'src/index.ts',
      [CONFIG_ERRORS_CHUNK]: 'src/config-errors.ts',
      [QUEUE_CHUNK]: 'src/queue-chunk.ts',
    },
    adapterChunks: true,
    pure: ['core', 'vendors', 'banner'],
    explainLazily: ['allparty'],
  },
  { kind: 'npm', dir: 'ledger', entries: { index: 'src/index.ts' }, platform: 'node' },
  {
    kind: 'npm',
    dir: 'server',
    entries: { index: 'src/index.ts', cli: 'src/cli.ts' },
    platform: 'node',
    bins: ['cli'],
  },
  {
    kind: 'npm',
    dir: 'scan',
    entries: { index: 'src/index.ts', cli: 'src/cli.ts' },
    platform: 'node',
    bins: ['cli'],
  },
  {
    kind: 'npm',
    dir: 'audit',
    entries: { index: 'src/index.ts', cli: 'src/cli.ts' },
    platform: 'node',
    bins: ['cli'],
  },
];

/** Every vendor adapter: the files in packages/vendors/src/adapters/ (adding a file adds its chunks). */
function adapterIds(): string[] {
  return adapterIdsOf(readdirSync('packages/vendors/src/adapters'));
}

function adapterEntries(): Record<string, string> {
  return Object.fromEntries(adapterIds().map((id) => [`adapters/${id}`, `src/adapters/${id}.ts`]));
}

/** Bundles resolve workspace packages to their sources, so a fresh clone builds in one pass. */
function workspaceSources(): Plugin {
  return {
    name: 'workspace-sources',
    resolveId(id) {
      const m = /^@allparty\/([a-z]+)(?:\/([a-z0-9-]+))?$/.exec(id);
      if (!m) return null;
      const [, pkg, sub] = m;
      return sub
        ? `${process.cwd()}/packages/${pkg}/src/adapters/${sub}.ts`
        : `${process.cwd()}/packages/${pkg}/src/index.ts`;
    },
  };
}

/** The third-party-web dataset (MIT) as tracker domain → [entity, category], for debug-build hints. */
function trackerHints(): Plugin {
  const ID = 'virtual:tracker-hints';
  const KEEP = new Set([
    'ad',
    'analytics',
    'social',
    'customer-success',
    'tag-manager',
    'video',
    'marketing',
  ]);
  return {
    name: 'tracker-hints',
    resolveId: (id) => (id === ID ? `\0${ID}` : null),
    load(id) {
      if (id !== `\0${ID}`) return null;
      const entities: Array<{ name: string; category: string; domains: string[] }> = JSON.parse(
        readFileSync('node_modules/third-party-web/dist/entities.json', 'utf8'),
      );
      const map: Record<string, [string, string]> = {};
      for (const e of entities)
        if (KEEP.has(e.category))
          for (const d of e.domains) map[d.replace(/^\*\./, '')] = [e.name, e.category];
      return `export default ${JSON.stringify(map)};`;
    },
  };
}

/**
 * Virtual entries for the lazy vendor code: one chunk per adapter that registers it for the
 * embed's runner, and `vendors/lib.js`, the helpers every adapter shares, loaded once before
 * the first adapter (each adapter chunk reads them from `window.allpartyVendorLib`).
 */
function adapterChunk(): Plugin {
  const PREFIX = 'adapter-chunk:';
  return {
    name: 'adapter-chunk',
    resolveId: (id) => (id.startsWith(PREFIX) ? `\0${id}` : null),
    load(id) {
      if (!id.startsWith(`\0${PREFIX}`)) return null;
      const vendor = id.slice(PREFIX.length + 1);
      if (vendor === VENDOR_LIB_CHUNK) {
        const mods = vendorLibModules();
        return `${mods.map((m) => `import * as ${m} from '${VENDOR_LIB}/${m}.ts';`).join('\n')}\nwindow.${CHUNK_GLOBALS.vendorLib} = { ${mods.join(', ')} };`;
      }
      const adapters = `window.${CHUNK_GLOBALS.adapters}`;
      return `import { adapter } from '@allparty/vendors/${vendor}';\n(${adapters} = ${adapters} || {})[${JSON.stringify(vendor)}] = adapter;`;
    },
  };
}

/**
 * Virtual entries for the notice texts: one chunk per vendor, `notices/<id>.js`, that registers
 * what the banner says about it (from `notices.generated.json`), so a first visit fetches these
 * texts instead of the adapters' code and their shared helpers.
 */
function noticeChunk(): Plugin {
  const PREFIX = 'notice-chunk:';
  return {
    name: 'notice-chunk',
    resolveId: (id) => (id.startsWith(PREFIX) ? `\0${id}` : null),
    load(id) {
      if (!id.startsWith(`\0${PREFIX}`)) return null;
      const vendor = id.slice(PREFIX.length + 1);
      const notices = JSON.parse(readFileSync('packages/vendors/src/notices.generated.json', 'utf8'));
      const registry = `window.${CHUNK_GLOBALS.notices}`;
      return `(${registry} = ${registry} || {})[${JSON.stringify(vendor)}] = ${JSON.stringify(notices[vendor])};`;
    },
  };
}

/** Where the UI's CSS class names are written marked (`$card$`): see scripts/marked-classes.ts. */
const UI_SOURCES = ['packages/banner/src'];

/** A property private to one bundle, renamed by the minifier: `$readableName$`. */
const MARKED_PROPERTY = /^\$[A-Za-z][A-Za-z0-9]*\$$/;

const VENDOR_LIB = `${process.cwd()}/packages/vendors/src/lib`;

/** The shared adapter helpers: every module in packages/vendors/src/lib except tests. */
function vendorLibModules(): string[] {
  return readdirSync(VENDOR_LIB)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3));
}

/** In an adapter chunk, an import of a shared helper module becomes a global read. */
function libModule(source: string, importer: string | undefined): string | null {
  if (!importer || !source.startsWith('.')) return null;
  const abs = resolvePath(dirname(importer), source).replace(/\.ts$/, '');
  return dirname(abs) === VENDOR_LIB ? abs.slice(VENDOR_LIB.length + 1) : null;
}

function bannerEntries(): Record<string, string> {
  const entries: Record<string, string> = { [BANNER_CHUNK]: 'src/global.ts' };
  for (const l of LANGUAGES) if (l !== 'en') entries[bannerTextsChunk(l)] = `src/i18n/${l}.global.ts`;
  return entries;
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

/**
 * Replaces the build-time constants: `__DEV__` (a literal for bundles, a NODE_ENV check for npm
 * ESM) and `__EXPLAIN__` (whether config errors carry their explanations; see globals.d.ts).
 */
function devFlag(dev: boolean | 'runtime', explain = true): Plugin {
  const value =
    dev === 'runtime'
      ? "(typeof process !== 'undefined' && process.env.NODE_ENV !== 'production')"
      : String(dev);
  return {
    name: 'dev-flag',
    transform: (code) =>
      /\b__(DEV|EXPLAIN)__\b/.test(code)
        ? {
            code: code.replace(/\b__DEV__\b/g, value).replace(/\b__EXPLAIN__\b/g, String(explain)),
            map: null,
          }
        : null,
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
      // Rollup never empties dist/: a hashed chunk of an earlier build would stay and ship in the
      // tarball. The npm outputs are all this config writes there, so start each from empty.
      rmSync(`${root}/dist`, { recursive: true, force: true });
      const platform = pkg.platform ?? 'browser';
      const bins = new Set(pkg.bins ?? []);
      const shebang: Plugin = {
        name: 'shebang',
        renderChunk: (code, chunk) => (bins.has(chunk.name) ? `#!/usr/bin/env node\n${code}` : null),
      };
      const directive = pkg.directive;
      out.push({
        input,
        external: external(pkg.dir, platform),
        plugins: [
          nodeResolve({ preferBuiltins: platform === 'node' }),
          esbuild({ target: platform === 'node' ? 'node20' : 'es2020' }),
          markedClasses({ dirs: UI_SOURCES, shorten: false }),
          devFlag('runtime'),
          shebang,
        ],
        output: {
          dir: `${root}/dist`,
          format: 'es',
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
          ...(directive ? { banner: directive } : {}),
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
      const pure = pkg.pure ?? [];
      const entries = Object.entries(pkg.entries).map(([name, file]): [string, string] => [
        name,
        `${root}/${file}`,
      ]);
      if (pkg.adapterChunks) {
        entries.push([VENDOR_LIB_CHUNK, `adapter-chunk:${VENDOR_LIB_CHUNK}`]);
        for (const id of adapterIds()) entries.push([adapterChunkName(id), `adapter-chunk:${id}`]);
        for (const id of adapterIds()) entries.push([noticeChunkName(id), `notice-chunk:${id}`]);
      }
      for (const [name, file] of entries) {
        // Adapter and notice chunks get no debug twin: the readable twin is for the main bundle.
        const perVendor = file.startsWith('adapter-chunk:') || file.startsWith('notice-chunk:');
        for (const debug of perVendor ? [false] : [false, true]) {
          const sharesLib = file.startsWith('adapter-chunk:') && name !== VENDOR_LIB_CHUNK;
          out.push({
            input: file,
            ...(sharesLib
              ? {
                  external: (source: string, importer: string | undefined) =>
                    libModule(source, importer) !== null,
                }
              : {}),
            // Bundles resolve workspace packages to their sources, where `sideEffects: false` is not
            // seen: say it here, or the embed would carry every adapter the vendor index imports.
            treeshake: { moduleSideEffects: (id) => !pure.some((p) => id.includes(`/packages/${p}/src/`)) },
            plugins: [
              workspaceSources(),
              trackerHints(),
              adapterChunk(),
              noticeChunk(),
              nodeResolve({ browser: true }),
              esbuild({ target: 'es2020', jsx: 'automatic', jsxImportSource: 'preact' }),
              markedClasses({ dirs: UI_SOURCES, shorten: !debug }),
              devFlag(debug, debug || !pkg.explainLazily?.includes(name)),
              ...(debug
                ? []
                : [
                    terser({
                      compress: { passes: 3, pure_getters: true },
                      // Source keeps readable names; a property marked `$name$` is private to the
                      // bundle it is in and shortened here (partytown's convention). It must never
                      // be read from another bundle (a lazy chunk, an adapter chunk, a debug twin).
                      mangle: { properties: { regex: MARKED_PROPERTY } },
                      format: { comments: false },
                    }),
                  ]),
            ],
            output: {
              file: `${pkg.outDir ?? `${root}/dist`}/${chunkFile(name, debug)}`,
              format: 'iife',
              name: undefined,
              ...(sharesLib
                ? {
                    globals: (id: string) =>
                      `${CHUNK_GLOBALS.vendorLib}.${id.slice(id.lastIndexOf('/') + 1).replace(/\.ts$/, '')}`,
                  }
                : {}),
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
