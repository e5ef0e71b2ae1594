/**
 * English texts: the reference set. Every other language has exactly these keys (a unit
 * test checks it), and every key can be overridden per language in `config.texts`.
 * `{name}` placeholders are filled in at render time.
 */
export const en = {
  // The launcher (always on the page; the same keys are inlined there, see launcher-texts.ts).
  privacyChoices: 'Privacy choices',
  chatWithUs: 'Chat with us',
  recording: 'This visit is recorded by {vendors}',
  stopRecording: 'Stop recording',
  withdrawConsent: 'Withdraw consent',

  // First layer.
  title: 'Your privacy choices',
  body: 'We would like to use the services below. Each one gets data only if you agree, and nothing loads until you choose. You can change your mind at any time under "Privacy choices".',
  changedTitle: 'We need to ask you again',
  changedBody:
    'The services below are new or have changed since your last choice, or that choice has expired. Each one gets data only if you agree, and nothing of theirs loads until you choose. Your other choices stay as they are; you can change them at any time under "Privacy choices".',
  vendorList: 'Full vendor list',
  acceptAll: 'Accept all',
  rejectAll: 'Reject all',
  choose: 'Choose',
  policy: 'Privacy policy',
  gpcHonored: 'Opt-out request honored',
  gpcDetail:
    'Your browser sent a Global Privacy Control signal, so advertising and the sale or sharing of your data are off.',

  // Preferences.
  preferencesTitle: 'Privacy preferences',
  preferencesBody: 'Choose what each service may do. Nothing is on unless you turn it on.',
  save: 'Save choices',
  close: 'Close',
  necessaryTitle: 'Necessary',
  necessaryBody: 'Remembers your privacy choices on this site. Always on.',
  analyticsTitle: 'Analytics',
  analyticsBody: 'Counts visits and measures how the site is used.',
  advertisingTitle: 'Advertising',
  advertisingBody: 'Measures and personalises ads, and may share or sell data about your visit.',
  replayTitle: 'Session recording',
  replayBody: 'Records what you do on the page so the site can replay it.',
  chatTitle: 'Chat',
  chatBody: 'Lets you chat with us through a chat service.',
  videoTitle: 'Videos and maps',
  videoBody: 'Shows videos and maps from the services that host them.',
  vendorCaptures: 'What it receives: {items}.',
  vendorOwnUse: 'Its own use of the data: {ownUse}.',
  ownUseInPolicy: 'as its privacy policy says',
  vendorPolicy: "{name}'s privacy policy",
  vendorNoOwnUse: 'Uses the data only to provide its service to us.',
  vendorCookies: 'Cookies: {count}; the longest is kept {max}.',
  vendorNoCookies: 'Sets no cookies.',
  and: 'and',
  session: 'until you close the browser',
  lifetimeInPolicy: 'as long as its privacy policy says',
  year: '{n} year',
  years: '{n} years',
  month: '{n} month',
  months: '{n} months',
  week: '{n} week',
  weeks: '{n} weeks',
  day: '{n} day',
  days: '{n} days',
  hour: '{n} hour',
  hours: '{n} hours',
  minute: '{n} minute',
  minutes: '{n} minutes',

  // Chat-start gate.
  chatGateTitle: 'Start a chat with {name}?',
  chatGateBody:
    'This chat is provided by {legalName}. Your messages are sent to, recorded and stored by {legalName}.',
  chatGateOwnUse: "{legalName}'s own use of your messages: {ownUse}.",
  chatAccept: 'Agree and start chat',
  chatDecline: 'No thanks',
  chatDeclined: 'No chat was started and nothing was sent.',
  chatAlternative: 'You can reach us without a recorded chat:',
  contact: 'Contact us',

  // Click-to-load embeds.
  embedTitle: 'Content from {name}',
  embedBody: 'If you load it, {legalName} receives {items}.',
  embedOnce: 'Load once',
  embedAlways: 'Always allow',

  // Privacy choices: the visitor's consent receipt (R20).
  receipt: 'Download my consent receipt',
  receiptPending: 'Your choice is still being logged; the receipt will download shortly.',
  receiptDone: 'Receipt downloaded.',
  receiptFailed: 'Could not download the receipt. Try again later.',
} as const;

/** Every text key of the banner. */
export type TextKey = keyof typeof en;

/** A complete set of texts for one language. */
export type Messages = Record<TextKey, string>;
