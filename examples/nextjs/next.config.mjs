import { fileURLToPath } from 'node:url';

/** @type {import('next').NextConfig} */
export default {
  // The workspace root (one lockfile for the repository), so Next does not guess it.
  turbopack: { root: fileURLToPath(new URL('../..', import.meta.url)) },
  outputFileTracingRoot: fileURLToPath(new URL('../..', import.meta.url)),
};
