/** True in debug builds and tests; false in production bundles, which drop dev-only warnings. */
declare const __DEV__: boolean;

/**
 * True where config errors carry their explanations (npm builds, tests, debug bundles, the lazy
 * `allparty-config-errors.js`); false in the embed's main bundle, which names the bad fields
 * at once and loads the explanations only when a config is invalid.
 */
declare const __EXPLAIN__: boolean;

interface Navigator {
  /** Global Privacy Control (https://privacycg.github.io/gpc-spec/). */
  readonly globalPrivacyControl?: boolean;
}

/** APIs the guard hooks where the browser has them (not yet in TypeScript's DOM library). */
interface Window {
  fetchLater?: (input: RequestInfo | URL, init?: object) => object;
  FetchLaterResult?: { prototype: object };
  WebTransport?: { prototype: object };
}
