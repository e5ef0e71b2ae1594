// Our embed's gzip size beside the published browser bundles of vanilla-cookieconsent and
// klaro, measured from their npm packages in the same run.
import { existsSync } from 'node:fs';
import { gzipSize } from '../scripts/size.mjs';

const rows = [
  ['allparty embed, return visit (guard + core + host table)', 'packages/embed/dist/allparty.js'],
  ['allparty banner chunk (+ first visit only: preact, UI, CSS, en)', 'packages/embed/dist/allparty-banner.js'],
  ['vanilla-cookieconsent 3.1.0 JS (umd)', 'node_modules/vanilla-cookieconsent/dist/cookieconsent.umd.js'],
  ['vanilla-cookieconsent 3.1.0 CSS', 'node_modules/vanilla-cookieconsent/dist/cookieconsent.css'],
  ['klaro 0.7.22 (klaro.js, with CSS and translations)', 'node_modules/klaro/dist/klaro.js'],
  ['klaro 0.7.22 (no translations, no CSS)', 'node_modules/klaro/dist/klaro-no-translations-no-css.js'],
];
const ours = gzipSize(rows[0][1]);
console.log('gzip bytes (level 9), ratio = size / ours');
for (const [label, file] of rows) {
  if (!existsSync(file)) {
    console.log(`${label}: missing ${file}`);
    continue;
  }
  const size = gzipSize(file);
  console.log(`${label.padEnd(58)} ${String(size).padStart(7)}  ${(size / ours).toFixed(2)}x`);
}
if (existsSync(rows[1][1]))
  console.log(`${'allparty first visit (embed + banner chunk; goal 12 kB)'.padEnd(58)} ${String(ours + gzipSize(rows[1][1])).padStart(7)}`);
