import type { Checker } from '@gulp-playcanvas/playcanvas-build-check';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The endpoint of the run's one Chromium (test/shared-browser.setup.ts); '' when the run has none. */
    browserServer: string;
  }
}

/**
 * A checker in the run's one Chromium (a browser context per check), or in a Chromium of its own when the run
 * started none. Launching costs a second or more on a busy machine; a test of the check's own launching, or of a
 * page that takes its browser down, opens its own checker instead.
 */
export async function openSharedChecker(): Promise<Checker> {
  // loaded here, not by test-support's index: most test files never start a browser
  const { openChecker } = await import('@gulp-playcanvas/playcanvas-build-check');
  const connect = inject('browserServer');
  return openChecker(connect ? { connect } : {});
}
