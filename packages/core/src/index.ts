export {
  adapterChunk,
  BANNER_CHUNK,
  bannerTextsChunk,
  bannerTextsUrl,
  CHUNK_GLOBALS,
  CONFIG_ERRORS_CHUNK,
  chunkFile,
  loadScript,
  noticeChunk,
  QUEUE_CHUNK,
  scriptLoaded,
  VENDOR_LIB_CHUNK,
} from './chunks';
export type {
  AllpartyConfig,
  ConfigError,
  ConfigResult,
  ControllerSettings,
  ParseConfigOptions,
  PurposeSettings,
  VendorSettings,
} from './config';
export { formatConfigErrors, isHostPattern, MAX_EXPIRY_DAYS, parseConfig, settingErrors } from './config';
export type { Consent, ConsentOptions, DecisionOptions } from './consent';
export { applyGpc, createConsent, SDK_VERSION } from './consent';
export type { ConsentEventName, ConsentEvents } from './consent-events';

export type { ControlId } from './controls';
export { CONTROLS } from './controls';
export type { CookieStorageOptions } from './cookie-storage';
export { cookieStorage, readCookie } from './cookie-storage';
export { escapeHtml } from './escape';
export type { GateCheck, Gating, GatingOptions } from './gating';
export { createGating } from './gating';
export type { Guard, GuardOptions, Verdict, Via } from './guard/guard';
export { createGuard } from './guard/guard';
export type { HostRule, HostTable } from './guard/hosts';
export { compileHostTable, matchHost, parseHostPattern, siteOf, toAsciiHost } from './guard/hosts';
export { HELD_PREFIX, neutralizeHtml } from './guard/html';
export { SUBJECT_ID, subjectId, UUID, UUIDV7, uuidv7 } from './ids';
export { normalizeNoticeText, noticeFingerprints, noticeHash, stableStringify } from './notice';
export type { BuiltinPurpose, PurposeId } from './purposes';
export {
  BUILTIN_PURPOSES,
  CONTENT_PURPOSES,
  GPC_PURPOSES,
  isPurposeId,
  NECESSARY,
  PURPOSE_ID,
} from './purposes';
export type {
  QueueSender,
  QueueStorage,
  QueueStore,
  QueueStoreOptions,
  RecordQueue,
  RecordQueueOptions,
  RecordWriter,
  StoredQueue,
} from './queue';
export { createQueueSender, createQueueStore, createRecordQueue, recordWriter } from './queue';
export type { ConsentRecord, LoadEvent, LoadEventKind } from './record';
export { RECORD_SCHEMA } from './record';
export { sha256 } from './sha256';
export type {
  CheckedChoices,
  Choices,
  ConsentContext,
  ConsentEffect,
  ConsentEvent,
  ConsentState,
  ConsentView,
  DecisionMethod,
  FullChoices,
  PurposeDecision,
  RecordEvent,
} from './state';
export {
  anyGranted,
  bulkChoices,
  checkChoices,
  currentChoices,
  gpcBlocks,
  gpcOptOut,
  initialState,
  reaskedVendors,
  togglePurpose,
  toggleVendor,
  transition,
  vendorAllowed,
  vendorGrant,
  view,
} from './state';
export type { ConsentStorage } from './storage';
export { decodeState, encodeState, memoryStorage, STORAGE_VERSION, STORED_VALUE } from './storage';
export type { SettingRule, VendorDescriptor } from './vendor';
export { VENDOR_ID } from './vendor';
