import { describe, expect, it } from 'vitest';
import { decodeEntities, importedUrls, neutralizeCss, neutralizeHtml, openTagAt } from './html';

const held = (url: string) => /hotjar\.com|facebook\.net/.test(url);
const run = (html: string) => neutralizeHtml(html, held);

describe('neutralizeHtml', () => {
  it('renames held URL attributes and leaves the rest alone', () => {
    expect(run('<script async src="https://static.hotjar.com/c.js"></script>')).toBe(
      '<script async data-allparty-held-src="https://static.hotjar.com/c.js"></script>',
    );
    expect(run('<img src="/logo.png" alt="x">')).toBe('<img src="/logo.png" alt="x">');
    expect(run('<a href="https://static.hotjar.com/">link</a>')).toBe(
      '<a href="https://static.hotjar.com/">link</a>',
    );
  });

  it('handles every fetching element and quoting style', () => {
    const out = run(
      `<iframe src='https://vars.hotjar.com/box'></iframe><img srcset="/a.png 1x, https://x.hotjar.com/p.gif 2x"><link rel=preconnect href=https://connect.facebook.net><object data="https://a.hotjar.com/o"></object><video poster="https://a.hotjar.com/p.jpg"></video>`,
    );
    expect(out).not.toMatch(/\s(src|href|srcset|data|poster)=/);
    expect(out.match(/data-allparty-held-/g)).toHaveLength(5);
  });

  it('sees through character references hiding the host', () => {
    expect(decodeEntities('https&#58;//static&#x2e;hotjar.com')).toBe('https://static.hotjar.com');
    expect(run('<script src="https&colon;&sol;&sol;static.hotjar&period;com/c.js"></script>')).toContain(
      'data-allparty-held-src',
    );
  });

  it('is not fooled by a ">" inside a quoted attribute', () => {
    expect(run('<img alt="a > b" src="https://px.hotjar.com/p.gif">')).toContain('data-allparty-held-src');
  });

  it('neutralises srcdoc documents recursively', () => {
    const out = run(
      '<iframe srcdoc="<script src=&quot;https://static.hotjar.com/c.js&quot;></script>"></iframe>',
    );
    expect(out).toContain('data-allparty-held-src');
    expect(out).not.toMatch(/<script src=/);
  });

  it('works on fragments, as document.write passes them', () => {
    expect(run('<script src="https://static.hotjar.com/a.js">')).toContain('data-allparty-held-src');
  });

  it('reads attributes as the HTML tokenizer does, so markup syntax cannot hide a URL', () => {
    for (const html of [
      '<img/src="https://px.hotjar.com/a.gif">',
      '<img alt="x"src="https://px.hotjar.com/b.gif">',
      `<img alt='x'src=https://px.hotjar.com/c.gif>`,
      '<img alt=a" src=https://px.hotjar.com/d.gif>',
      '<IMG\nSRC = "https://px.hotjar.com/e.gif">',
      '<img src="htt&Tab;ps://px.hotjar.com/f.gif">',
      '<img src="https&NewLine;://px.hotjar.com/g.gif">',
    ])
      expect(run(html), html).toMatch(/data-allparty-held-src/i);
  });

  it('holds the legacy background attribute, link imagesrcset, SVG feImage and a vendor <base>', () => {
    expect(run('<td background="https://px.hotjar.com/t.gif">')).toContain('data-allparty-held-background');
    expect(run('<link rel=preload as=image imagesrcset="https://px.hotjar.com/a.gif 1x">')).toContain(
      'data-allparty-held-imagesrcset',
    );
    expect(run('<svg><filter><feImage href="https://px.hotjar.com/f.gif"/></filter></svg>')).toContain(
      'data-allparty-held-href',
    );
    expect(run('<base href="https://static.hotjar.com/">')).toContain('data-allparty-held-href');
  });

  it('leaves the text of scripts, styles and comments alone', () => {
    const html =
      '<!-- <img src="https://px.hotjar.com/c.gif"> --><textarea><img src="https://px.hotjar.com/t.gif"></textarea>';
    expect(run(html)).toBe(html);
  });

  it('makes an inline script that imports a held URL inert', () => {
    expect(run('<script type="module">import x from "https://static.hotjar.com/m.js";</script>')).toMatch(
      /^<script type="text\/plain" type="module">/,
    );
    const own = '<script type="module">import x from "/own.js";</script>';
    expect(run(own)).toBe(own);
  });

  it('rewrites frame documents through the rewrite hook', () => {
    const out = neutralizeHtml('<iframe src="data:text/html,hi"></iframe>', held, (tag, attr, value) =>
      tag === 'iframe' && attr === 'src' ? `${value}!` : undefined,
    );
    expect(out).toBe('<iframe src="data:text/html,hi!"></iframe>');
  });

  it('returns the very same string when nothing could be held', () => {
    const html = '<div class="x"><p>hello</p></div>';
    expect(run(html)).toBe(html);
  });
});

describe('neutralizeCss', () => {
  const css = (text: string) => neutralizeCss(text, held);

  it('empties held url()s in every form and leaves the rest alone', () => {
    expect(css('background: url(https://px.hotjar.com/p.gif) no-repeat')).toBe('background: url() no-repeat');
    expect(css(`background-image:url( "https://px.hotjar.com/a" ), url('/own.png')`)).toBe(
      `background-image:url(), url('/own.png')`,
    );
    expect(css('color: red; background: url(/img/a.png)')).toBe('color: red; background: url(/img/a.png)');
    expect(css('cursor: URL(//x.facebook.net/c.cur), auto')).toBe('cursor: url(), auto');
  });

  it('covers @import and image-set strings and urls', () => {
    expect(css('@import "https://static.hotjar.com/x.css"; a{}')).toBe('@import url(); a{}');
    expect(css("@import url('https://static.hotjar.com/x.css');")).toBe('@import url();');
    expect(css('background: image-set("https://a.hotjar.com/1.png" 1x, "/2.png" 2x)')).toBe(
      'background: image-set(url() 1x, "/2.png" 2x)',
    );
    expect(css('background: -webkit-image-set(url(https://a.hotjar.com/1.png) 1x)')).toBe(
      'background: -webkit-image-set(url() 1x)',
    );
  });

  it('drops CSS whose escapes spell a held URL, and keeps harmless escapes', () => {
    expect(css('background: url(https\\3a //px.hotjar.com/p.gif)')).toBe('');
    expect(css('background: \\75 rl(https://px.hotjar.com/p.gif)')).toBe('');
    expect(css('content: "\\201C"; background: url(/a.png)')).toBe(
      'content: "\\201C"; background: url(/a.png)',
    );
  });
});

describe('neutralizeHtml, CSS', () => {
  it('cleans style attributes in any tag and <style> blocks', () => {
    expect(run('<div style="background:url(https://px.hotjar.com/p.gif)">x</div>')).toBe(
      '<div style="background:url()">x</div>',
    );
    expect(run('<p style="background:url(&quot;https://px.hotjar.com/p.gif&quot;)">x</p>')).toBe(
      '<p style="background:url()">x</p>',
    );
    expect(
      run('<style>@import "https://static.hotjar.com/a.css"; .a{background:url(/b.png)}</style><p>y</p>'),
    ).toBe('<style>@import url(); .a{background:url(/b.png)}</style><p>y</p>');
    expect(run('<div style="color:red">ok</div>')).toBe('<div style="color:red">ok</div>');
  });
});

describe('importedUrls', () => {
  it('finds static imports, re-exports and literal dynamic imports', () => {
    expect(
      importedUrls(
        `import a from "https://a.example/a.js"; import 'https://b.example/b.js'; export * from "https://c.example/c.js"; import { x, y } from './own.js'; const m = await import('https://d.example/d.js');`,
      ),
    ).toEqual([
      'https://a.example/a.js',
      'https://b.example/b.js',
      'https://c.example/c.js',
      './own.js',
      'https://d.example/d.js',
    ]);
    expect(importedUrls('var important = 1; exports.x = 2;')).toEqual([]);
  });
});

describe('openTagAt', () => {
  it('finds a tag document.write left open, and nothing when all are closed', () => {
    expect(openTagAt('<p>a</p><img alt="" s')).toBe(8);
    expect(openTagAt('<script src="')).toBe(0);
    expect(openTagAt('text <')).toBe(5);
    expect(openTagAt('<p>a</p><img alt="">')).toBe(-1);
    expect(openTagAt('no markup')).toBe(-1);
  });
});
