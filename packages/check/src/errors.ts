import type { CheckResult, Problem } from './problems.js';
import { describeProblem } from './problems.js';

/** The build did not boot cleanly: `problems` says what broke, `result` has the rest (requests, timing). */
export class BuildCheckError extends Error {
  override name = 'BuildCheckError';
  readonly code = 'BUILD_CHECK';
  readonly problems: Problem[];

  constructor(readonly result: CheckResult) {
    const list = result.problems.map((p) => `  - ${describeProblem(p)}`).join('\n');
    super(
      `The build did not boot cleanly (${result.problems.length} ` +
        `${result.problems.length === 1 ? 'problem' : 'problems'}):\n${list}`,
    );
    this.problems = result.problems;
  }
}

/** The check could not run at all: no browser, a bad option, no index.html. */
export class CheckSetupError extends Error {
  override name = 'CheckSetupError';
  readonly code = 'CHECK_SETUP';
}
