import { defineConfig } from 'vitest/config';

// The `normalise` command would otherwise leave its resident engine running after a test
// (every command the tests start inherits this); the resident engine's own tests turn it
// back on for their commands, in socket directories of their own, and stop what they start.
process.env.NORMALISE_NO_RESIDENT = '1';

// Three projects: fast unit tests, integration tests (real sockets, real processes), and the
// end-to-end journey in Debian's Chromium. `npm test` runs them all.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          // electron-store imports 'electron' itself: inlined, it gets the faked module too
          // (the real one would try to download its binary).
          server: { deps: { inline: ['electron-store'] } },
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
