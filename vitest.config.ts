import { defineConfig } from 'vitest/config';

/**
 * Unit tests are pure and fast; integration tests start real servers (sandbox, host) on
 * 127.0.0.1; fidelity tests check the Sandbox org against documented Genesys behaviour
 * (docs/GENESYS.md), each starting its own Sandbox, so they get the integration settings.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          // Tests spawn bin/sluice.js, which runs the bundle: build it from the current source.
          globalSetup: ['tests/support/build-cli-bundle.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'fidelity',
          include: ['tests/fidelity/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
