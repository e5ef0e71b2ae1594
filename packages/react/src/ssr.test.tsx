// @vitest-environment node
/** @jsxImportSource react */
import { renderToString } from 'react-dom/server';
import { expect, it } from 'vitest';
import { ClickToLoad, ConsentProvider, Gate } from './index';

it('imports and renders on a server with no window: fallbacks only, nothing started', () => {
  expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
  let started = 0;
  const html = renderToString(
    <ConsentProvider
      start={() => {
        started++;
        throw new Error('start must not run on the server');
      }}
    >
      <Gate purpose="chat" vendor="intercom" fallback={<a href="mailto:help@shop.example">Email us</a>}>
        <p>chat</p>
      </Gate>
      <ClickToLoad vendor="vimeo" name="Vimeo" src="https://player.vimeo.com/video/1?dnt=1" />
    </ConsentProvider>,
  );
  expect(html).toContain('Email us');
  expect(html).not.toContain('<p>chat</p>');
  expect(html).toContain('Content from Vimeo');
  expect(started).toBe(0);
});
