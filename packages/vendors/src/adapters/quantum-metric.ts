import { movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { getGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'quantum-metric',
  name: 'Quantum Metric',
  legalName: 'Quantum Metric, Inc.',
  category: 'replay',
  purposes: ['replay'],
  hosts: ['cdn.quantummetric.com', '*.quantummetric.com'],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.replay, CONTENTS.pageText, CONTENTS.typing],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.visitorId, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://www.quantummetric.com/legal/privacy/',
  cookies: [],
  storageKeys: [],
  masking:
    'Quantum Metric configures masking and encryption per subscription on its side; the adapter cannot set them from the page. Confirm with Quantum Metric that all text and inputs are masked or encrypted ([data-qm-encrypt], [data-qm-block]) before enabling it.',
  liveSettings: {
    checked: [],
    note: 'Masking and encryption are configured per subscription on Quantum Metric’s side and no public developer docs were found, so nothing can be checked at load.',
  },
  pinning: movingScript(
    'quantum-{subscription}.js is built per subscription and carries its server-side configuration,',
  ),
  unloadWithoutReload: false,
  stopNote:
    'Quantum Metric has no public stop API: its script stays until the page reloads with Quantum Metric blocked.',
  configId: { setting: 'siteId', label: 'subscription name', pattern: '^[a-z0-9-]{1,64}$', example: 'gnm' },
  scriptUrls: ['https://cdn.quantummetric.com/qscripts/quantum-{subscription}.js'],
  confidence: 'low',
  unconfirmed: [
    'no public developer docs found; runtime API (stop/opt-out), cookie names (QuantumMetricUserID/SessionID commonly reported) and ingest hostnames unverified',
    'with no declared cookies or storage keys, purge() deletes nothing for Quantum Metric',
  ],
  sources: [
    "public code (code-index 'quantummetric.com/qscripts': loader snippets checking window.QuantumMetricAPI; origin https://{instance}.quantummetric.com)",
    "public rrweb-fork docs, vendorCompat mask/block token table (code-index id 61919438305; secondary, cites each vendor's doc)",
    'https://www.docketalarm.com/cases/California_Central_District_Court/5--20-cv-02439/Mary_Yoon_v._Lululemon_USA_Inc._et_al/31/',
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  load(settings, context) {
    // As the snippet: only when the page does not have the API already.
    if (getGlobal('QuantumMetricAPI') !== undefined) return;
    injectScript(manifest.id, `https://cdn.quantummetric.com/qscripts/quantum-${settings.id}.js`, context);
  },
});
