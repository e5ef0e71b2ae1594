// `pnpm bench`: runs every benchmark (bench/*.mjs and packages/*/bench/*.mjs) one after
// another. Each prints ratios against a baseline measured in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const files = [
  ...readdirSync('bench')
    .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
    .map((f) => `bench/${f}`),
  ...readdirSync('packages').flatMap((p) =>
    existsSync(`packages/${p}/bench`)
      ? readdirSync(`packages/${p}/bench`)
          .filter((f) => f.endsWith('.mjs'))
          .map((f) => `packages/${p}/bench/${f}`)
      : [],
  ),
];
const filter = process.argv[2];
let failed = 0;
for (const file of files.filter((f) => !filter || f.includes(filter))) {
  console.log(`\n### ${file}`);
  const r = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
