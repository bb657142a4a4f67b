// The client's public entry. Besides the client itself, it exports what the pipeline package and the adapters build
// on: the option tables (each option declared once), their resolution at the edge, and the helpers that keep
// messages honest (no secrets, the host's own words).
export type { Branch, Checkpoint, Scene } from './api/index.js';
export {
  archiveUrlOf,
  describeJobStatus,
  type Job,
  type JobStatus,
  resolveBuildOptions,
  resolveCheckpointOptions,
  resolveExportOptions,
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
  cleanApiText,
  DownloadError,
  EngineMismatchError,
  JobFailedError,
  NetworkError,
  PlayCanvasError,
  RateLimitError,
  safeUrl,
  TimeoutError,
} from './common/index.js';
export { makeTempDir } from './download/index.js';
export { closeConnections } from './network/index.js';
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
export {
  ARCHIVE_OPTIONS,
  BASE_URL_VARIABLE,
  BUILD_OPTIONS,
  CHECKPOINT_OPTIONS,
  CLIENT_OPTIONS,
  ClientConfig,
  closest,
  DEFAULT_BASE_URL,
  EXPORT_OPTIONS,
  fail,
  OPTION_WORDS,
  type OptionSpec,
  pick,
  RUN_OPTIONS,
  refuseUnknownKeys,
  resolveClientConfig,
  resolveOptions,
  type Schema,
  show,
  TOKEN_VARIABLE,
  type Vocabulary,
} from './options/index.js';
