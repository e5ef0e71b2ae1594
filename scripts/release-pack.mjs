// `pnpm release:pack`: what a release ships, in .release/ —
//   - every package's tarball (`pnpm pack`: `workspace:*` becomes the sibling's version, so the
//     tarballs install together outside this workspace), each with README.md and LICENSE;
//   - allparty-embed-<version>.zip for site owners: the script-tag build (packages/embed/dist)
//     and manifest.json with each file's size and Subresource Integrity hash (sha384).
// Builds first, from clean dist/ folders; `--no-build` packs what is built (the test command
// builds once, then packs).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { zipSync } from 'fflate';

export const RELEASE_DIR = '.release';

/** The packages a release ships, as `packages/<dir>`: every one not marked private. */
export function releasedPackages() {
  return readdirSync('packages')
    .filter((dir) => existsSync(`packages/${dir}/package.json`))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(`packages/${dir}/package.json`, 'utf8')) }))
    .filter(({ manifest }) => !manifest.private);
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile())
    .sort();
}

/** The embed's files and their SRI hashes, zipped for a site owner to put on a site or CDN. */
function embedZip(version) {
  const dist = 'packages/embed/dist';
  const files = {};
  const manifest = { name: 'allparty', version, files: {} };
  for (const file of filesUnder(dist)) {
    const path = relative(dist, file).split('\\').join('/');
    const bytes = readFileSync(file);
    files[`allparty/${path}`] = bytes;
    manifest.files[path] = {
      size: bytes.length,
      integrity: `sha384-${createHash('sha384').update(bytes).digest('base64')}`,
    };
  }
  files['allparty/manifest.json'] = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
  // A fixed time: the same build zips to the same bytes.
  const zipped = zipSync(files, { level: 9, mtime: new Date('2026-01-01T00:00:00Z') });
  const out = join(RELEASE_DIR, `allparty-embed-${version}.zip`);
  writeFileSync(out, zipped);
  return out;
}

export function releasePack({ build = true } = {}) {
  const packages = releasedPackages();
  if (build) {
    // A clean build: rollup leaves files of earlier builds (old hashed chunks) in dist/.
    for (const { dir } of packages) rmSync(`packages/${dir}/dist`, { recursive: true, force: true });
    run('pnpm', ['run', 'build']);
  }
  for (const { dir } of packages)
    if (!existsSync(`packages/${dir}/dist`))
      throw new Error(`packages/${dir}/dist is missing: run \`pnpm run build\` first (or drop --no-build)`);
  rmSync(RELEASE_DIR, { recursive: true, force: true });
  mkdirSync(RELEASE_DIR);
  for (const { dir } of packages)
    run('pnpm', ['pack', '--pack-destination', `../../${RELEASE_DIR}`], {
      cwd: `packages/${dir}`,
      stdio: 'ignore',
    });
  const embed = packages.find(({ dir }) => dir === 'embed');
  const zip = embedZip(embed.manifest.version);
  return {
    tarballs: readdirSync(RELEASE_DIR)
      .filter((f) => f.endsWith('.tgz'))
      .sort(),
    zip,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { tarballs, zip } = releasePack({ build: !process.argv.includes('--no-build') });
  for (const file of [...tarballs.map((t) => join(RELEASE_DIR, t)), zip])
    console.log(`${file}  ${statSync(file).size.toLocaleString('en')} B`);
}
