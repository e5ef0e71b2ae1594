/**
 * The chunk protocol: the files `allparty.js` loads on demand from beside itself, and the global
 * each sets when it runs. `rollup.config.ts` builds the files under these names and writes the
 * code that sets the globals; the embed and the launcher load them and read the globals by the
 * same names. Each side declares the type of a global it reads as `[CHUNK_GLOBALS.x]`, so a
 * renamed global is a compile error wherever it is read, not a chunk that silently never loads.
 */

/** Chunk names (a chunk's file is {@link chunkFile} of its name). */
export const BANNER_CHUNK = 'allparty-banner';
export const QUEUE_CHUNK = 'allparty-queue';
export const CONFIG_ERRORS_CHUNK = 'allparty-config-errors';
/** The helpers every adapter chunk shares, loaded once before the first one. */
export const VENDOR_LIB_CHUNK = 'vendors/lib';

/** One vendor's adapter code. */
export const adapterChunk = (vendor: string): string => `vendors/${vendor}`;
/** What the banner says about one vendor (texts only, no adapter code). */
export const noticeChunk = (vendor: string): string => `notices/${vendor}`;
/** The banner's texts in one language other than English. */
export const bannerTextsChunk = (language: string): string => `${BANNER_CHUNK}.${language}`;

/** A chunk's file, beside the embed: the minified build or its readable debug twin. */
export const chunkFile = (chunk: string, debug?: boolean): string => chunk + (debug ? '.debug.js' : '.js');

/**
 * The URL of the banner texts in `language` beside the banner chunk at `bannerSrc` (which may be
 * the debug twin, and carry a query): `allparty-banner.js` → `allparty-banner.es.js`.
 */
export function bannerTextsUrl(bannerSrc: string, language: string): string {
  return bannerSrc.replace(/(\.debug)?\.js(?=$|[?#])/, `.${language}$1.js`);
}

/** The globals the chunks set (`window.allpartyUi`, …). */
export const CHUNK_GLOBALS = {
  /** The banner chunk's UI module. */
  ui: 'allpartyUi',
  /** Banner texts chunks, by language. */
  uiMessages: 'allpartyUiMessages',
  /** The queue chunk's sender factory. */
  queue: 'allpartyQueue',
  /** The config explanations chunk's formatter. */
  configErrors: 'allpartyConfigErrors',
  /** Adapter chunks, by vendor id. */
  adapters: 'allpartyAdapters',
  /** The vendor helpers chunk's modules (adapter chunks read their imports from it). */
  vendorLib: 'allpartyVendorLib',
  /** Notice chunks, by vendor id. */
  notices: 'allpartyNotices',
} as const;

/**
 * Loads one script (a chunk beside the embed) the way every chunk is loaded: a `<script>` with the
 * page's CSP nonce at the end of `<head>`. Resolves as {@link scriptLoaded}.
 */
export function loadScript(url: string, nonce?: string | null, doc: Document = document): Promise<boolean> {
  const script = doc.createElement('script');
  script.src = url;
  if (nonce) script.nonce = nonce;
  doc.head.append(script);
  return scriptLoaded(script);
}

/**
 * Resolves true once a script element has run, or false, after saying so in the console, when it
 * could not be loaded. Listeners, not `onload`, so another caller waiting on the same element (the
 * banner chunk, for the texts the launcher started loading) does not take its place.
 */
export function scriptLoaded(script: HTMLScriptElement): Promise<boolean> {
  return new Promise((resolve) => {
    script.addEventListener('load', () => resolve(true));
    script.addEventListener('error', () => {
      console.error(`allparty: could not load ${script.src}`);
      resolve(false);
    });
  });
}
