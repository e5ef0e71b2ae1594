import * as adobeAnalytics from './adapters/adobe-analytics';
import * as amplitude from './adapters/amplitude';
import * as contentsquare from './adapters/contentsquare';
import * as crisp from './adapters/crisp';
import * as drift from './adapters/drift';
import * as freshchat from './adapters/freshchat';
import * as fullstory from './adapters/fullstory';
import * as googleAnalytics4 from './adapters/google-analytics-4';
import * as googleMaps from './adapters/google-maps';
import * as googleTagManager from './adapters/google-tag-manager';
import * as heap from './adapters/heap';
import * as hotjar from './adapters/hotjar';
import * as hubspotChat from './adapters/hubspot-chat';
import * as inspectlet from './adapters/inspectlet';
import * as intercom from './adapters/intercom';
import * as linkedinInsight from './adapters/linkedin-insight';
import * as livechat from './adapters/livechat';
import * as logrocket from './adapters/logrocket';
import * as luckyOrange from './adapters/lucky-orange';
import * as metaPixel from './adapters/meta-pixel';
import * as microsoftClarity from './adapters/microsoft-clarity';
import * as microsoftUet from './adapters/microsoft-uet';
import * as mixpanel from './adapters/mixpanel';
import * as mouseflow from './adapters/mouseflow';
import * as olark from './adapters/olark';
import * as pinterestTag from './adapters/pinterest-tag';
import * as posthog from './adapters/posthog';
import * as quantumMetric from './adapters/quantum-metric';
import * as redditPixel from './adapters/reddit-pixel';
import * as salesforceMessaging from './adapters/salesforce-messaging';
import * as segment from './adapters/segment';
import * as sentryReplay from './adapters/sentry-replay';
import * as smartlook from './adapters/smartlook';
import * as snapPixel from './adapters/snap-pixel';
import * as tawkTo from './adapters/tawk-to';
import * as tidio from './adapters/tidio';
import * as tiktokPixel from './adapters/tiktok-pixel';
import * as vimeo from './adapters/vimeo';
import * as xPixel from './adapters/x-pixel';
import * as youtube from './adapters/youtube';
import * as zendeskClassic from './adapters/zendesk-classic';
import * as zendeskMessaging from './adapters/zendesk-messaging';
import type { VendorAdapter, VendorManifest } from './types';

/**
 * Every adapter, keyed by id, in the catalog's order (replay, chat, analytics and advertising),
 * then the embeds. Importing this pulls in every adapter; a page that needs one should import
 * `@allparty/vendors/<id>` or use `loadAdapter(id)`.
 */
export const adapters: Readonly<Record<string, VendorAdapter>> = {
  fullstory: fullstory.adapter,
  hotjar: hotjar.adapter,
  contentsquare: contentsquare.adapter,
  'microsoft-clarity': microsoftClarity.adapter,
  logrocket: logrocket.adapter,
  mouseflow: mouseflow.adapter,
  smartlook: smartlook.adapter,
  heap: heap.adapter,
  'quantum-metric': quantumMetric.adapter,
  posthog: posthog.adapter,
  'sentry-replay': sentryReplay.adapter,
  'lucky-orange': luckyOrange.adapter,
  inspectlet: inspectlet.adapter,
  intercom: intercom.adapter,
  drift: drift.adapter,
  'zendesk-messaging': zendeskMessaging.adapter,
  'zendesk-classic': zendeskClassic.adapter,
  livechat: livechat.adapter,
  'hubspot-chat': hubspotChat.adapter,
  crisp: crisp.adapter,
  tidio: tidio.adapter,
  olark: olark.adapter,
  'tawk-to': tawkTo.adapter,
  'salesforce-messaging': salesforceMessaging.adapter,
  freshchat: freshchat.adapter,
  'google-analytics-4': googleAnalytics4.adapter,
  'google-tag-manager': googleTagManager.adapter,
  'meta-pixel': metaPixel.adapter,
  'tiktok-pixel': tiktokPixel.adapter,
  'linkedin-insight': linkedinInsight.adapter,
  segment: segment.adapter,
  mixpanel: mixpanel.adapter,
  amplitude: amplitude.adapter,
  'snap-pixel': snapPixel.adapter,
  'pinterest-tag': pinterestTag.adapter,
  'x-pixel': xPixel.adapter,
  'reddit-pixel': redditPixel.adapter,
  'microsoft-uet': microsoftUet.adapter,
  'adobe-analytics': adobeAnalytics.adapter,
  youtube: youtube.adapter,
  vimeo: vimeo.adapter,
  'google-maps': googleMaps.adapter,
};

/** Every manifest, in the same order as {@link adapters}. */
export const manifests: readonly VendorManifest[] = Object.values(adapters).map((a) => a.manifest);
