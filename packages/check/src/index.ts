export { findBrowser, INSTALL_HINT, installHint, launchArgs, type OptionNamer } from './browser.js';
export { type Checker, type CheckerOptions, checkBuild, GRACE_MS, openChecker } from './check.js';
export { BuildCheckError, CheckSetupError } from './errors.js';
export { type HeadersRule, PathPattern, parseHeadersFile } from './headers-file.js';
export { type CheckOptions, type ResolvedCheckOptions, resolveCheckOptions } from './options.js';
export { type PlayableRecord, STAND_IN_NETWORKS, type StandInNetwork } from './playable-stand-in.js';
export { type CheckResult, describeBoot, describeProblem, type Problem, type RequestRecord } from './problems.js';
export { type BuildFiles, serveBuild } from './serve.js';
