import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { markPage } from '../lib/dom';
import { call, type Fn, getGlobal, isFunction, isRecord, type QueueStub, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'fullstory',
  name: 'FullStory',
  legalName: 'FullStory, Inc.',
  category: 'replay',
  purposes: ['replay'],
  hosts: [
    'edge.fullstory.com',
    'rs.fullstory.com',
    'edge.eu1.fullstory.com',
    'rs.eu1.fullstory.com',
    '*.fullstory.com',
  ],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.replay, CONTENTS.pageText, CONTENTS.typing, CONTENTS.network],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://www.fullstory.com/legal/privacy-policy/',
  cookies: [
    { name: 'fs_uid', lifetime: null },
    { name: 'fs_cid', lifetime: null },
    { name: 'fs_lua', lifetime: null },
  ],
  storageKeys: [],
  masking:
    'The adapter adds the class fs-mask to <html> and <body>, so FullStory masks the text of the whole page; mark areas that may be recorded with fs-unmask. FullStory "Private by Default" is an account setting: ask FullStory to turn it on as well.',
  liveSettings: {
    checked: [],
    note: 'FullStory’s Private by Default is an account setting applied on FullStory’s side; the catalog names no browser API that reports it, so nothing is checked at load (the adapter marks the page fs-mask instead).',
  },
  pinning: movingScript('fs.js is served from FullStory’s edge at one unversioned URL,'),
  unloadWithoutReload: 'partial',
  stopNote:
    "FS('shutdown') stops capture for this page only and the snippet's fetch wrapper may stay installed, so the page reloads with FullStory blocked.",
  configId: {
    setting: 'siteId',
    label: 'Org ID',
    pattern: '^(o-[A-Za-z0-9]+-[a-z]{2,3}[0-9]+|[A-Z0-9]{5})$',
    example: 'o-1BY118-na1',
  },
  scriptUrls: [
    'https://edge.fullstory.com/s/fs.js?org={orgId} (snippet 2.1)',
    'https://edge.fullstory.com/s/fs.js (snippet 2.0 / _fs_script)',
    'https://edge.{region}.fullstory.com/s/fs.js (region from orgId suffix, e.g. eu1)',
    'https://edge.fullstory.com/s/fs-debug.js (debug)',
  ],
  confidence: 'high',
  unconfirmed: [
    'fs_ses cookie is reported only by a third-party catalog (consentstack.io) and is not listed here',
    'exact hostname of the settings endpoint (served from edge host per snippet; not independently verified)',
    "that the fs-mask class on <html>/<body> masks every descendant comes from FullStory's element-rule docs, not from reading fs.js",
  ],
  sources: [
    'npm:@fullstory/browser@2.1.1/src/index.ts',
    'npm:@fullstory/browser@2.1.1/src/hosts.ts',
    'npm:@fullstory/snippet@2.1.0/dist/index.esm.js (SnippetSrcV2_1; snippet wraps window.fetch via FS._w)',
    'https://developer.fullstory.com/browser/v2/auto-capture/capture-data/',
    'https://help.fullstory.com/hc/en-us/articles/360020623314-FS-shutdown-and-FS-restart',
    'https://help.fullstory.com/hc/en-us/articles/360020829513-Why-Fullstory-uses-First-Party-Cookies',
    'https://help.fullstory.com/hc/en-us/articles/360020622854-Can-I-use-Content-Security-Policy-CSP-with-Fullstory',
    'https://help.fullstory.com/hc/en-us/articles/37802829742615-Configuring-Content-Security-Policy-CSP-for-Guides-Surveys',
    'https://help.fullstory.com/hc/en-us/articles/360044349073-Fullstory-Private-by-Default',
    'https://developer.fullstory.com/browser/fullcapture/configure-capture/ (recHost/recSettingsHost/appHost overrides)',
  ],
};

/** The FS namespace function as the snippet defines it (calls queue on `.q` until fs.js loads). */
interface FsStub extends QueueStub {
  /** Set by fs.js when it arrives; from then on the snippet's FS hands every call to it. */
  _api?: Fn;
  _w?: Record<string, unknown>;
  _v?: string;
}

/** Marks the pass-through fetch the snippet installs, so stop can tell it apart from a later wrapper. */
const WRAPPER_MARK = 'allpartyFullstory';

/** FullStory data centre for an org id's suffix (`o-…-eu1` → eu1); legacy and na1 ids use the default. */
export function fullstoryRegion(orgId: string): string | null {
  const suffix = /-([a-z]{2,3}[0-9]+)$/.exec(orgId)?.[1];
  return suffix && suffix !== 'na1' ? suffix : null;
}

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    const region = fullstoryRegion(settings.id);
    const host = region ? `${region}.fullstory.com` : 'fullstory.com';
    const script = `edge.${host}/s/fs.js`;
    setGlobal('_fs_host', host);
    setGlobal('_fs_script', script);
    setGlobal('_fs_org', settings.id);
    setGlobal('_fs_namespace', 'FS');
    markPage({ className: 'fs-mask' });
    if (!isFunction(getGlobal('FS'))) {
      // As the snippet: `b._api ? b._api(...) : (b.q && b.q.push(...), null)`, so a later FS('shutdown')
      // reaches fs.js instead of a queue nobody reads any more.
      const fs = ((...args: unknown[]) => {
        if (fs._api) return fs._api(...args);
        fs.q.push(args);
        return null;
      }) as FsStub;
      fs.q = [];
      fs._v = '2.0.0';
      // As the snippet: keep the original fetch/XHR for fs.js and install a pass-through fetch.
      const originalFetch = getGlobal('fetch');
      fs._w = { XMLHttpRequest: getGlobal('XMLHttpRequest'), fetch: originalFetch };
      if (isFunction(originalFetch)) {
        const wrapper: Fn = function (this: unknown, ...args: unknown[]) {
          return originalFetch.apply(this, args);
        };
        Object.defineProperty(wrapper, WRAPPER_MARK, { value: true });
        setGlobal('fetch', wrapper);
      }
      setGlobal('FS', fs);
    }
    injectScript(manifest.id, `https://${script}`, context, { crossOrigin: true });
  },
  shutdown() {
    call(['FS'], 'shutdown');
    // Put the page's own fetch back if the snippet's pass-through is still the outermost wrapper.
    const fetchNow = getGlobal('fetch');
    const fs = getGlobal('FS');
    const original = isRecord(fs) && isRecord(fs._w) ? fs._w.fetch : undefined;
    if (isRecord(fetchNow) && fetchNow[WRAPPER_MARK] === true && isFunction(original))
      setGlobal('fetch', original);
  },
});
