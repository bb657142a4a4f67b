export { findBrowser, INSTALL_HINT, installHint, type OptionNamer } from './browser.js';
export { type Checker, checkBuild, openChecker } from './check.js';
export { BuildCheckError, CheckSetupError } from './errors.js';
export { type CheckOptions, type ResolvedCheckOptions, resolveCheckOptions } from './options.js';
export { type CheckResult, describeBoot, describeProblem, type Problem, type RequestRecord } from './problems.js';
export { type BuildFiles, parseHeadersFile, serveBuild } from './serve.js';
