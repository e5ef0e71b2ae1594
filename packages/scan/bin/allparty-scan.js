#!/usr/bin/env node
// The command's entry point: the built CLI, which a packed tarball carries. In a clone of the
// repository it is made by `pnpm run build`, so say that rather than print a module error.
const cli = new URL('../dist/cli.js', import.meta.url);
try {
  await import(cli.href);
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(cli.pathname)) throw error;
  console.error(`${cli.pathname} is missing: run \`pnpm run build\` in the allparty workspace first.`);
  process.exitCode = 1;
}
