import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most tests wait on sockets, timers and child processes, not on the CPU: more workers than cores pay off.
    maxWorkers: 3,
    reporters: ['default', './scripts/pass-fail-reporter.ts'],
  },
});
