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
export type { Consent, ConsentEventName, ConsentEvents, ConsentOptions, DecisionOptions } from './consent';
export { applyGpc, createConsent, SDK_VERSION } from './consent';
export type { CookieStorageOptions } from './cookie-storage';
export { cookieStorage, readCookie } from './cookie-storage';
export type { GateCheck, Gating, GatingOptions } from './gating';
export { createGating } from './gating';
export type { Guard, GuardOptions, Verdict, Via } from './guard/guard';
export { createGuard } from './guard/guard';
export type { HostRule, HostTable } from './guard/hosts';
export { compileHostTable, matchHost, parseHostPattern, siteOf, toAsciiHost } from './guard/hosts';
export { HELD_PREFIX, neutralizeHtml } from './guard/html';
export { subjectId, uuidv7 } from './ids';
export { normalizeNoticeText, noticeFingerprints, noticeHash, stableStringify } from './notice';
export type { BuiltinPurpose, PurposeId } from './purposes';
export { BUILTIN_PURPOSES, CONTENT_PURPOSES, GPC_PURPOSES, isPurposeId, NECESSARY } from './purposes';
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
  Choices,
  ConsentContext,
  ConsentEffect,
  ConsentEvent,
  ConsentState,
  ConsentView,
  DecisionMethod,
  PurposeDecision,
  RecordEvent,
} from './state';
export { initialState, transition, view } from './state';
export type { ConsentStorage } from './storage';
export { decodeState, encodeState, memoryStorage, STORAGE_VERSION, STORED_VALUE } from './storage';
export type { SettingRule, VendorDescriptor } from './vendor';
