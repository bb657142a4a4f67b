import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['mock-server/test/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', './scripts/pass-fail-reporter.ts'],
  },
});
