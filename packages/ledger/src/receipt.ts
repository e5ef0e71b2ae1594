/**
 * Receipts (R20; Kantara Consent Receipt v1.1 § 4.7): what a visitor agreed to, when and with
 * whom, carrying the record's RFC 9162 inclusion proof, the signed checkpoint it proves into and
 * the log's public key, so anyone can check it without trusting the site.
 *
 * A receipt is checked by rebuilding it: the record, the proof, the checkpoint, the key and the
 * notice text are verified, then the whole file is produced again from them and must be equal
 * byte for byte. So any change to any byte — a field, the wording, the layout — fails.
 */
import { createHash, type KeyObject } from 'node:crypto';
import type { ConsentRecord, ControlId } from '@allparty/core';
import { canonicalBytes, canonicalJson } from './canonical';
import {
  type Checkpoint,
  keyFingerprint,
  keyIdOf,
  publicKeyFromPem,
  publicKeyPem,
  verifyCheckpoint,
} from './checkpoint';
import { leafHash, verifyInclusion } from './merkle';
import { parseRecord } from './parse';
import { inclusionProofAt } from './proofs';
import type { LedgerStore } from './store';
import { uuidv7Time } from './validate';

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : 'invalid time');
const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The receipt format version. */
export const RECEIPT_FORMAT = 'allparty.receipt/1';

/** A Kantara Consent Receipt v1.1 view of the record (field names from the specification). */
export interface KantaraReceipt {
  version: 'KI-CR-v1.1.0';
  jurisdiction: string;
  /** Seconds since the epoch. */
  consentTimestamp: number;
  collectionMethod: string;
  consentReceiptID: string;
  publicKey: string;
  language: string;
  piiPrincipalId: string;
  piiControllers: Array<{
    piiController: string;
    contact?: string;
    email?: string;
    address?: string;
    phone?: string;
    piiControllerUrl: string;
  }>;
  policyUrl: string | null;
  services: Array<{
    service: string;
    purposes: Array<{
      purpose: string;
      purposeCategory: string[];
      consentType: 'EXPLICIT';
      piiCategory: string[];
      primaryPurpose: boolean;
      termination: string;
      thirdPartyDisclosure: boolean;
      thirdPartyName: string;
    }>;
  }>;
  sensitive: boolean;
  spiCat: string[];
}

/** A receipt. */
export interface Receipt {
  receipt: typeof RECEIPT_FORMAT;
  /** The receipt in plain sentences. */
  summary: string[];
  kantara: KantaraReceipt;
  /** The consent record, as sealed (its canonical bytes are the Merkle leaf). */
  record: ConsentRecord;
  /** The exact notice text shown, from the log (null when the log does not hold it). */
  notice: { hash: string; text: string | null };
  /** RFC 9162 inclusion proof of the record in the tree of the checkpoint. */
  proof: { leafIndex: number; treeSize: number; leafHash: string; hashes: string[] };
  checkpoint: Checkpoint;
  publicKey: { pem: string; keyId: string; fingerprint: string };
  /** How to check it. */
  verify: string[];
}

/** What a receipt is built from; everything else in it follows from these. */
export interface ReceiptParts {
  record: ConsentRecord;
  noticeText: string | null;
  leafIndex: number;
  treeSize: number;
  hashes: readonly Buffer[];
  checkpoint: Checkpoint;
  publicKey: KeyObject;
}

/** What each control said on screen (English), for the summary; a new control fails to compile here. */
const CONTROL_NAMES: Record<ControlId, string> = {
  'accept-all': 'Accept all',
  'reject-all': 'Reject all',
  save: 'Save choices',
  'chat-accept': 'Start chat',
  'chat-decline': 'Not now (chat)',
  'embed-always': 'Always allow (embedded content)',
  withdraw: 'Withdraw consent',
  'stop-recording': 'Stop recording',
};

function how(m: ConsentRecord['method']): string {
  switch (m.type) {
    case 'control':
      return `you chose “${CONTROL_NAMES[m.control] ?? m.control}”`;
    case 'api':
      return m.userActivation
        ? 'a choice was made through the page’s own controls, right after your click'
        : 'the page recorded a choice by script, without a click from you';
    case 'gpc':
      return 'your browser’s Global Privacy Control signal was applied';
    case 'expiry':
      return 'your earlier choice expired';
  }
}

const list = (m: Record<string, boolean>, v: boolean) =>
  Object.keys(m)
    .filter((k) => m[k] === v)
    .sort();

/** The plain-language summary of a record. */
function summaryOf(
  r: ConsentRecord,
  noticeText: string | null,
  p: Omit<ReceiptParts, 'publicKey'>,
): string[] {
  const at = uuidv7Time(r.id);
  const where = r.page ? `${r.page.origin}${r.page.path}` : 'the site';
  const granted = list(r.purposes, true);
  const refused = list(r.purposes, false);
  const vOn = list(r.vendors, true);
  const vOff = list(r.vendors, false);
  const c = r.controller;
  const out = [
    `On ${iso(at)
      .replace('T', ' at ')
      .replace(/\.\d+Z$/, ' UTC')}, on ${where}, ${how(r.method)} (${r.event}).`,
    granted.length ? `You agreed to: ${granted.join(', ')}.` : 'You agreed to no purpose.',
    ...(refused.length ? [`You refused: ${refused.join(', ')}.`] : []),
    vOn.length ? `Companies you allowed: ${vOn.join(', ')}.` : 'You allowed no third-party company.',
    ...(vOff.length ? [`Companies you did not allow: ${vOff.join(', ')}.`] : []),
    `With whom: ${c ? `${c.name}${c.email ? ` (${c.email})` : c.contact ? ` (${c.contact})` : ''}` : `the operator of ${r.page?.origin ?? 'the site'}`}, the data controller${vOn.length ? ', and the companies you allowed' : ''}.`,
    `Global Privacy Control was ${r.gpc ? 'on' : 'off'}; jurisdiction: ${r.jurisdiction.region ?? 'unknown (the strictest rules were applied)'}.`,
    ...(r.policy ? [`Privacy policy: ${r.policy.url} (version ${r.policy.version}).`] : []),
    noticeText === null
      ? `The notice you were shown (${r.notice.id}, version ${r.notice.version}, ${r.notice.language}) has SHA-256 ${r.notice.hash}; the log does not hold its text.`
      : `The notice you were shown (${r.notice.id}, version ${r.notice.version}, ${r.notice.language}) is quoted in full in this receipt; its SHA-256 is ${r.notice.hash}.`,
    r.expires
      ? `This choice lasts until ${r.expires}; you can change or withdraw it at any time from the site’s privacy choices.`
      : 'You can change or withdraw this choice at any time from the site’s privacy choices.',
    `This is position ${p.leafIndex} of the consent log “${p.checkpoint.origin}”, which held ${p.treeSize} entries when it was signed at ${p.checkpoint.time}.`,
  ];
  return out;
}

function kantaraOf(r: ConsentRecord, pem: string): KantaraReceipt {
  const c = r.controller;
  const vOn = list(r.vendors, true);
  return {
    version: 'KI-CR-v1.1.0',
    jurisdiction: r.jurisdiction.region ?? 'unknown',
    consentTimestamp: Math.floor(uuidv7Time(r.id) / 1000),
    collectionMethod:
      r.method.type === 'control'
        ? `control:${r.method.control}`
        : r.method.type === 'api'
          ? 'api'
          : r.method.type,
    consentReceiptID: r.id,
    publicKey: pem,
    language: r.notice.language,
    piiPrincipalId: r.subject,
    piiControllers: [
      {
        piiController: c?.name ?? r.page?.origin ?? 'unknown',
        ...(c?.contact ? { contact: c.contact } : {}),
        ...(c?.email ? { email: c.email } : {}),
        ...(c?.address ? { address: c.address } : {}),
        ...(c?.phone ? { phone: c.phone } : {}),
        piiControllerUrl: r.page?.origin ?? '',
      },
    ],
    policyUrl: r.policy?.url ?? null,
    services: [
      {
        service: r.page?.origin ?? 'site',
        purposes: list(r.purposes, true).map((purpose) => ({
          purpose,
          purposeCategory: [purpose],
          consentType: 'EXPLICIT' as const,
          piiCategory: [`as described in the notice ${r.notice.hash}`],
          primaryPurpose: purpose === 'necessary',
          termination: r.expires ?? 'until withdrawn',
          thirdPartyDisclosure: vOn.length > 0,
          thirdPartyName: vOn.join(', '),
        })),
      },
    ],
    sensitive: false,
    spiCat: [],
  };
}

const b64 = (h: Uint8Array) => Buffer.from(h).toString('base64');
/** Re-encodes base64 so only one spelling of each value passes. */
const rebase = (s: string) => Buffer.from(s, 'base64').toString('base64');

/** The key as a receipt states it. */
interface KeyInfo {
  pem: string;
  keyId: string;
  fingerprint: string;
}

function keyInfo(key: KeyObject): KeyInfo {
  return { pem: publicKeyPem(key), keyId: keyIdOf(key), fingerprint: keyFingerprint(key) };
}

/** Builds a receipt from its parts. Deterministic: equal parts give an equal receipt. */
export function buildReceipt(p: ReceiptParts): Receipt {
  return assemble(p, keyInfo(p.publicKey));
}

function assemble(p: Omit<ReceiptParts, 'publicKey'>, key: KeyInfo): Receipt {
  // The record in canonical key order, so a reordered copy does not pass as the same receipt.
  const record = JSON.parse(canonicalJson(p.record)) as ConsentRecord;
  const cp = p.checkpoint;
  const checkpoint: Checkpoint = {
    origin: cp.origin,
    kind: cp.kind,
    size: cp.size,
    root: rebase(cp.root),
    time: cp.time,
    ...(cp.frontier ? { frontier: cp.frontier.map(rebase) } : {}),
    keyId: cp.keyId,
    signature: rebase(cp.signature),
  };
  return {
    receipt: RECEIPT_FORMAT,
    summary: summaryOf(record, p.noticeText, p),
    kantara: kantaraOf(record, key.pem),
    record,
    notice: { hash: record.notice.hash, text: p.noticeText },
    proof: {
      leafIndex: p.leafIndex,
      treeSize: p.treeSize,
      leafHash: b64(leafHash(canonicalBytes(record))),
      hashes: p.hashes.map(b64),
    },
    checkpoint,
    publicKey: { pem: key.pem, keyId: key.keyId, fingerprint: key.fingerprint },
    verify: [
      'Check this receipt without trusting the site: npx --package @allparty/audit allparty-audit verify-receipt <this file>',
      `Then compare the key fingerprint ${key.fingerprint} with the one the site publishes.`,
      'By hand: the leaf is SHA-256(0x00 ‖ the record as canonical JSON); fold the proof hashes as RFC 9162 § 2.1.3.2 says to get the checkpoint root; check the checkpoint’s Ed25519 signature over "allparty.checkpoint/1\\n<origin>\\n<size>\\n<root>\\n<time>\\n" with the public key.',
    ],
  };
}

/** The receipt as JSON text (what `receipt.json` holds). */
export function receiptJson(receipt: Receipt): string {
  return `${JSON.stringify(receipt, null, 2)}\n`;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JSON safe inside a `<script>` element. */
const scriptJson = (v: unknown) =>
  JSON.stringify(v, null, 2)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** The receipt as one self-contained HTML page, with the receipt JSON embedded. */
export function receiptHtml(receipt: Receipt): string {
  const r = receipt.record;
  const title = `Consent receipt — ${r.controller?.name ?? r.page?.origin ?? 'consent'}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
main{max-width:46rem;margin:2rem auto;background:#fff;padding:2rem;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.5rem;margin-top:0}h2{font-size:1.1rem;margin-top:2rem}
blockquote{margin:0;padding:.75rem 1rem;background:#f1f3f5;border-left:4px solid #4263eb;white-space:pre-wrap}
dt{font-weight:600}dd{margin:0 0 .5rem 0;font-family:ui-monospace,monospace;word-break:break-all}
pre{background:#f1f3f5;padding:1rem;overflow:auto;font-size:.8rem}
</style>
</head>
<body>
<main>
<h1>${esc(title)}</h1>
<ul>
${receipt.summary.map((s) => `<li>${esc(s)}</li>`).join('\n')}
</ul>
<h2>The notice you were shown</h2>
${receipt.notice.text === null ? `<p>The log does not hold this notice text; its SHA-256 is <code>${esc(receipt.notice.hash)}</code>.</p>` : `<blockquote>${esc(receipt.notice.text)}</blockquote>`}
<h2>Check this receipt yourself</h2>
<p>This page carries its own proof. Save it and run <code>npx --package @allparty/audit allparty-audit verify-receipt receipt.html</code>: it recomputes the record’s hash, follows the inclusion proof to the signed root, and checks the signature. Then compare the key fingerprint below with the one the site publishes.</p>
<dl>
<dt>Key fingerprint</dt><dd>${esc(receipt.publicKey.fingerprint)}</dd>
<dt>Log</dt><dd>${esc(receipt.checkpoint.origin)}</dd>
<dt>Log position</dt><dd>${receipt.proof.leafIndex} (of ${receipt.proof.treeSize} entries when signed)</dd>
<dt>Signed</dt><dd>${esc(receipt.checkpoint.time)}</dd>
<dt>Root</dt><dd>${esc(receipt.checkpoint.root)}</dd>
</dl>
<details><summary>The record, as sealed</summary>
<pre>${esc(JSON.stringify(receipt.record, null, 2))}</pre>
</details>
</main>
<script type="application/json" id="allparty-receipt">${scriptJson(receipt)}</script>
</body>
</html>
`;
}

/** Options for {@link receiptFromStore}. */
export interface ReceiptFromStoreOptions {
  /** The log's public key; the checkpoint used must verify under it. */
  publicKey: KeyObject;
}

/** The store calls a receipt needs. */
export type ReceiptStore = Pick<
  LedgerStore,
  'recordById' | 'checkpoints' | 'latestCheckpoint' | 'nodes' | 'getNotice'
>;

/**
 * Why no receipt can be made yet: `unknown` (no such record), `pending` (received, not sealed
 * into the tree yet) or `uncovered` (sealed, but no checkpoint signed under the key covers it).
 * The last two pass with time: the server seals every 250 ms and signs every 10 s by default.
 */
export class ReceiptUnavailableError extends Error {
  override name = 'ReceiptUnavailableError';
  constructor(
    readonly reason: 'unknown' | 'pending' | 'uncovered',
    message: string,
  ) {
    super(message);
  }
}

/** The newest seal checkpoint that verifies under `key` and covers position `seq`, or null. */
async function coveringCheckpoint(
  store: ReceiptStore,
  seq: number,
  key: KeyObject,
): Promise<Checkpoint | null> {
  // The newest checkpoint is the usual answer (one signature check); only when it is not signed
  // under this key (a rotation, or a pinned key that is not the log's) are all of them read.
  const latest = await store.latestCheckpoint('seal');
  const valid =
    latest && verifyCheckpoint(latest, key)
      ? [latest]
      : (await store.checkpoints()).filter((c) => c.kind === 'seal' && verifyCheckpoint(c, key));
  return (
    valid
      .filter((c) => c.size > seq)
      .sort((a, b) => a.size - b.size)
      .pop() ?? null
  );
}

/**
 * Builds the receipt of a sealed record against the newest checkpoint that covers it, and
 * checks it as {@link verifyReceipt} would. Throws {@link ReceiptUnavailableError} while there
 * is none to make.
 */
export async function receiptFromStore(
  store: ReceiptStore,
  recordId: string,
  options: ReceiptFromStoreOptions,
): Promise<Receipt> {
  const row = await store.recordById(recordId.toLowerCase());
  if (!row) throw new ReceiptUnavailableError('unknown', `no record ${recordId}`);
  if (row.seq === null)
    throw new ReceiptUnavailableError(
      'pending',
      `record ${recordId} is not sealed yet; try again in a moment`,
    );
  const record = parseRecord(row.body);
  if (!record) throw new Error(`record ${recordId} does not parse (run verify)`);
  const checkpoint = await coveringCheckpoint(store, row.seq, options.publicKey);
  if (!checkpoint)
    throw new ReceiptUnavailableError(
      'uncovered',
      `no signed checkpoint covers record ${recordId} yet (position ${row.seq}); try again later`,
    );
  const hashes = await inclusionProofAt(store, row.seq, checkpoint.size);
  const receipt = buildReceipt({
    record,
    noticeText: await store.getNotice(record.notice.hash),
    leafIndex: row.seq,
    treeSize: checkpoint.size,
    hashes,
    checkpoint,
    publicKey: options.publicKey,
  });
  if (!canonicalBytes(record).equals(row.body))
    throw new Error(`record ${recordId} is not stored as canonical JSON (run verify)`);
  const check = verifyReceipt(receiptJson(receipt));
  if (!check.ok) throw new Error(`the receipt does not verify: ${check.problems.join('; ')} (run verify)`);
  return receipt;
}

/** The outcome of {@link verifyReceipt}. */
export interface ReceiptCheck {
  ok: boolean;
  format: 'json' | 'html' | null;
  problems: string[];
  /** The receipt's key, when it parsed. */
  keyId: string | null;
  fingerprint: string | null;
  /** Whether the key was compared with a pinned key or fingerprint. */
  pinned: boolean;
  receipt: Receipt | null;
}

/** Options for {@link verifyReceipt}. */
export interface VerifyReceiptOptions {
  /** The log's public key, pinned by whoever checks. */
  publicKey?: KeyObject;
  /** Or its fingerprint (`SHA256:<hex>`, or the 16-digit key id). */
  fingerprint?: string;
}

const SCRIPT = /<script type="application\/json" id="allparty-receipt">([\s\S]*?)<\/script>/;

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** Verifies a receipt (JSON, or HTML with the JSON embedded). Never throws. */
export function verifyReceipt(input: string | Uint8Array, options: VerifyReceiptOptions = {}): ReceiptCheck {
  const out: ReceiptCheck = {
    ok: false,
    format: null,
    problems: [],
    keyId: null,
    fingerprint: null,
    pinned: false,
    receipt: null,
  };
  const fail = (problem: string) => {
    out.problems.push(problem);
    return out;
  };
  let text: string;
  try {
    text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return fail('the receipt is not valid UTF-8');
  }
  let jsonText = text;
  if (/^\s*</.test(text)) {
    out.format = 'html';
    const m = SCRIPT.exec(text);
    if (!m) return fail('the HTML holds no embedded receipt (script#allparty-receipt)');
    jsonText = m[1]!;
  } else out.format = 'json';
  let value: Partial<Receipt>;
  try {
    value = JSON.parse(jsonText) as Partial<Receipt>;
  } catch {
    return fail('the receipt is not valid JSON');
  }
  if (!value || typeof value !== 'object' || value.receipt !== RECEIPT_FORMAT)
    return fail(`not an ${RECEIPT_FORMAT} receipt`);
  const { proof, checkpoint: cp, publicKey, notice } = value;
  const record = value.record && typeof value.record === 'object' ? value.record : null;
  if (
    !record ||
    !proof ||
    typeof proof.leafIndex !== 'number' ||
    typeof proof.treeSize !== 'number' ||
    !isStrings(proof.hashes) ||
    !cp ||
    typeof cp.root !== 'string' ||
    typeof cp.signature !== 'string' ||
    typeof cp.size !== 'number' ||
    !publicKey ||
    typeof publicKey.pem !== 'string' ||
    !notice ||
    (notice.text !== null && typeof notice.text !== 'string')
  )
    return fail('the receipt is missing a part (record, proof, checkpoint, public key or notice)');

  if (typeof publicKey.keyId !== 'string' || typeof publicKey.fingerprint !== 'string')
    return fail('the receipt is missing its key id or fingerprint');

  // First the file must be exactly what its parts produce (cheap, and it catches any edit of the
  // wording or layout); then the parts themselves are checked with the cryptography.
  let rebuilt: Receipt;
  let expected: string;
  try {
    rebuilt = assemble(
      {
        record: record as ConsentRecord,
        noticeText: notice.text,
        leafIndex: proof.leafIndex,
        treeSize: proof.treeSize,
        hashes: proof.hashes.map((h) => Buffer.from(h, 'base64')),
        checkpoint: cp as Checkpoint,
      },
      { pem: publicKey.pem, keyId: publicKey.keyId, fingerprint: publicKey.fingerprint },
    );
    expected = out.format === 'html' ? receiptHtml(rebuilt) : receiptJson(rebuilt);
  } catch {
    return fail('the receipt is malformed');
  }
  if (expected !== text) {
    let i = 0;
    while (i < text.length && text[i] === expected[i]) i++;
    return fail(
      `the receipt differs from what its contents produce, from character ${i} on (edited after it was issued)`,
    );
  }

  let key: KeyObject;
  try {
    key = publicKeyFromPem(publicKey.pem);
  } catch {
    return fail('the public key does not parse as an Ed25519 key');
  }
  const info = keyInfo(key);
  out.keyId = info.keyId;
  out.fingerprint = info.fingerprint;
  if (
    info.pem !== publicKey.pem ||
    info.keyId !== publicKey.keyId ||
    info.fingerprint !== publicKey.fingerprint
  )
    out.problems.push("the receipt's key id or fingerprint is not that of its public key");
  if (options.publicKey) {
    out.pinned = true;
    if (keyFingerprint(options.publicKey) !== info.fingerprint)
      out.problems.push(
        `the receipt is signed with key ${info.fingerprint}, not the pinned key ${keyFingerprint(options.publicKey)}`,
      );
  }
  if (options.fingerprint) {
    out.pinned = true;
    const want = options.fingerprint
      .trim()
      .toLowerCase()
      .replace(/^sha256:/, '');
    const have = info.fingerprint.slice('SHA256:'.length);
    if (want !== have && want !== info.keyId)
      out.problems.push(
        `the receipt's key ${info.fingerprint} does not have the fingerprint ${options.fingerprint}`,
      );
  }
  if (cp.kind !== 'seal') out.problems.push('the checkpoint is not a tree head (kind "seal")');
  if (!verifyCheckpoint(rebuilt.checkpoint, key))
    out.problems.push("the checkpoint's signature does not verify under the receipt's public key");
  if (proof.treeSize !== cp.size) out.problems.push('the proof is for another tree size than the checkpoint');
  if (
    !verifyInclusion(
      proof.leafIndex,
      proof.treeSize,
      Buffer.from(rebuilt.proof.leafHash, 'base64'),
      rebuilt.proof.hashes.map((h) => Buffer.from(h, 'base64')),
      Buffer.from(rebuilt.checkpoint.root, 'base64'),
    )
  )
    out.problems.push("the record's inclusion proof does not lead to the checkpoint's root");
  if (notice.text !== null && sha256Hex(notice.text) !== rebuilt.record.notice?.hash)
    out.problems.push("the notice text does not hash to the record's notice hash");
  if (out.problems.length) return out;
  out.receipt = rebuilt;
  out.ok = true;
  return out;
}
