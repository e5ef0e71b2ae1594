import { expect, it } from 'vitest';
import { privateSrc as mapsSrc } from '../adapters/google-maps';
import { privateSrc as vimeoSrc } from '../adapters/vimeo';
import { privateSrc as youtubeSrc } from '../adapters/youtube';
import { RELEASED_ATTRIBUTE } from '../helpers/embed';
import { adapters } from './adapters';
import type { AdapterCase } from './harness';
import { contextFor, resetPage } from './harness';

/** Adds a tagged iframe, as a site writes it. */
function tagged(vendor: string, dataSrc: string, purpose = 'video'): HTMLIFrameElement {
  const frame = document.createElement('iframe');
  frame.setAttribute('data-src', dataSrc);
  frame.setAttribute('data-allparty', purpose);
  frame.setAttribute('data-vendor', vendor);
  document.body.append(frame);
  return frame;
}

function embedCase(id: string, purpose: string, dataSrc: string, released: string): AdapterCase {
  return {
    src: null,
    loaded() {},
    more() {
      it('releases only its own tagged iframes, in private mode, and blocks them again on stop', () => {
        resetPage();
        const mine = tagged(id, dataSrc, purpose);
        const foreign = tagged(id, 'https://tracker.example/embed/abc', purpose);
        const other = tagged(id === 'vimeo' ? 'youtube' : 'vimeo', 'https://player.vimeo.com/video/1');
        const context = contextFor(id, {});
        const adapter = adapters[id]!;
        adapter.load(context);
        expect(mine.getAttribute('src')).toBe(released);
        expect(mine.hasAttribute(RELEASED_ATTRIBUTE)).toBe(true);
        // A data-src from another host is a different vendor: it stays blocked.
        expect(foreign.hasAttribute('src')).toBe(false);
        expect(other.hasAttribute('src')).toBe(false);
        const result = adapter.stop(context);
        expect(result).toEqual({ unloaded: true });
        expect(mine.isConnected).toBe(false);
        const replacement = document.querySelector<HTMLIFrameElement>(
          `iframe[data-vendor="${id}"][data-src="${dataSrc}"]`,
        );
        expect(replacement?.hasAttribute('src')).toBe(false);
        expect(replacement?.hasAttribute(RELEASED_ATTRIBUTE)).toBe(false);
        // Granted again in the same page view: released again.
        adapter.load(context);
        expect(replacement?.getAttribute('src')).toBe(released);
      });
    },
  };
}

export const embedCases: Record<string, AdapterCase> = {
  youtube: embedCase(
    'youtube',
    'video',
    'https://www.youtube.com/embed/dQw4w9WgXcQ?start=10',
    'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=10',
  ),
  vimeo: embedCase(
    'vimeo',
    'video',
    'https://player.vimeo.com/video/76979871?h=8272103f6e',
    'https://player.vimeo.com/video/76979871?h=8272103f6e&dnt=1',
  ),
  'google-maps': embedCase(
    'google-maps',
    'maps',
    'https://www.google.com/maps/embed?pb=!1m18!1m12',
    'https://www.google.com/maps/embed?pb=!1m18!1m12',
  ),
};

/** The placeholder's "load once" path uses the same private URL functions; they reject foreign URLs. */
export function privateSrcChecks(): void {
  it('maps an embed URL to its private form and rejects other hosts', () => {
    expect(youtubeSrc('https://youtube.com/embed/abcdefghijk')).toBe(
      'https://www.youtube-nocookie.com/embed/abcdefghijk',
    );
    expect(youtubeSrc('https://www.youtube.com.evil.example/embed/abcdefghijk')).toBeNull();
    expect(youtubeSrc('https://www.youtube.com/watch?v=abcdefghijk')).toBeNull();
    expect(vimeoSrc('https://player.vimeo.com/video/1?dnt=0')).toBe('https://player.vimeo.com/video/1?dnt=1');
    expect(vimeoSrc('https://vimeo.com/1')).toBeNull();
    expect(mapsSrc('https://www.google.com/maps/embed/v1/place?key=K&q=Paris')).toBe(
      'https://www.google.com/maps/embed/v1/place?key=K&q=Paris',
    );
    expect(mapsSrc('https://www.google.com/search?q=maps')).toBeNull();
  });
}
