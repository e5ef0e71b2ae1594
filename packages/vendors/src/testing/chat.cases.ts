import { expect, it, vi } from 'vitest';
import { adapters } from './adapters';
import type { AdapterCase } from './harness';
import { contextFor, entries, fireLoad, read, resetPage, vendorScripts, w } from './harness';

const salesforce = {
  siteId: '00DgL00000EuD9X',
  deployment: 'FDE01',
  siteUrl: 'https://x.my.site.com/ESWFDE011763545810631',
  scrt2Url: 'https://x.my.salesforce-scrt.com',
};

export const chatCases: Record<string, AdapterCase> = {
  intercom: {
    src: 'https://widget.intercom.io/widget/abc12345',
    loaded() {
      expect(w.intercomSettings).toEqual({ api_base: 'https://api-iam.intercom.io', app_id: 'abc12345' });
      expect(read('Intercom.q')).toEqual([]);
    },
    stopApi: {
      install() {},
      stopped() {
        expect(read('Intercom.q')).toEqual([['shutdown']]);
      },
    },
    widget: '#intercom-container',
    opened() {
      expect(read('Intercom.q')).toEqual([['show']]);
    },
    more() {
      it('uses the regional api_base', () => {
        resetPage();
        adapters.intercom!.load(contextFor('intercom', { siteId: 'abc12345', region: 'eu' }));
        expect(read('intercomSettings.api_base')).toBe('https://api-iam.eu.intercom.io');
      });
    },
  },
  drift: {
    src: /^https:\/\/js\.driftt\.com\/include\/\d+\/mdgc5huhubck\.js$/,
    scriptAttributes: { crossorigin: 'anonymous' },
    loaded() {
      expect(w.driftt).toBe(w.drift);
      expect(read('drift.invoked')).toBe(true);
      expect(read('drift.SNIPPET_VERSION')).toBe('0.3.1');
      (read('drift.track') as (e: string) => void)('viewed');
      expect(entries(w.drift)).toEqual([['track', 'viewed']]);
    },
    stopApi: {
      install() {
        w.drift = { reset: vi.fn(), unload: vi.fn() };
      },
      stopped() {
        expect(read('drift.reset')).toHaveBeenCalledTimes(1);
        expect(read('drift.unload')).toHaveBeenCalledTimes(1);
      },
    },
    widget: '#drift-widget-container',
    opened() {
      const [call = []] = entries(w.drift);
      expect(call[0]).toBe('on');
      expect(call[1]).toBe('ready');
      const api = { openChat: vi.fn() };
      (call[2] as (api: unknown) => void)(api);
      expect(api.openChat).toHaveBeenCalledTimes(1);
    },
  },
  'zendesk-messaging': {
    src: 'https://static.zdassets.com/ekr/snippet.js?key=00000000-0000-0000-0000-000000000000',
    scriptAttributes: { id: 'ze-snippet' },
    loaded() {},
    vendorArrives() {
      w.zE = vi.fn();
      fireLoad('zendesk-messaging');
      expect(w.zE).toHaveBeenCalledWith('messenger:set', 'cookies', 'functional');
    },
    stopApi: {
      install() {
        w.zE = vi.fn();
      },
      stopped() {
        const zE = w.zE as ReturnType<typeof vi.fn>;
        expect(zE.mock.calls).toEqual([
          ['messenger', 'close'],
          ['messenger', 'hide'],
          ['messenger:set', 'cookies', 'none'],
        ]);
      },
    },
    beforeOpen() {
      w.zE = vi.fn();
    },
    opened() {
      expect(w.zE).toHaveBeenCalledWith('messenger', 'open');
    },
  },
  'zendesk-classic': {
    src: 'https://static.zdassets.com/ekr/snippet.js?key=00000000-0000-0000-0000-000000000000',
    scriptAttributes: { id: 'ze-snippet' },
    loaded() {},
    stopApi: {
      install() {
        w.zE = vi.fn();
      },
      stopped() {
        expect(w.zE).toHaveBeenCalledWith('webWidget', 'hide');
      },
    },
    widget: '#launcher',
    beforeOpen() {
      w.zE = vi.fn();
    },
    opened() {
      expect(w.zE).toHaveBeenCalledWith('webWidget', 'open');
    },
  },
  livechat: {
    src: 'https://cdn.livechatinc.com/tracking.js',
    loaded() {
      expect(w.__lc).toEqual({
        license: 12345678,
        integration_name: 'manual_channels',
        product_name: 'livechat',
      });
      expect(read('LiveChatWidget._v')).toBe('2.0');
      expect(() => (read('LiveChatWidget.get') as () => void)()).toThrow(/before load/);
    },
    stopApi: {
      install() {},
      stopped() {
        expect(read('LiveChatWidget._q')).toEqual([['call', ['destroy']]]);
      },
    },
    widget: '#chat-widget-container',
    opened() {
      expect(read('LiveChatWidget._q')).toEqual([['call', ['maximize']]]);
    },
  },
  'hubspot-chat': {
    src: 'https://js.hs-scripts.com/123456.js',
    scriptAttributes: { id: 'hs-script-loader' },
    loaded() {
      // Chat only: HubSpot's analytics tracking code is told not to track before it loads.
      expect(entries(w._hsq)).toEqual([['doNotTrack']]);
    },
    stopApi: {
      install() {
        w.HubSpotConversations = { clear: vi.fn(), widget: { remove: vi.fn() } };
      },
      stopped() {
        expect(read('HubSpotConversations.clear')).toHaveBeenCalledWith({ resetWidget: true });
        expect(read('HubSpotConversations.widget.remove')).toHaveBeenCalledTimes(1);
      },
    },
    widget: '#hubspot-messages-iframe-container',
    opened() {
      const ready = w.hsConversationsOnReady as Array<() => void>;
      expect(ready).toHaveLength(1);
      w.HubSpotConversations = { widget: { open: vi.fn() } };
      ready[0]!();
      expect(read('HubSpotConversations.widget.open')).toHaveBeenCalledTimes(1);
    },
    more() {
      it('loads from the EU data centre', () => {
        resetPage();
        adapters['hubspot-chat']!.load(contextFor('hubspot-chat', { siteId: '123456', region: 'eu1' }));
        expect(vendorScripts('hubspot-chat')[0]?.getAttribute('src')).toBe(
          'https://js-eu1.hs-scripts.com/123456.js',
        );
      });
    },
  },
  crisp: {
    src: 'https://client.crisp.chat/l.js',
    loaded() {
      expect(w.$crisp).toEqual([]);
      expect(w.CRISP_WEBSITE_ID).toBe('00000000-0000-0000-0000-000000000000');
    },
    stopApi: {
      install() {},
      stopped() {
        expect(w.$crisp).toEqual([
          ['do', 'chat:hide'],
          ['do', 'session:reset'],
        ]);
      },
    },
    widget: '.crisp-client',
    opened() {
      expect(w.$crisp).toEqual([['do', 'chat:open']]);
    },
  },
  tidio: {
    src: 'https://code.tidio.co/abcdefghijklmnopqrstuvwxyz123456.js',
    loaded() {},
    stopApi: {
      install() {
        w.tidioChatApi = { hide: vi.fn() };
      },
      stopped() {
        expect(read('tidioChatApi.hide')).toHaveBeenCalledTimes(1);
      },
    },
    widget: '#tidio-chat',
    opened() {
      const open = vi.fn();
      w.tidioChatApi = { open };
      document.dispatchEvent(new Event('tidioChat-ready'));
      expect(open).toHaveBeenCalledTimes(1);
    },
  },
  olark: {
    src: 'https://static.olark.com/jsclient/loader.js',
    loaded() {
      expect(read('olark._.s')).toEqual([['identify', '1234-567-89-0123']]);
      expect(read('olark._.l')).toBe('static.olark.com/jsclient/loader.js');
    },
    stopApi: {
      install() {},
      stopped() {
        expect((read('olark._.s') as unknown[][]).at(-1)).toEqual(['api.box.hide']);
      },
    },
    widget: '#olark-wrapper',
    opened() {
      expect((read('olark._.s') as unknown[][]).at(-1)).toEqual(['api.box.expand']);
    },
  },
  'tawk-to': {
    src: 'https://embed.tawk.to/5f0000000000000000000000/default',
    scriptAttributes: { charset: 'UTF-8', crossorigin: '*' },
    loaded() {
      expect(w.Tawk_API).toEqual({});
      expect(w.Tawk_LoadStart).toBeInstanceOf(Date);
    },
    stopApi: {
      install() {
        w.Tawk_API = { endChat: vi.fn(), shutdown: vi.fn() };
      },
      stopped() {
        expect(read('Tawk_API.endChat')).toHaveBeenCalledTimes(1);
        expect(read('Tawk_API.shutdown')).toHaveBeenCalledTimes(1);
      },
    },
    opened() {
      const maximize = vi.fn();
      const api = w.Tawk_API as Record<string, unknown>;
      expect(api.onLoad).toBeTypeOf('function');
      api.maximize = maximize;
      (api.onLoad as () => void)();
      expect(maximize).toHaveBeenCalledTimes(1);
    },
  },
  'salesforce-messaging': {
    settings: salesforce,
    src: 'https://x.my.site.com/ESWFDE011763545810631/assets/js/bootstrap.min.js',
    loaded() {
      expect(w.initEmbeddedMessaging).toBeTypeOf('function');
    },
    vendorArrives() {
      const init = vi.fn();
      w.embeddedservice_bootstrap = { settings: {}, init };
      fireLoad('salesforce-messaging');
      expect(read('embeddedservice_bootstrap.settings.language')).toBe('en_US');
      expect(init).toHaveBeenCalledWith('00DgL00000EuD9X', 'FDE01', salesforce.siteUrl, {
        scrt2URL: salesforce.scrt2Url,
      });
    },
    stopApi: {
      install() {
        w.embeddedservice_bootstrap = {
          userVerificationAPI: { clearSession: vi.fn() },
          utilAPI: { removeAllComponents: vi.fn() },
        };
      },
      stopped() {
        expect(read('embeddedservice_bootstrap.userVerificationAPI.clearSession')).toHaveBeenCalledWith(true);
        expect(read('embeddedservice_bootstrap.utilAPI.removeAllComponents')).toHaveBeenCalledTimes(1);
      },
    },
    widget: '.embedded-messaging',
    beforeOpen() {
      w.embeddedservice_bootstrap = { utilAPI: { launchChat: vi.fn() } };
    },
    opened() {
      expect(read('embeddedservice_bootstrap.utilAPI.launchChat')).toHaveBeenCalledTimes(1);
    },
  },
  freshchat: {
    src: 'https://wchat.freshchat.com/js/widget.js',
    scriptAttributes: { id: 'freshchat-js-sdk' },
    loaded() {},
    vendorArrives() {
      w.fcWidget = { init: vi.fn() };
      fireLoad('freshchat');
      expect(read('fcWidget.init')).toHaveBeenCalledWith({
        token: '00000000-0000-0000-0000-000000000000',
        host: 'https://wchat.freshchat.com',
      });
    },
    stopApi: {
      install() {
        w.fcWidget = { user: { clear: vi.fn() }, destroy: vi.fn() };
      },
      stopped() {
        expect(read('fcWidget.user.clear')).toHaveBeenCalledTimes(1);
        expect(read('fcWidget.destroy')).toHaveBeenCalledTimes(1);
      },
    },
    widget: '#fc_frame',
    beforeOpen() {
      w.fcWidget = { open: vi.fn() };
    },
    opened() {
      expect(read('fcWidget.open')).toHaveBeenCalledTimes(1);
    },
  },
};
