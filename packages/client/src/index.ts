export { Archive, type ArchiveEntry, openArchive, unsafeNameReason } from './archive.js';
export {
  resolveBuildOptions,
  resolveCheckpointOptions,
  resolveExportOptions,
  toDownloadBody,
  validateBuildOptions,
  validateExportOptions,
} from './build-request.js';
export type { Checkpoint } from './checkpoints.js';
export { type BuildResult, createClient, PlayCanvasClient } from './client.js';
export { type ClientConfig, resolveClientConfig } from './config.js';
export { closeConnections } from './dispatcher.js';
export { DownloadedArchive } from './downloaded-archive.js';
export {
  AbortError,
  ApiError,
  ArchiveError,
  ConfigError,
  DownloadError,
  EngineMismatchError,
  JobFailedError,
  NetworkError,
  PlayCanvasError,
  RateLimitError,
  TimeoutError,
} from './errors.js';
export { type ExtractOptions, type ExtractResult, extractArchive } from './extract.js';
export { archiveUrlOf, describeJobStatus, type Job, type JobStatus } from './job.js';
export type { Branch, Scene } from './lookups.js';
export { fail, type OptionSpec, pick, refuseUnknownKeys, resolveOptions, type Schema } from './option-schema.js';
export type {
  ArchiveOptions,
  BranchOptions,
  BuildOptions,
  CheckpointOptions,
  ClientOptions,
  ExportOptions,
  PollOptions,
  RetryPolicy,
  RunOptions,
} from './options.generated.js';
export {
  ARCHIVE_OPTIONS,
  BASE_URL_VARIABLE,
  BUILD_OPTIONS,
  CHECKPOINT_OPTIONS,
  CLIENT_OPTIONS,
  DEFAULT_BASE_URL,
  EXPORT_OPTIONS,
  RUN_OPTIONS,
  TOKEN_VARIABLE,
} from './options.js';
export type { JobKind, ProgressEvent, ProgressListener } from './progress.js';
export { cleanApiText, safeUrl } from './redact.js';
export { show } from './show.js';
export { closest } from './suggest.js';
export { makeTempDir } from './temp-files.js';
export { OPTION_WORDS, type Vocabulary } from './vocabulary.js';
