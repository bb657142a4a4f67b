export { type AssetPrefixOptions, assetPrefixStep, normalizePrefix } from './asset-prefix.js';
export { type BuildChanges, type BuildSource, type BuildStep, PostprocessError, type StepResult } from './build.js';
export { type CspOptions, type CspReport, cspStep, type PolicySource } from './csp.js';
export { directoryBuild, processDirectory, processFiles } from './directory.js';
export { formatSizeReport, type SingleFileOptions, type SizeReport, singleFileStep } from './single-file.js';
export { type StampVersionOptions, stampVersionStep } from './stamp-version.js';
