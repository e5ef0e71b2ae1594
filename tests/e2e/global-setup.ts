import { existsSync } from 'node:fs';

// Browser tests run against the built, minified bundles — the artifact users ship.
export default function globalSetup() {
  if (!existsSync('packages/embed/dist/allparty.js'))
    throw new Error(
      'packages/embed/dist/allparty.js is missing: run `pnpm run build` first (`pnpm test` does).',
    );
}
