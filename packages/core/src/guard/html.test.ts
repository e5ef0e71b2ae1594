import { describe, expect, it } from 'vitest';
import { decodeEntities, neutralizeHtml } from './html';

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
