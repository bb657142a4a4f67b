export { type AssetPrefixOptions, assetPrefixStep, normalizePrefix } from './asset-prefix.js';
export { type BuildChanges, type BuildSource, type BuildStep, PostprocessError, type StepResult } from './build.js';
export { type CspOptions, type CspReport, cspStep, type PolicySource } from './csp.js';
export { directoryBuild, processDirectory, processFiles } from './directory.js';
export {
  type BuildLayout,
  describeLayout,
  type LayoutFiles,
  type LayoutName,
  layoutFilesOf,
  readLayout,
  type SettingsForm,
} from './layout.js';
export {
  formatPlayableReport,
  type NetworkName,
  type PlayableNames,
  type PlayableOptions,
  type PlayableReport,
  playableStep,
} from './playable.js';
export { NETWORK_NAMES } from './playable-networks.js';
export { formatSizeReport, type SingleFileOptions, type SizeReport, singleFileStep } from './single-file.js';
export { type StampVersionOptions, stampVersionStep } from './stamp-version.js';
