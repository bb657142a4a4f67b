export { Archive, type ArchiveEntry, openArchive, unsafeNameReason } from './archive.js';
export { toDownloadBody, validateBuildOptions, validateExportOptions } from './build-request.js';
export type { Checkpoint } from './checkpoints.js';
export { type BuildResult, createClient, PlayCanvasClient } from './client.js';
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
export { BASE_URL_VARIABLE, DEFAULT_BASE_URL, TOKEN_VARIABLE } from './options.js';
export type { BuildMetadata } from './pipeline.js';
export type { JobKind, ProgressEvent, ProgressListener } from './progress.js';
