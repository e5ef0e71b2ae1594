import { describe, expect, it } from 'vitest';
import { decodeEntities, neutralizeCss, neutralizeHtml } from './html';

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
