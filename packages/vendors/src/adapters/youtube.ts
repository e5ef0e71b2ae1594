import { blockFrames, isEmbedSrc, releaseFrames } from '../helpers/embed';
import { defineAdapter } from '../lib/define';
import { ADDRESSING } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'youtube',
  name: 'YouTube',
  legalName: 'Google LLC',
  category: 'embed',
  purposes: ['video'],
  purposeNote:
    'Video is its own purpose: the US Video Privacy Protection Act treats a record of which videos a person watched, tied to an identifier, as protected, and video-viewing consent may last at most 2 years (R30).',
  hosts: [
    'www.youtube.com/embed/',
    'www.youtube.com/iframe_api',
    'www.youtube.com/s/player/',
    'www.youtube-nocookie.com',
    '*.ytimg.com',
    '*.googlevideo.com',
  ],
  capturesContents: false,
  captures: {
    contents: [
      'which video you watch on this page, and how (play, pause, how far)',
      'the address of this page',
    ],
    addressing: [
      ADDRESSING.ip,
      ADDRESSING.device,
      'identifiers YouTube or Google already keep in your browser',
    ],
  },
  ownUse: 'YouTube (Google) processes the data under its own privacy policy, not on this site’s behalf.',
  privacyPolicy: 'https://policies.google.com/privacy',
  cookies: [],
  storageKeys: [],
  masking: 'Released players use www.youtube-nocookie.com (YouTube’s privacy-enhanced mode).',
  unloadWithoutReload: true,
  stopNote:
    'The site’s YouTube iframes are blocked again (their player documents are torn down) and become placeholders.',
  embed: {
    markup:
      '<iframe data-src="https://www.youtube.com/embed/VIDEO_ID" data-allparty="video" data-vendor="youtube" title="…" width="560" height="315"></iframe>',
    srcPatterns: ['^https://(www\\.)?youtube(-nocookie)?\\.com/embed/[A-Za-z0-9_-]{6,}([?#].*)?$'],
    receives:
      'YouTube (Google LLC) receives your IP address, the address of this page and which video you watch, and may read identifiers Google already keeps in your browser.',
    privateMode:
      'www.youtube.com/embed/… is loaded as www.youtube-nocookie.com/embed/… (privacy-enhanced mode).',
  },
  scriptUrls: [
    'https://www.youtube-nocookie.com/embed/{videoId}',
    'https://www.youtube.com/iframe_api (only if the site uses the IFrame API)',
  ],
  confidence: 'medium',
  unconfirmed: [
    'YouTube embeds are not in the research catalog: hosts and privacy-enhanced mode are from YouTube’s embed documentation as we know it, not re-verified',
    'which cookies and storage YouTube sets in privacy-enhanced mode (on its own domain, so the site cannot delete them)',
  ],
  sources: [
    'https://support.google.com/youtube/answer/171780 (embed videos; privacy-enhanced mode)',
    'https://developers.google.com/youtube/iframe_api_reference',
  ],
};

/** The privacy-enhanced URL for a YouTube embed URL, or null when it is not one. */
export function privateSrc(src: string): string | null {
  if (!isEmbedSrc(manifest, src)) return null;
  return src.replace(/^https:\/\/(www\.)?youtube(-nocookie)?\.com\//, 'https://www.youtube-nocookie.com/');
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load() {
    releaseFrames(manifest, privateSrc);
  },
  shutdown() {
    blockFrames(manifest.id);
  },
});
