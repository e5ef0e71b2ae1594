// Copies the script-tag build (the `allparty` package's dist/) into an example's public folder,
// as an app does with the installed package: `node ../copy-embed.mjs public/allparty`.
import { cpSync, rmSync } from 'node:fs';

const target = process.argv[2];
if (!target) throw new Error('usage: node ../copy-embed.mjs <target folder>');
rmSync(target, { recursive: true, force: true });
cpSync('node_modules/allparty/dist', target, { recursive: true });
