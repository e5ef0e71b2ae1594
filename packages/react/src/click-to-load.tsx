/** @jsxImportSource react */
import { en, fill } from '@allparty/banner/texts';
import type { PurposeId } from '@allparty/core';
import { type IframeHTMLAttributes, useId } from 'react';
import { useConsent } from './use-consent';

/** What {@link ClickToLoad} takes; other props go to the `<iframe>` once it loads. */
export interface ClickToLoadProps extends Omit<IframeHTMLAttributes<HTMLIFrameElement>, 'src'> {
  /** The configured vendor that serves the frame (`youtube`). */
  vendor: string;
  /** The frame's purpose. @default "video" */
  purpose?: PurposeId;
  /** The frame's address (prefer the vendor's private mode: `www.youtube-nocookie.com/embed/…`). */
  src: string;
  /** The vendor's name as visitors know it ("YouTube"). @default vendor */
  name?: string;
  /** One sentence saying what the vendor receives when the frame loads (the vendor page's `embed.receives`). */
  receives?: string;
  /** Texts instead of the banner's English ones (`embedTitle`, `embedAlways`). */
  texts?: { embedTitle?: string; embedAlways?: string };
  width?: number;
  height?: number;
}

/**
 * A vendor's frame (a video, a map) that loads only once its vendor is granted. Until then a
 * placeholder of the same size names the vendor, says what it receives, and offers the banner's
 * "Always allow", which grants that vendor (and its purpose) through the page API from the
 * visitor's click. After a withdrawal the frame is removed and the placeholder is back.
 */
export function ClickToLoad({
  vendor,
  purpose = 'video',
  src,
  name = vendor,
  receives,
  texts,
  width = 560,
  height = 315,
  title,
  ...frame
}: ClickToLoadProps) {
  const consent = useConsent();
  const titleId = useId();
  // The frame sits in a wrapper of its own (keyed apart from the placeholder), so React removes
  // the wrapper: on a withdrawal the embed's guard replaces the frame itself with an inert copy,
  // and React, removing the frame it rendered, would find it gone.
  if (consent.ready && consent.has(purpose, vendor))
    return (
      <div key="frame" data-allparty-frame={vendor}>
        <iframe {...frame} src={src} title={title ?? name} width={width} height={height} />
      </div>
    );
  return (
    // biome-ignore lint/a11y/useSemanticElements: a card with one button, as the banner's placeholder; a fieldset would add form semantics
    <div
      key="placeholder"
      role="group"
      aria-labelledby={titleId}
      data-allparty-embed={vendor}
      style={{ width, maxWidth: '100%', height, boxSizing: 'border-box', overflow: 'auto' }}
    >
      <p id={titleId}>
        <strong>{fill(texts?.embedTitle ?? en.embedTitle, { name })}</strong>
      </p>
      {receives && <p>{receives}</p>}
      <button
        type="button"
        data-allparty-action="embed-always"
        disabled={!consent.ready}
        onClick={() => consent.set({ vendors: { [vendor]: true } })}
      >
        {texts?.embedAlways ?? en.embedAlways}
      </button>
    </div>
  );
}
