import { blockFrames, isEmbedSrc, releaseFrames } from '../helpers/embed';
import { defineAdapter } from '../lib/define';
import { ADDRESSING } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

/** The purpose Google Maps is asked for: a site-visible purpose of its own (see `purposeNote`). */
export const MAPS_PURPOSE = 'maps';

export const manifest: VendorManifest = {
  id: 'google-maps',
  name: 'Google Maps',
  legalName: 'Google LLC',
  category: 'embed',
  purposes: [MAPS_PURPOSE],
  purposeNote:
    'A map is neither analytics nor advertising, and calling it "necessary" would load Google before consent, so it is its own purpose, "maps", shown only on sites that embed a map. The banner needs a title for it ("Maps").',
  hosts: ['www.google.com/maps/', 'maps.google.com', 'maps.googleapis.com', 'maps.gstatic.com'],
  capturesContents: false,
  captures: {
    contents: ['the place shown on the map and what you search or click in it', 'the address of this page'],
    addressing: [ADDRESSING.ip, ADDRESSING.device, 'identifiers Google already keeps in your browser'],
  },
  ownUse: 'Google processes the data under its own privacy policy, not on this site’s behalf.',
  privacyPolicy: 'https://policies.google.com/privacy',
  cookies: [],
  storageKeys: [],
  masking: 'Google offers no cookie-less mode for map embeds; the URL is loaded unchanged.',
  unloadWithoutReload: true,
  stopNote:
    'The site’s map iframes are blocked again (their documents are torn down) and become placeholders.',
  embed: {
    markup:
      '<iframe data-src="https://www.google.com/maps/embed?pb=…" data-allparty="maps" data-vendor="google-maps" title="…" width="600" height="450"></iframe>',
    srcPatterns: [
      '^https://www\\.google\\.com/maps/embed(/v1/[a-z]+)?\\?',
      '^https://maps\\.google\\.com/maps\\?',
    ],
    receives:
      'Google receives your IP address, the address of this page and what you do in the map, and may read identifiers it already keeps in your browser.',
    privateMode: 'none available',
  },
  scriptUrls: [
    'https://www.google.com/maps/embed?pb={…}',
    'https://www.google.com/maps/embed/v1/place?key={apiKey}&q={…}',
  ],
  confidence: 'medium',
  unconfirmed: [
    'Google Maps embeds are not in the research catalog: hosts are from the Maps Embed documentation as we know it, not re-verified',
    'which cookies Google sets through a map embed (on its own domains, so the site cannot delete them)',
  ],
  sources: ['https://developers.google.com/maps/documentation/embed/get-started'],
};

/** The map URL unchanged (there is no private mode), or null when it is not a Google Maps embed URL. */
export function privateSrc(src: string): string | null {
  return isEmbedSrc(manifest, src) ? src : null;
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
