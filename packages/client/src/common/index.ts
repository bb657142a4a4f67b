/**
 * What every room uses: the errors the client throws, progress events, redaction of secrets in text, and
 * timing (sleeps, deadlines, durations in words).
 */
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
export { bothListeners, type JobKind, type ProgressEvent, type ProgressListener } from './progress.js';
export { cleanApiText, hasUserInfo, redactText, safeOrigin, safeUrl, showUserUrl } from './redact.js';
export { type Activity, clampDelay, type Deadline, formatMs, sleep, withDeadline } from './timing.js';
