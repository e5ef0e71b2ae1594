import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { markedClasses } from './scripts/marked-classes.ts';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// One include glob per kind of test: unit tests sit beside the code they test.
export default defineConfig({
  // The UI's class names are written marked (`$card$`); the tests see the readable names.
  plugins: [markedClasses({ dirs: ['packages/banner/src'], shorten: false })],
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
      // Test helpers shared between packages (tests/utils).
      '@allparty/test-utils': fileURLToPath(new URL('./tests/utils', import.meta.url)),
    },
  },
  define: { __DEV__: 'true', __EXPLAIN__: 'true' },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/src/**/*.test.tsx',
      'packages/*/test/**/*.test.ts',
      // The repository's own tooling and docs (node).
      'scripts/**/*.test.ts',
    ],
    // Type tests (`*.test-d.ts` beside the code) are checked by `tsc` in the types step.
    environment: 'happy-dom',
    setupFiles: ['tests/utils/happy-dom.ts'],
    testTimeout: 20_000,
  },
});
