/** The README written into every bundle: what is in it and how to verify it without trusting the sender. */
import type { BundleManifest } from './source';

export function bundleReadme(m: BundleManifest, checkpoints: number, notices: number): string {
  const range =
    m.range.from || m.range.to
      ? `records decided from ${m.range.from ?? 'the start of the log'} to ${m.range.to ?? 'the end of the log'} (${m.inRange} records)`
      : `the whole log (${m.inRange} records)`;
  return `# allparty consent log — audit bundle

Written ${m.createdAt} from the consent log "${m.origin ?? 'unnamed'}". It holds ${range}, as
log positions ${m.span.from}–${m.span.to - 1}, tied to the signed checkpoint of tree size ${m.treeSize}.

> This is product reasoning, not legal advice.

## Verify it

You need Node.js 20 or later. Get the log's public key **from the site owner through a channel
you trust** (not from this folder), save it as \`pinned.pem\`, then run:

\`\`\`sh
npx --package @allparty/audit allparty-audit verify ./THIS-FOLDER --public-key pinned.pem
\`\`\`

It exits 0 only when every record matches its sealed hash, the records and the hashes beside
them reproduce every signed checkpoint they reach, every checkpoint's Ed25519 signature
verifies under the pinned key, and the checkpoints are consistent with one another. Otherwise it
names the first bad position and what is wrong there.

Without \`--public-key\` it uses \`public-key.pem\` from this folder and says so: then compare the
fingerprint it prints with the one the site publishes —

    key id      ${m.publicKey.keyId}
    fingerprint ${m.publicKey.fingerprint}

— because a key that came with the bundle proves nothing about who signed it.

## What is in it

| file | what |
| --- | --- |
| \`records.jsonl\` | one consent record per line, in log order from position ${m.span.from}: the **exact stored bytes** (canonical JSON). Do not reformat it. |
| \`leaves.txt\` | the sealed leaf hash of each record, base64, one per line |
| \`tree.json\` | \`left\`: hashes of the perfect subtrees before position ${m.span.from}; \`right\`: hashes of the perfect subtrees from position ${m.span.to} to ${m.treeSize - 1} |
| \`checkpoints.json\` | all ${checkpoints} checkpoints of the log, as signed |
| \`consistency.json\` | RFC 9162 consistency proofs between consecutive checkpoints |
| \`notices.jsonl\` | the ${notices} notice texts the records refer to, \`{hash, text}\`; SHA-256 of \`text\` is \`hash\` |
| \`public-key.pem\` | the Ed25519 public key the exporter used (compare its fingerprint, above) |
| \`manifest.json\` | the range, the span and the anchor checkpoint's size |

## Checking it with your own code

The log is an RFC 9162 (Certificate Transparency 2.0) Merkle tree:

1. Each line of \`records.jsonl\` is a leaf: \`SHA-256(0x00 ‖ line bytes)\` (without the newline).
2. An inner node is \`SHA-256(0x01 ‖ left ‖ right)\`; a tree of n leaves splits at the largest
   power of two below n.
3. Starting from the \`left\` hashes, add the leaves in order, then the \`right\` hashes: the
   root must equal the \`root\` (base64) of the checkpoint of size ${m.treeSize}.
4. A checkpoint's signature is Ed25519 over the UTF-8 text
   \`allparty.checkpoint/1\\n<origin>\\n<size>\\n<root>\\n<time>\\n\` (prune checkpoints:
   \`allparty.prune/1\`, followed by one line per frontier hash); \`keyId\` is the first 16 hex
   digits of SHA-256 over the raw 32-byte public key.

What each record field means, and what the log cannot prove, is in the auditor's guide
(\`docs/auditor-guide.md\` in the allparty repository).
`;
}
