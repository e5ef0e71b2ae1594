// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { TransformPluginContext, TransformResult } from 'rollup';
import { parseAst } from 'rollup/parseAst';
import { afterAll, describe, expect, it } from 'vitest';
import { markedClasses, shortNames } from './marked-classes';

// A source folder with marked class names in CSS text, a class attribute and a template literal,
// and a marked property (`$state$`), which is the minifier's business and must be left alone.
const dir = mkdtempSync(join(tmpdir(), 'marked-classes-'));
const file = join(dir, 'ui.ts');
const source = [
  'export const CSS = `.$card$ {color:red}\\n.$card$.$dark$ {color:blue}`;',
  'export const markup = \'<div class="$card$ $dark$"></div>\';',
  'export const root = (dark: boolean) => `$root$${dark ? " $dark$" : ""}`;',
  'export const box = { $state$: 1 };',
  'export const read = (o: { $state$: number }) => o.$state$;',
].join('\n');
writeFileSync(file, source);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function transform(shorten: boolean): string {
  const plugin = markedClasses({ dirs: [relative(process.cwd(), dir)], shorten });
  const hook = plugin.transform as (
    this: TransformPluginContext,
    code: string,
    id: string,
  ) => TransformResult;
  // The plugin runs after esbuild: give it the JavaScript (the types erased by hand here).
  const js = source.replace('(dark: boolean)', '(dark)').replace('(o: { $state$: number })', '(o)');
  const context = { parse: (code: string) => parseAst(code) } as unknown as TransformPluginContext;
  const out = hook.call(context, js, file);
  return typeof out === 'object' && out && 'code' in out && out.code ? out.code : js;
}

describe('marked class names', () => {
  it('are assigned short names in sorted order, the same in every build', () => {
    expect([...shortNames([dir])]).toEqual([
      ['card', 'a'],
      ['dark', 'b'],
      ['root', 'c'],
      ['state', 'd'],
    ]);
  });

  it('read as plain names in the debug build, the npm build and the tests', () => {
    const out = transform(false);
    expect(out).toContain('`.card {color:red}\\n.card.dark {color:blue}`');
    expect(out).toContain('\'<div class="card dark"></div>\'');
    // (a `$` then `{`, kept apart so the string is not read as a template)
    expect(out).toContain('`root$' + '{dark ? " dark" : ""}`');
  });

  it('are short in the minified bundles, with the space before a rule dropped', () => {
    const out = transform(true);
    expect(out).toContain('`.a{color:red}\\n.a.b{color:blue}`');
    expect(out).toContain('\'<div class="a b"></div>\'');
    expect(out).toContain('`c$' + '{dark ? " b" : ""}`');
  });

  it('leave marked properties (identifiers, not strings) to the minifier', () => {
    for (const shorten of [false, true]) {
      const out = transform(shorten);
      expect(out).toContain('{ $state$: 1 }');
      expect(out).toContain('o.$state$');
    }
  });
});
