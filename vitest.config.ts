import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/browser/**', 'node_modules/**'],
    testTimeout: 60_000,
    // the JSON report is what .ci/run counts
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
