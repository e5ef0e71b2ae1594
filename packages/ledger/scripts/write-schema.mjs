// Regenerates consent-record.schema.json from src/schema.ts (a test checks they match).
import { build } from 'esbuild';

const out = await build({
  entryPoints: [new URL('../src/schema.ts', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  write: false,
  platform: 'node',
  alias: { '@allparty/core': new URL('../../core/src/index.ts', import.meta.url).pathname },
  define: { __DEV__: 'false' },
});
const url = `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`;
const { consentRecordSchema } = await import(url);
const { writeFileSync } = await import('node:fs');
writeFileSync(
  new URL('../consent-record.schema.json', import.meta.url),
  `${JSON.stringify(consentRecordSchema, null, 2)}\n`,
);
console.log('written');
