export { type ArchiveEntry, type ArchiveOptions, DEFAULT_ARCHIVE_LIMITS, type OpenedArchive, openArchive, unsafeNameReason } from './archive.js';
export type { BuildOptions, ExportOptions } from './build-options.js';
export { toDownloadBody, validateBuildOptions, validateExportOptions } from './build-options.js';
export { type BuildResult, type ClientOptions, createClient, DEFAULT_TIMEOUT_MS, PlayCanvasClient, type RunOptions } from './client.js';
export { BASE_URL_VARIABLE, type ConnectionOptions, DEFAULT_BASE_URL, TOKEN_VARIABLE } from './config.js';
export type { DownloadedArchive } from './download.js';
export {
  AbortError,
  ApiError,
  ArchiveError,
  ConfigError,
  DownloadError,
  JobFailedError,
  NetworkError,
  PlayCanvasError,
  RateLimitError,
  TimeoutError,
} from './errors.js';
export { archiveUrlOf, type Job } from './job.js';
export { DEFAULT_POLL, type PollOptions, pollDelay } from './poll-schedule.js';
export type { ProgressEvent, ProgressListener } from './progress.js';
export type { Branch, Scene } from './resolve.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
export { liveTempDirs } from './temp-files.js';
