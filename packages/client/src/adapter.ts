/**
 * What the adapters (the gulp plugin, the Grunt task, the CLI) build on: the option tables, their resolution
 * (once, at the adapter's edge), and the helpers that keep messages honest.
 */
export { resolveBranchOptions, resolveBuildOptions, resolveCheckpointOptions, resolveExportOptions } from './build-request.js';
export { type ClientConfig, resolveClientConfig } from './config.js';
export { closeConnections } from './dispatcher.js';
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
} from './option-schema.js';
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
} from './options.js';
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
export { cleanApiText, redactText, safeUrl } from './redact.js';
export { show } from './show.js';
export { closest } from './suggest.js';
export { makeTempDir } from './temp-files.js';
export { formatMs } from './timing.js';
export { OPTION_WORDS, type Vocabulary } from './vocabulary.js';
