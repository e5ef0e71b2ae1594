/**
 * Plain words for what vendors capture (R6), shared so the same fact reads the same way in every
 * banner. Contents are what CIPA § 631 protects; addressing data is what § 638.51 covers.
 */
export const CONTENTS = {
  replay: 'a recording of your visit: your clicks, mouse movements, scrolling and taps',
  pageText: 'the text on the pages you view',
  typing: 'what you type into forms, even before you submit it',
  url: 'the full address of each page you visit, which can include what you searched for',
  buttons: 'the labels of buttons you click',
  chat: 'the text of your chat messages',
  chatFiles: 'files and images you send in the chat',
  chatIdentity: 'your name and email address if you give them in the chat',
  network: 'the requests the page makes while you use it, and errors it shows',
} as const;

export const ADDRESSING = {
  ip: 'your IP address',
  device: 'your browser, device and screen size',
  visitorId: 'an identifier stored in your browser that recognises you on your next visit',
  referrer: 'the page you came from',
  pages: 'which pages you visit and when',
  adClick: 'which ad you clicked to get here',
} as const;

/** Phrases for typing previews in chat (R12). */
export const NO_TYPING_PREVIEW_API =
  'Typing previews: no client setting to turn them off was found; check the vendor account settings and say so in the notice if they are on.';
