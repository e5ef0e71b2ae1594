import { blockFrames, isEmbedSrc, releaseFrames } from '../helpers/embed';
import { defineAdapter } from '../lib/define';
import { ADDRESSING } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'vimeo',
  name: 'Vimeo',
  legalName: 'Vimeo.com, Inc.',
  category: 'embed',
  purposes: ['video'],
  purposeNote:
    'Video is its own purpose: the US Video Privacy Protection Act treats a record of which videos a person watched, tied to an identifier, as protected, and video-viewing consent may last at most 2 years (R30).',
  // The player library (@vimeo/player) asks vimeo.com's oEmbed endpoint for the player before it
  // makes one from a video id or URL: without it, a granted Vimeo player never appears.
  hosts: ['player.vimeo.com', '*.vimeocdn.com', 'vimeo.com/api/oembed.json'],
  capturesContents: false,
  captures: {
    contents: [
      'which video you watch on this page, and how (play, pause, how far)',
      'the address of this page',
    ],
    addressing: [ADDRESSING.ip, ADDRESSING.device],
  },
  ownUse: 'Vimeo processes the data under its own privacy policy, not on this site’s behalf.',
  privacyPolicy: 'https://vimeo.com/privacy',
  cookies: [],
  storageKeys: [],
  masking:
    'Released players get dnt=1, Vimeo’s embed parameter that stops the player from tracking session data and setting cookies.',
  unloadWithoutReload: true,
  stopNote:
    'The site’s Vimeo iframes are blocked again (their player documents are torn down) and become placeholders.',
  embed: {
    markup:
      '<iframe data-src="https://player.vimeo.com/video/VIDEO_ID" data-allparty="video" data-vendor="vimeo" title="…" width="640" height="360"></iframe>',
    srcPatterns: ['^https://player\\.vimeo\\.com/video/[0-9]+([?#].*)?$'],
    receives: 'Vimeo receives your IP address, the address of this page and which video you watch.',
    privateMode: 'dnt=1 is added to the player URL.',
  },
  scriptUrls: ['https://player.vimeo.com/video/{videoId}?dnt=1'],
  notes: [
    '@vimeo/player first calls vimeo.com/api/oembed.json (declared here). Players on Vimeo’s custom domains (*.vimeo.work, *.videoji.hk, *.videoji.cn) are not: a site using one lists it in vendors.vimeo.hosts.',
  ],
  confidence: 'medium',
  unconfirmed: [
    'Vimeo embeds are not in the research catalog: hosts and the dnt parameter are from Vimeo’s embed documentation as we know it, not re-verified',
    'the legal entity (Vimeo.com, Inc.)',
  ],
  sources: [
    'https://help.vimeo.com/hc/en-us/articles/12426260232977 (player parameters: dnt)',
    'npm:@vimeo/player@2.30.4/dist/player.es.js (getOEmbedData)',
  ],
};

/** The player URL with `dnt=1`, or null when it is not a Vimeo player URL. */
export function privateSrc(src: string): string | null {
  if (!isEmbedSrc(manifest, src)) return null;
  const url = new URL(src);
  url.searchParams.set('dnt', '1');
  return url.toString();
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
