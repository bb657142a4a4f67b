/**
 * What the adapters (the gulp plugin, the Grunt task, the CLI) run around the client: the pipeline (checkpoint,
 * build or export, engine guard, metadata), the progress log, and the output folder swapped in whole.
 */

export { buildIntoFolder, type FolderBuildOptions, type FolderBuildResult } from './build-into-folder.js';
export {
  resolveOutputFolder,
  StagedFolder,
  type WriteArchiveOptions,
  type WrittenArchive,
  writeArchive,
} from './output-folder.js';
export {
  type BuildMetadata,
  checkPipeline,
  type JobRequest,
  PIPELINE_OPTIONS,
  type PipelineResult,
  type PipelineSettings,
  runPipeline,
} from './pipeline.js';
export {
  type JobOutput,
  type LeaveOutWords,
  type PostProcessing,
  type PostStep,
  postSteps,
  refuseWithoutFiles,
} from './post-steps.js';
export { formatBytes, type LogWriter, type ProgressClock, ProgressLog, QUIET_MAX_MS } from './progress-log.js';
