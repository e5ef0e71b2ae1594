import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { markPage } from '../lib/dom';
import { arrayQueue, call } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'mouseflow',
  name: 'Mouseflow',
  legalName: 'Mouseflow ApS',
  category: 'replay',
  purposes: ['replay'],
  hosts: ['cdn.mouseflow.com', '*.mouseflow.com'],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.replay, CONTENTS.pageText, CONTENTS.typing],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://mouseflow.com/legal/privacy',
  cookies: [
    { name: 'mf_{id}', lifetime: null },
    { name: 'mf_user', lifetime: null },
  ],
  storageKeys: [],
  masking:
    'Mouseflow excludes password and card fields automatically. The adapter adds the class mf-masked to <html> and <body> so page text is masked; use .mf-excluded for areas that must not be recorded at all.',
  liveSettings: {
    checked: [],
    note: 'Masking is set by classes and in Mouseflow’s project settings; no documented browser API reports them (even its start/stop API is unconfirmed), so nothing is checked at load.',
  },
  pinning: movingScript('projects/{websiteId}.js is built per website,'),
  unloadWithoutReload: false,
  stopNote:
    'mouseflow.stopSession() ends the session, but the script stays until the page reloads with Mouseflow blocked.',
  configId: {
    setting: 'siteId',
    label: 'website ID',
    pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    example: '62d1dfac-cc7e-4965-984d-5dd5b973efde',
  },
  scriptUrls: ['https://cdn.mouseflow.com/projects/{websiteId}.js'],
  confidence: 'medium',
  unconfirmed: [
    'data-collection hostnames (only *.mouseflow.com confirmed)',
    'exact start/stop API for consent (mouseflow.start/stop, mouseflowAutoStart) not verified',
    "npm 'mouseflow' package is a REST API wrapper, not the tracker",
    'that the mf-masked class on <html>/<body> masks the whole page',
  ],
  sources: [
    'https://help.mouseflow.com/en/articles/4282966-what-is-your-cookie-policy',
    'https://help.mouseflow.com/en/articles/4346072-what-are-sessions',
    "public code (code-index '.mouseflow.com/': snippet with window._mfq and cdn.mouseflow.com/projects/{id}.js)",
    "public rrweb-fork docs, vendorCompat mask/block token table (code-index id 61919438305; secondary, cites each vendor's doc)",
    'github:aleksUIX/pixellint@028b838/crates/pixellint-core/rulepacks/directory.json (third-party vendor host directory)',
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    arrayQueue('_mfq');
    markPage({ className: 'mf-masked' });
    injectScript(manifest.id, `https://cdn.mouseflow.com/projects/${settings.id}.js`, context);
  },
  shutdown() {
    call(['mouseflow', 'stopSession']);
  },
});
