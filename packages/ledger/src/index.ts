// The record's id formats, for the log server (which depends on the ledger only).
export { SUBJECT_ID, UUID } from '@allparty/core';
export type { Ack } from './ack';
export { ackNote, inboxTag, signAck, tagKey, tagMatches, verifyAck } from './ack';
export { canonicalBytes, canonicalJson } from './canonical';
export type { Checkpoint, CheckpointBody, CheckpointKeys } from './checkpoint';
export {
  checkpointNote,
  generateCheckpointKeys,
  keyFingerprint,
  keyIdOf,
  loadKeyFile,
  loadOrCreateKeyFile,
  publicKeyFromPem,
  publicKeyPem,
  signCheckpoint,
  verifyCheckpoint,
} from './checkpoint';
export type { NodeKey, NodeReader, TreeNode } from './merkle';
export {
  consistencyProof,
  EMPTY_ROOT,
  FastTreeBuilder,
  frontierKeys,
  inclusionProof,
  leafHash,
  neededNodes,
  nodeHash,
  rangeHash,
  rootFromFrontier,
  TreeBuilder,
  verifyConsistency,
  verifyInclusion,
} from './merkle';
export { parseRecord } from './parse';
export type { PostgresStoreOptions } from './postgres';
export { openPostgresStore } from './postgres';
export { consistencyProofBetween, inclusionProofAt, rootAt, toIngestEntry } from './proofs';
export type {
  KantaraReceipt,
  Receipt,
  ReceiptCheck,
  ReceiptFromStoreOptions,
  ReceiptParts,
  ReceiptStore,
  VerifyReceiptOptions,
} from './receipt';
export {
  buildReceipt,
  RECEIPT_FORMAT,
  ReceiptUnavailableError,
  receiptFromStore,
  receiptHtml,
  receiptJson,
  verifyReceipt,
} from './receipt';
export { consentRecordSchema, SERVER_FIELDS } from './schema';
export type { SqliteStoreOptions } from './sqlite';
export { openSqliteStore } from './sqlite';
export type {
  CheckpointSigner,
  InboxCheck,
  IngestEntry,
  IngestResult,
  LedgerStore,
  RecordQuery,
  SealPlan,
  SealResult,
  StoredRecord,
} from './store';
export { nodeKey, planSeal } from './store';
export type { RecordCheck, RecordValidatorOptions } from './validate';
export { createRecordValidator, uuidv7Time } from './validate';
export type { VerifyOptions, VerifyProblem, VerifyReport, VerifySource } from './verify';
export { verifyLog } from './verify';
export type { WitnessDecision, WitnessSubmission } from './witness';
export {
  fetchWitnessCheckpoint,
  judgeSubmission,
  parseCheckpoint,
  readTrustedCheckpoints,
} from './witness';
