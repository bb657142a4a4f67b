import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // one Chromium for the run, which the test files' checkers share (openSharedChecker in test-support)
    globalSetup: ['./test/shared-browser.setup.ts'],
    pool: 'forks',
    // The slow files boot builds in Chromium (SwiftShader renders on the CPU) and pack and install tarballs:
    // a worker more than there are cores only makes every boot and every process slower.
    maxWorkers: availableParallelism(),
    reporters: ['default', './scripts/pass-fail-reporter.ts'],
  },
});
