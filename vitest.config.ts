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
    // A worker keeps its process from one test file to the next: the packages and test-support are imported once
    // per worker, not once per file (import time 55 s -> 9-14 s; the suite 446 s -> 389 s on this 2-core machine,
    // 2026-12-02). Test files must not leave state behind (environment variables, processes they count).
    isolate: false,
    // One worker more than there are cores: the browser tests and the spawned CLIs, gulps and grunts spend part of
    // their time waiting (a page's deadline, a poll, a process starting), which the extra worker fills (389 s ->
    // 333 s with two cores, files in random order).
    maxWorkers: availableParallelism() + 1,
    reporters: ['default', './scripts/pass-fail-reporter.ts'],
  },
});
