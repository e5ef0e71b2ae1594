import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// One include glob per kind of test: unit tests sit beside the code they test.
export default defineConfig({
  resolve: {
    alias: {
      '@allparty/banner/texts': fileURLToPath(new URL('./packages/banner/src/texts.ts', import.meta.url)),
      '@allparty/core': src('core'),
      '@allparty/vendors': src('vendors'),
      '@allparty/banner': src('banner'),
      '@allparty/ledger': src('ledger'),
      '@allparty/server': src('server'),
      '@allparty/audit': src('audit'),
      '@allparty/scan': src('scan'),
      '@allparty/react': src('react'),
    },
  },
  define: { __DEV__: 'true', __EXPLAIN__: 'true' },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/src/**/*.test.tsx', 'packages/*/test/**/*.test.ts'],
    environment: 'happy-dom',
    testTimeout: 20_000,
    typecheck: { enabled: true, include: ['packages/*/src/**/*.test-d.ts'] },
  },
});
