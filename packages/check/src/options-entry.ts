/** The light entry (no browser driver loaded): checking options and finding the browser. */
export { findBrowser, INSTALL_HINT, installHint, type OptionNamer } from './browser.js';
export { CheckSetupError } from './errors.js';
export { type CheckOptions, type ResolvedCheckOptions, resolveCheckOptions } from './options.js';
