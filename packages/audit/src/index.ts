export type {
  KantaraReceipt,
  Receipt,
  ReceiptCheck,
  ReceiptFromStoreOptions,
  ReceiptParts,
  VerifyReceiptOptions,
} from '@allparty/ledger';
// Receipts are built in the ledger (the log server serves them too); the CLI re-exports them.
export {
  buildReceipt,
  RECEIPT_FORMAT,
  ReceiptUnavailableError,
  receiptFromStore,
  receiptHtml,
  receiptJson,
  verifyReceipt,
} from '@allparty/ledger';
export type { ExportBundleOptions, ExportBundleResult, VerifyBundleOptions } from './bundle';
export { coverRange, exportBundle, foldRoot, verifyBundle } from './bundle';
export type { AuditIo } from './commands';
export { runAudit, USAGE } from './commands';
export type { ExportRecordsOptions, Sink } from './export';
export { CSV_COLUMNS, csvField, exportRecords } from './export';
export type { Progress, ProgressOutput } from './progress';
export { progressBar } from './progress';
export type { ReportOptions } from './report';
export { renderReport, reportCharts } from './report';
export type { Paint, Timeline, TimelineDecision, TimelineFinding, VendorFirstLoad } from './show';
export { buildTimeline, formatTimeline, paint } from './show';
export type {
  AuditSource,
  AuditStore,
  Bundle,
  BundleConsistency,
  BundleManifest,
  BundleTree,
  OpenSourceOptions,
} from './source';
export { openSource, readBundle, recordsInRange } from './source';
export type { AuditStats, CollectStatsOptions, ViolationRow } from './stats';
export { collectStats, formatStats, StatsCollector } from './stats';
export type { AuditProblem, AuditVerifyReport, VerifyStoreOptions } from './verify';
export { verifyStore } from './verify';
