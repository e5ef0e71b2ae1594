// vanilla-cookieconsent 3.1 on the bench's shop page, wired as its getting-started page says
// (a module that imports the UMD build and runs it), with the purposes the allparty config of
// the same page asks about and the same first-layer texts. Served by bench/page-cost.mjs, which
// puts the UMD build's versioned URL in place of __CC_UMD__. One setting departs from the
// defaults: hideFromBots is off, since cookieconsent hides from navigator.webdriver, which an
// automated browser sets.
import '__CC_UMD__';

window.CookieConsent.run({
  hideFromBots: false,
  categories: {
    necessary: { enabled: true, readOnly: true },
    analytics: {},
    replay: {},
    chat: {},
  },
  language: {
    default: 'en',
    translations: {
      en: {
        consentModal: {
          title: 'Your privacy choices',
          description:
            'We would like to use the services below. Each one gets data only if you agree, and nothing loads until you choose. You can change your mind at any time under "Privacy choices".',
          acceptAllBtn: 'Accept all',
          acceptNecessaryBtn: 'Reject all',
          showPreferencesBtn: 'Choose',
          footer: '<a href="/site/privacy.html">Privacy policy</a>',
        },
        preferencesModal: {
          title: 'Privacy preferences',
          acceptAllBtn: 'Accept all',
          acceptNecessaryBtn: 'Reject all',
          savePreferencesBtn: 'Save choices',
          closeIconLabel: 'Close',
          sections: [
            { title: 'Choose what each service may do', description: 'Nothing is on unless you turn it on.' },
            {
              title: 'Necessary',
              description: 'Remembers your privacy choices on this site. Always on.',
              linkedCategory: 'necessary',
            },
            {
              title: 'Analytics',
              description: 'Counts visits and measures how the site is used. Google Analytics 4.',
              linkedCategory: 'analytics',
            },
            {
              title: 'Session recording',
              description: 'Records what you do on the page so the site can replay it. Hotjar.',
              linkedCategory: 'replay',
            },
            {
              title: 'Chat',
              description: 'Lets you chat with us through a chat service. Intercom.',
              linkedCategory: 'chat',
            },
          ],
        },
      },
    },
  },
});
