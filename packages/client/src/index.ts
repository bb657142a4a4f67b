export type { Branch, Checkpoint, Scene } from './api/index.js';
export {
  archiveUrlOf,
  describeJobStatus,
  type Job,
  type JobStatus,
  toDownloadBody,
  validateBuildOptions,
  validateExportOptions,
} from './api/index.js';
export {
  Archive,
  type ArchiveEntry,
  DownloadedArchive,
  type ExtractOptions,
  type ExtractResult,
  extractArchive,
  openArchive,
  unsafeNameReason,
} from './archive/index.js';
export { type BuildResult, createClient, PlayCanvasClient } from './client.js';
export type { JobKind, ProgressEvent, ProgressListener } from './common/index.js';
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
} from './common/index.js';
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
} from './options/index.js';
export { BASE_URL_VARIABLE, DEFAULT_BASE_URL, TOKEN_VARIABLE } from './options/index.js';
export type { BuildMetadata } from './pipeline.js';
