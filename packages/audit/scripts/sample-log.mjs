// Writes a synthetic consent log into a folder (ledger.sqlite, checkpoint-key.pem, public-key.pem):
//   node packages/audit/scripts/sample-log.mjs DIR [RECORDS] [DAYS]
// Used by the report's browser test; needs the built dist/ of @allparty/ledger.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSyntheticLog } from './synthetic-log.mjs';

const [dir, records = '6000', days = '45'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: sample-log.mjs DIR [RECORDS] [DAYS]');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const r = await buildSyntheticLog({
  path: join(dir, 'ledger.sqlite'),
  records: Number(records),
  days: Number(days),
  checkpointEvery: 1000,
  batch: 1000,
});
console.log(`${r.records} records in ${dir}, key ${r.keyId}`);
