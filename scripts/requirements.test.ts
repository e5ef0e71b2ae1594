// @vitest-environment node
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every requirement (R1…) and defect (D1…) id the repository cites resolves to a line of
// docs/requirements.md, so "R16" in a comment, a test name or a doc can always be looked up.

const ROOT = join(import.meta.dirname, '..');
const DOC = 'docs/requirements.md';
const ID = /\b[RD][0-9]{1,2}\b/g;
/** Where ids are cited: code, tests, scripts, examples, benchmarks and the docs. */
const PLACES = ['packages', 'tests', 'scripts', 'examples', 'bench', 'docs', 'README.md', 'CONTRIBUTING.md'];
/** Text the repository writes by hand; generated tables and data files can hold look-alikes in hashes. */
const TEXT = /\.(ts|tsx|mjs|js|md|html)$/;
const SKIP = /(^|\/)(node_modules|dist|\.cache)(\/|$)|\.generated\.|^docs\/vendors\//;

function files(path: string): string[] {
  const rel = relative(ROOT, path);
  if (SKIP.test(rel)) return [];
  if (statSync(path).isDirectory()) return readdirSync(path).flatMap((name) => files(join(path, name)));
  return TEXT.test(path) ? [rel] : [];
}

/** Every id cited, with the first place it is cited. */
function cited(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of PLACES.flatMap((p) => files(join(ROOT, p)))) {
    if (file === DOC) continue;
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const [id] of line.matchAll(ID)) if (!out.has(id)) out.set(id, `${file}:${i + 1}`);
    });
  }
  return out;
}

/** The ids docs/requirements.md explains: the first cell of each table row. */
function listed(): Set<string> {
  const rows = readFileSync(join(ROOT, DOC), 'utf8').matchAll(/^\| ([RD][0-9]{1,2}) \|/gm);
  return new Set([...rows].map((m) => m[1]!));
}

describe('docs/requirements.md', () => {
  it('lists every requirement and defect id the repository cites', () => {
    const doc = listed();
    const missing = [...cited()].filter(([id]) => !doc.has(id)).map(([id, where]) => `${id} (${where})`);
    expect(missing).toEqual([]);
  });

  it('lists each id once, R1 to R32 and D1 to D7 in order', () => {
    const rows = [...readFileSync(join(ROOT, DOC), 'utf8').matchAll(/^\| ([RD][0-9]{1,2}) \|/gm)].map(
      (m) => m[1],
    );
    const expected = [
      ...Array.from({ length: 32 }, (_, i) => `R${i + 1}`),
      ...Array.from({ length: 7 }, (_, i) => `D${i + 1}`),
    ];
    expect(rows).toEqual(expected);
  });

  it('finds the ids the code cites (the scan works)', () => {
    const ids = cited();
    expect(ids.get('R16')).toBeDefined();
    expect(ids.get('D4')).toBeDefined();
  });
});
