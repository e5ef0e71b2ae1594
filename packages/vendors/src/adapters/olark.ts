import { CHAT_LIVE_SETTINGS, movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call, type Fn, getGlobal, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS, NO_TYPING_PREVIEW_API } from '../lib/words';
import type { CookieSpec, VendorAdapter, VendorManifest } from '../types';

const COOKIES: CookieSpec[] = [
  'hblid',
  'wcsid',
  'olfsk',
  '_okbk',
  '_ok',
  '_oklv',
  '_okla',
  '_okgid',
  '_okac',
  '_okck',
].map((name) => ({ name, lifetime: null }));

export const manifest: VendorManifest = {
  id: 'olark',
  name: 'Olark',
  legalName: 'Habla, Inc. (Olark)',
  category: 'chat',
  purposes: ['chat'],
  hosts: ['static.olark.com', '*.olark.com'],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.chat, CONTENTS.chatIdentity],
    addressing: [
      ADDRESSING.ip,
      ADDRESSING.device,
      ADDRESSING.visitorId,
      'the pages you visit, which agents can see',
    ],
  },
  ownUse: null,
  privacyPolicy: 'https://www.olark.com/privacy-policy/',
  cookies: COOKIES,
  storageKeys: [],
  masking: NO_TYPING_PREVIEW_API,
  liveSettings: CHAT_LIVE_SETTINGS,
  pinning: movingScript('loader.js is served at one unversioned URL,'),
  unloadWithoutReload: false,
  stopNote:
    "olark('api.box.hide') hides the chat; Olark has no documented teardown, so the page reloads with Olark blocked.",
  configId: {
    setting: 'siteId',
    label: 'site ID',
    pattern: '^[0-9]{4}-[0-9]{3}-[0-9]{2}-[0-9]{4}$',
    example: '1234-567-89-0123',
  },
  scriptUrls: ['https://static.olark.com/jsclient/loader.js'],
  confidence: 'low',
  unconfirmed: [
    'loader URL and site-id format from memory of the standard snippet (not re-verified here)',
    'data hostnames',
    'the legal entity behind Olark (Habla, Inc.)',
    'widget selector #olark-wrapper is from observed pages',
  ],
  sources: ['https://www.olark.com/help/cookies', 'https://olark.com/api/api_chat_onbeginconversation'],
};

/** The olark function as the snippet defines it: calls go to `olark._.s` with a timestamp in `._.t`. */
interface OlarkStub extends Fn {
  _: { s: unknown[][]; t: number[]; c: Record<string, unknown>; l: string; i?: unknown };
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    if (getGlobal('olark') !== undefined) return;
    const loader = 'static.olark.com/jsclient/loader.js';
    const olark = ((...args: unknown[]) => {
      olark._.s.push(args);
      olark._.t.push(Date.now());
    }) as OlarkStub;
    olark._ = { s: [], t: [Date.now()], c: {}, l: loader };
    Object.assign(olark, {
      extend: (i: unknown, j: unknown) => olark('extend', i, j),
      identify: (i: unknown) => {
        olark._.i = i;
        olark('identify', i);
      },
      configure: (i: string, j: unknown) => {
        olark('configure', i, j);
        olark._.c[i] = j;
      },
    });
    setGlobal('olark', olark);
    injectScript(manifest.id, `https://${loader}`, context);
    call(['olark', 'identify'], settings.id);
  },
  shutdown() {
    call(['olark'], 'api.box.hide');
  },
  open() {
    call(['olark'], 'api.box.expand');
  },
  selectors: ['#olark-wrapper'],
});
