import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'backend/**/*.test.ts',
      'hubspot-project/**/*.test.{ts,tsx}',
      'hubspot-project-tests/**/*.test.{ts,tsx}',
    ],
    environment: 'node',
    // Limits, not expectations: a test waits for its condition, and a busy machine (CI, two
    // suites side by side) may take several times as long as an idle one.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
