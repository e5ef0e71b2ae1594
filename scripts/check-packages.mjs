// Checks what `pnpm release:pack` made, as a stranger installing it would meet it: each tarball
// carries README.md and LICENSE, names real versions (no `workspace:`), passes publint (exports
// maps, files) and @arethetypeswrong/cli (types resolve for ESM consumers under node16 and
// bundler resolution; ESM-only packages, so CommonJS resolutions are out of scope); the embed zip's
// manifest matches its files. All offline. Prints one line per check; returns the failures.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, unzipSync } from 'fflate';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { RELEASE_DIR } from './release-pack.mjs';

/** The files of a .tgz: path (without the leading `package/`) → bytes. */
function untar(bytes) {
  const tar = gunzipSync(bytes);
  const files = new Map();
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    const name = new TextDecoder().decode(header.subarray(0, 100)).replace(/\0.*$/s, '');
    if (!name) break;
    const prefix = new TextDecoder().decode(header.subarray(345, 500)).replace(/\0.*$/s, '');
    const size = Number.parseInt(new TextDecoder().decode(header.subarray(124, 136)).trim() || '0', 8);
    const path = (prefix ? `${prefix}/${name}` : name).replace(/^package\//, '');
    if (header[156] === 48 || header[156] === 0) files.set(path, tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

export async function checkPackages({ log = console.log } = {}) {
  const results = [];
  const check = (label, problems) => {
    results.push({ label, problems });
    log(`${problems.length ? 'FAIL' : 'ok  '} ${label}${problems.map((p) => `\n       ${p}`).join('')}`);
  };
  const tarballs = readdirSync(RELEASE_DIR).filter((f) => f.endsWith('.tgz'));
  if (tarballs.length === 0) check('release tarballs exist', [`none in ${RELEASE_DIR}/`]);
  for (const name of tarballs) {
    const file = join(RELEASE_DIR, name);
    const bytes = readFileSync(file);
    const files = untar(bytes);
    const manifest = JSON.parse(new TextDecoder().decode(files.get('package.json')));
    const contents = [];
    for (const required of ['README.md', 'LICENSE', 'package.json'])
      if (!files.has(required)) contents.push(`no ${required} in the tarball`);
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'])
      for (const [dep, range] of Object.entries(manifest[field] ?? {}))
        if (String(range).startsWith('workspace:')) contents.push(`${field}.${dep} is "${range}"`);
    // A hashed chunk (`chunks/x-AbC123de.js`, `x-AbC123de.d.ts`) nothing refers to is left over from an
    // earlier build: rollup does not empty dist/.
    const texts = [...files]
      .filter(([path]) => /\.(js|ts)$/.test(path))
      .map(([path, bytes]) => [path, new TextDecoder().decode(bytes)]);
    for (const path of files.keys()) {
      const stem = /^dist\/(?:.*\/)?([\w.]+-[\w-]{8})\.(?:js|d\.ts)$/.exec(path)?.[1];
      if (stem && !texts.some(([other, text]) => other !== path && text.includes(stem)))
        contents.push(
          `${path} is referred to by nothing (a stale build? \`pnpm release:pack\` builds clean)`,
        );
    }
    check(`${name}: README, LICENSE, real versions, no stale chunks`, contents);

    const linted = await publint({
      pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) },
      level: 'suggestion',
      strict: true,
    });
    check(
      `${name}: publint`,
      linted.messages.map((m) => `${m.type}: ${formatMessage(m, linted.pkg)}`),
    );

    const attw = spawnSync('node_modules/.bin/attw', [file, '--profile', 'esm-only', '--format', 'ascii'], {
      encoding: 'utf8',
    });
    check(
      `${name}: @arethetypeswrong/cli (esm-only)`,
      attw.status === 0 ? [] : [`exit ${attw.status}:\n${attw.stdout}${attw.stderr}`],
    );
  }

  // The CLIs run from the workspace as CONTRIBUTING and the docs say (`pnpm exec allparty-audit`).
  for (const cli of ['allparty-audit', 'allparty-server', 'allparty-scan']) {
    const r = spawnSync('pnpm', ['exec', cli, '--help'], { encoding: 'utf8' });
    check(
      `pnpm exec ${cli} --help, in the workspace`,
      r.status === 0 && `${r.stdout}${r.stderr}`.includes(cli)
        ? []
        : [`exit ${r.status}: ${r.stdout}${r.stderr}`],
    );
  }

  const zips = readdirSync(RELEASE_DIR).filter((f) => /^allparty-embed-.*\.zip$/.test(f));
  for (const name of zips) {
    const entries = unzipSync(readFileSync(join(RELEASE_DIR, name)));
    const manifest = JSON.parse(new TextDecoder().decode(entries['allparty/manifest.json']));
    const problems = [];
    if (!manifest.files['allparty.js']) problems.push('no allparty.js');
    for (const [path, { integrity, size }] of Object.entries(manifest.files)) {
      const bytes = entries[`allparty/${path}`];
      if (!bytes) problems.push(`${path} is in the manifest, not in the zip`);
      else if (
        bytes.length !== size ||
        integrity !== `sha384-${createHash('sha384').update(bytes).digest('base64')}`
      )
        problems.push(`${path}: size or integrity differs from the manifest`);
    }
    const listed = Object.keys(manifest.files).length + 1;
    if (Object.keys(entries).length !== listed)
      problems.push('the zip holds files the manifest does not list');
    check(`${name}: every file listed with its sha384`, problems);
  }
  if (zips.length !== 1) check('one embed zip', [`found ${zips.length}`]);
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const failed = (await checkPackages()).filter((r) => r.problems.length).length;
  process.exitCode = failed ? 1 : 0;
}
