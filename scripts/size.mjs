// Size budgets over every public artifact, in gzip bytes. A budget over its limit fails
// `pnpm test`; the README's quoted sizes come from this table (`pnpm run size`).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { measureNpm } from './size-npm.mjs';

/** [label, file or directory, gzip budget in bytes, note]. A directory: each .js in it. */
export const BUDGETS = [
  [
    'embed (guard + core + vendor host table), minified',
    'packages/embed/dist/allparty.js',
    28_700,
    'measured 28,587 B (one config table, the consent rules in core, the split createConsent and main: -8 B over the session); 28,591 B before: the guard paths closed after an outside QA pass (URLs read once, tags read as the HTML tokenizer does, frame documents from srcdoc/data:/blob: with a policy, base, SVG, Audio, WebSocketStream, Typed OM, split document.write, inline module imports) added ~2.5 kB, the one-click withdrawal and the launcher kept across dialogs ~0.35 kB; before them, the per-vendor setting rules (D4) ~1.3 kB, set() checks, the GPC lock and the kept load ledger ~0.45 kB, workers, fetchLater, WebTransport and worklets ~1.9 kB and CSS ~0.8 kB since 21,661 B; the return-visit goal is 5 kB — not met, see README "Sizes"',
  ],
  [
    'record queue sender (allparty-queue.js), after a decision or with records waiting',
    'packages/embed/dist/allparty-queue.js',
    1_710,
    'the embed stores each record at once; this chunk sends them to the log',
  ],
  [
    'config explanations (allparty-config-errors.js), for a broken config only',
    'packages/embed/dist/allparty-config-errors.js',
    3_300,
    'measured 3,096 B (the config table; 3,244 B with the per-vendor setting checks, D4); the embed fails closed and names the fields without it',
  ],
  [
    'vendor helpers every adapter shares (vendors/lib.js, loaded once)',
    'packages/embed/dist/vendors/lib.js',
    4_600,
    'loaded with the first adapter',
  ],
  [
    'each vendor adapter chunk',
    'packages/embed/dist/vendors',
    2_500,
    'per adapter, without the shared helpers',
  ],
  [
    "each vendor's notice texts (notices/<id>.js), first visit only",
    'packages/embed/dist/notices',
    690,
    'per configured vendor; written into the stream with the banner chunk',
  ],
  [
    'banner chunk (preact + UI + CSS + English), first visit only',
    'packages/embed/dist/allparty-banner.js',
    15_050,
    'measured 15,011 B: the structure branch (14,801 B) and the vendors branch (14,741 B: each vendor’s own privacy policy linked, and "as its privacy policy says" where the research did not establish a fact, ~0.2 kB) together; the structure branch: (one Action component for the equal buttons, +24 B; class names readable in source, one letter in the bundle: -31 B); 14,808 B when createBanner was split into the shadow host, the focus trap, the receipt download and the texts loading (~0.1 kB in objects and parameters); 14,712 B before that: the consent rules the UI applies (bulk choices, switches, GPC, re-ask, one-vendor grants) are core functions now, one copy tested in state.test.ts, ~0.1 kB more than the inline copies they replace; before that 14,521 B (the re-ask after a material change ~0.3 kB, focus kept on the launcher ~0.1 kB, the GPC-locked switches ~0.1 kB; the core now counts as side-effect free here, which saved ~0.2 kB); preact is ~4.6 kB of it; first-visit goal with the embed: 12 kB',
  ],
  [
    'banner Spanish texts (lazy, beside the chunk)',
    'packages/embed/dist/allparty-banner.es.js',
    1_700,
    'measured 1,642 B; each language about the same',
  ],
];

export function gzipSize(file) {
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

/** Every budget row: the built files, then what an npm app pays for the vendors package (size-npm.mjs). */
export async function measure() {
  const rows = [];
  for (const [label, path, budget, note] of BUDGETS) {
    if (!existsSync(path)) {
      rows.push({
        label,
        path,
        size: null,
        budget,
        note,
        ok: false,
        problem: 'missing (run pnpm run build)',
      });
      continue;
    }
    const files = path.endsWith('.js')
      ? [path]
      : readdirSync(path)
          .filter((f) => f.endsWith('.js') && f !== 'lib.js')
          .map((f) => `${path}/${f}`);
    for (const file of files) {
      const size = gzipSize(file);
      rows.push({
        label: files.length > 1 ? `${label}: ${file.split('/').pop()}` : label,
        path: file,
        size,
        budget,
        note,
        ok: size <= budget,
      });
    }
  }
  return [...rows, ...(await measureNpm())];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await measure();
  let failed = 0;
  for (const r of rows) {
    if (!r.ok) failed++;
    const size = r.size === null ? r.problem : `${r.size} B gzip`;
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.label}: ${size} (budget ${r.budget} B)`);
  }
  console.log(`size: ${rows.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
