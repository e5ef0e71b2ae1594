export { canonicalBytes, canonicalJson } from './canonical';
export type { Checkpoint, CheckpointBody, CheckpointKeys } from './checkpoint';
export {
  checkpointNote,
  generateCheckpointKeys,
  keyIdOf,
  loadOrCreateKeyFile,
  publicKeyFromPem,
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
export type { PostgresStoreOptions } from './postgres';
export { openPostgresStore } from './postgres';
export { consistencyProofBetween, inclusionProofAt, rootAt, toIngestEntry } from './proofs';
export { consentRecordSchema, SERVER_FIELDS } from './schema';
export type { SqliteStoreOptions } from './sqlite';
export { openSqliteStore } from './sqlite';
export type {
  CheckpointSigner,
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
