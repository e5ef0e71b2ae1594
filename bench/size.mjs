// Our embed's gzip size beside the published browser bundles of vanilla-cookieconsent and
// klaro, measured from their npm packages in the same run.
import { existsSync, readdirSync } from 'node:fs';
import { gzipSize } from '../scripts/size.mjs';

const rows = [
  ['allparty embed, return visit (guard + core + host table)', 'packages/embed/dist/allparty.js'],
  [
    'allparty banner chunk (+ first visit only: preact, UI, CSS, en)',
    'packages/embed/dist/allparty-banner.js',
  ],
  [
    'allparty record queue sender (after a decision, or records waiting)',
    'packages/embed/dist/allparty-queue.js',
  ],
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
if (existsSync(rows[1][1])) {
  const firstVisit = ours + gzipSize(rows[1][1]);
  console.log(
    `${'allparty first visit (embed + banner chunk; goal 12 kB)'.padEnd(58)} ${String(firstVisit).padStart(7)}`,
  );
  if (existsSync(rows[2][1]))
    console.log(
      `${'  + the queue sender, once the visitor has decided'.padEnd(58)} ${String(firstVisit + gzipSize(rows[2][1])).padStart(7)}`,
    );
}

// What a first visit really fetches for the getting-started config (three vendors): the embed,
// the banner chunk and each vendor's notice texts, which the embed writes into the stream.
const example = ['hotjar', 'intercom', 'google-analytics-4'];
const noticeFiles = example.map((id) => `packages/embed/dist/notices/${id}.js`);
if (existsSync(rows[1][1]) && noticeFiles.every((f) => existsSync(f)))
  console.log(
    `${`allparty first visit, ${example.length} vendors (+ their notices/*.js)`.padEnd(58)} ${String(
      noticeFiles.reduce((sum, f) => sum + gzipSize(f), ours + gzipSize(rows[1][1])),
    ).padStart(7)}`,
  );

// Adapter chunks (each budgeted in scripts/size.mjs): the largest and the median, against the embed;
// the helpers they share (vendors/lib.js) come once, with the first adapter a page loads.
const chunksDir = 'packages/embed/dist/vendors';
if (existsSync(chunksDir)) {
  const chunks = readdirSync(chunksDir)
    .filter((f) => f.endsWith('.js') && f !== 'lib.js')
    .map((f) => ({ id: f.slice(0, -3), size: gzipSize(`${chunksDir}/${f}`) }))
    .sort((a, b) => a.size - b.size);
  const row = (label, size) =>
    console.log(`${label.padEnd(58)} ${String(size).padStart(7)}  ${(size / ours).toFixed(2)}x`);
  if (chunks.length) {
    const n = chunks.length;
    const largest = chunks[n - 1];
    const median =
      n % 2 ? chunks[(n - 1) / 2].size : Math.round((chunks[n / 2 - 1].size + chunks[n / 2].size) / 2);
    row(`vendor adapter chunk, largest of ${n} (${largest.id})`, largest.size);
    row(`vendor adapter chunk, median of ${n}`, median);
  }
  if (existsSync(`${chunksDir}/lib.js`))
    row('vendor helpers shared by adapters (lib.js, once)', gzipSize(`${chunksDir}/lib.js`));
}
