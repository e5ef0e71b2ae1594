/** True in debug builds and tests; false in production bundles, which drop dev-only warnings. */
declare const __DEV__: boolean;

interface Navigator {
  /** Global Privacy Control (https://privacycg.github.io/gpc-spec/). */
  readonly globalPrivacyControl?: boolean;
}
