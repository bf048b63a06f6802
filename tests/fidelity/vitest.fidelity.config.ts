import { defineConfig } from 'vitest/config';

/**
 * The fidelity tests on their own: `npm run test:live` (through run-live.mjs) and by hand
 * (`npx vitest run --config tests/fidelity/vitest.fidelity.config.ts`). Files run one at a
 * time: on a live org they share one scratch list and one rate budget.
 */
export default defineConfig({
  test: {
    name: 'fidelity',
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/fidelity/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
