/**
 * What the adapters (the gulp plugin, the Grunt task, the CLI) build on: the option tables, their resolution
 * (once, at the adapter's edge), and the helpers that keep messages honest.
 */
export { resolveBranchOptions, resolveBuildOptions, resolveCheckpointOptions, resolveExportOptions } from './api/build-request.js';
export { cleanApiText, redactText, safeUrl } from './common/redact.js';
export { formatMs } from './common/timing.js';
export { makeTempDir } from './download/temp-files.js';
export { closeConnections } from './network/dispatcher.js';
export { type ClientConfig, resolveClientConfig } from './options/config.js';
export {
  fail,
  type OptionSpec,
  pick,
  type ResolveOptions,
  refuseUnknownKeys,
  renderInterface,
  renderTable,
  resolveOptions,
  type Schema,
} from './options/option-schema.js';
export {
  ARCHIVE_OPTIONS,
  BRANCH_OPTIONS,
  BUILD_OPTIONS,
  CHECKPOINT_OPTIONS,
  CLIENT_OPTIONS,
  checkBranchChoice,
  EXPORT_OPTIONS,
  POLL_FIELDS,
  RETRY_FIELDS,
  RUN_OPTIONS,
} from './options/options.js';
export { show } from './options/show.js';
export { closest } from './options/suggest.js';
export { OPTION_WORDS, type Vocabulary } from './options/vocabulary.js';
export { resolveOutputFolder, StagedFolder, type WriteArchiveOptions, type WrittenArchive, writeArchive } from './output-folder.js';
export {
  type BuildMetadata,
  checkPipeline,
  type JobRequest,
  PIPELINE_OPTIONS,
  type PipelineResult,
  type PipelineSettings,
  runPipeline,
} from './pipeline.js';
export { formatBytes, type LogWriter, type ProgressClock, ProgressLog, QUIET_MAX_MS } from './progress-log.js';
