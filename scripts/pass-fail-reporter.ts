import type { Reporter, TestModule } from 'vitest/node';

/** Ends the run with the plain line CI reads: "N passed, N failed" (", N skipped" when any were). */
export default class PassFailReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of testModules) {
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed += 1;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
    }
    const why =
      skipped && process.env.PLAYCANVAS_SKIP_BROWSER_TESTS === '1'
        ? ' (PLAYCANVAS_SKIP_BROWSER_TESTS=1: the browser tests did not run)'
        : '';
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped${why}` : ''}\n`);
  }
}
