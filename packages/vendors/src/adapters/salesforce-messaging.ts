import type { ConfigError } from '@allparty/core';
import { CHAT_LIVE_SETTINGS, movingScript } from '../helpers/facts';
import { defineAdapter } from '../lib/define';
import { call, getPath, isRecord, setGlobal } from '../lib/globals';
import { injectScript } from '../lib/script';
import { ADDRESSING, CONTENTS } from '../lib/words';
import type { VendorAdapter, VendorManifest } from '../types';

export const manifest: VendorManifest = {
  id: 'salesforce-messaging',
  name: 'Salesforce Messaging',
  legalName: 'Salesforce, Inc.',
  category: 'chat',
  purposes: ['chat'],
  hosts: ['*.my.site.com', '*.salesforce-scrt.com', '*.force.com'],
  capturesContents: true,
  captures: {
    contents: [CONTENTS.chat, CONTENTS.chatFiles, CONTENTS.chatIdentity],
    addressing: [ADDRESSING.ip, ADDRESSING.device, ADDRESSING.pages],
  },
  ownUse: null,
  privacyPolicy: 'https://www.salesforce.com/company/privacy/',
  cookies: [],
  storageKeys: [],
  masking:
    'Typing previews: Salesforce "Sneak Peek" shows agents a message while it is typed (alleged in Yockey v. Salesforce). It is set up in Salesforce, not on the page, so the adapter cannot turn it off: turn it off in Setup or say so in the chat-start notice. Pre-chat hidden fields can pass personal data; keep them empty.',
  liveSettings: CHAT_LIVE_SETTINGS,
  pinning: movingScript(
    'bootstrap.min.js is served from the org’s own site and changes when Salesforce updates the deployment,',
  ),
  unloadWithoutReload: 'partial',
  stopNote:
    'embeddedservice_bootstrap.userVerificationAPI.clearSession(true) and utilAPI.removeAllComponents() clear the conversation and remove the messaging components; the bootstrap code stays until the page reloads with Salesforce blocked.',
  configId: {
    setting: 'siteId',
    label: 'org ID',
    pattern: '^00D[A-Za-z0-9]{12}$',
    example: '00DgL00000EuD9X',
  },
  options: [
    {
      name: 'deployment',
      description: 'Embedded Service deployment API name',
      required: true,
      pattern: '^[A-Za-z][A-Za-z0-9_]*$',
      example: 'FDE01',
    },
    {
      name: 'siteUrl',
      description: 'deployment site URL',
      required: true,
      pattern: '^https://[a-z0-9-]+(\\.[a-z0-9-]+)*\\.my\\.site\\.com/[A-Za-z0-9_/-]*$',
      example: 'https://x.my.site.com/ESWFDE011763545810631',
    },
    {
      name: 'scrt2Url',
      description: 'messaging (SCRT2) URL',
      required: true,
      pattern: '^https://[a-z0-9-]+(\\.[a-z0-9-]+)*\\.salesforce-scrt\\.com/?$',
      example: 'https://x.my.salesforce-scrt.com',
    },
    {
      name: 'language',
      description: 'widget language',
      required: false,
      pattern: '^[a-z]{2}(_[A-Z]{2})?$',
      default: 'en_US',
      example: 'en_US',
    },
  ],
  scriptUrls: [
    'https://{MyDomain}.my.site.com/ESW{Deployment}{id}/assets/js/bootstrap.min.js',
    'https://service.force.com/embeddedservice/5.0/esw.min.js (legacy Embedded Chat)',
  ],
  confidence: 'medium',
  unconfirmed: [
    'browser storage keys',
    'transport (WebSocket vs SSE) to salesforce-scrt.com',
    'launching the conversation with utilAPI.launchChat() (newer deployments only)',
  ],
  sources: [
    'https://developer.salesforce.com/docs/service/messaging-web/references/m4w-reference/userVerificationAPI.md',
    "public code (code-index 'embeddedservice_bootstrap.init(': my.site.com/ESW.../assets/js/bootstrap.min.js and my.salesforce-scrt.com)",
    'https://developer.salesforce.com/docs/atlas.en-us.252.0.snapins_web_dev.meta/snapins_web_dev/embedded_web_special_apis.htm (legacy chat start/end/clear)',
    'http://print.casetext.com/case/yockey-v-salesforce-inc-1',
  ],
};

export const adapter: VendorAdapter = defineAdapter({
  manifest,
  check(settings, errors: ConfigError[]) {
    const site = settings.siteUrl;
    if (typeof site === 'string' && /\/$/.test(site))
      errors.push({
        path: `vendors.${manifest.id}.siteUrl`,
        message: 'must not end with "/" (the adapter appends /assets/js/bootstrap.min.js)',
      });
  },
  load(settings, context) {
    const siteUrl = settings.string('siteUrl');
    // As the snippet: a global init function the script's onload calls.
    setGlobal('initEmbeddedMessaging', () => {
      try {
        const bootstrapSettings = getPath('embeddedservice_bootstrap', 'settings');
        if (isRecord(bootstrapSettings)) bootstrapSettings.language = settings.string('language');
        call(['embeddedservice_bootstrap', 'init'], settings.id, settings.string('deployment'), siteUrl, {
          scrt2URL: settings.string('scrt2Url'),
        });
      } catch (error) {
        console.error('Error loading Embedded Messaging: ', error);
      }
    });
    const script = injectScript(manifest.id, `${siteUrl}/assets/js/bootstrap.min.js`, context);
    script.addEventListener('load', () => call(['initEmbeddedMessaging']));
  },
  shutdown() {
    call(['embeddedservice_bootstrap', 'userVerificationAPI', 'clearSession'], true);
    call(['embeddedservice_bootstrap', 'utilAPI', 'removeAllComponents']);
  },
  open() {
    call(['embeddedservice_bootstrap', 'utilAPI', 'launchChat']);
  },
  selectors: ['.embedded-messaging', '#embedded-messaging'],
});
