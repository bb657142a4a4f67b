/** Every error this client throws is a PlayCanvasError: `code` tells them apart, `message` says what to do. */
export class PlayCanvasError extends Error {
  readonly code: string = 'PLAYCANVAS_ERROR';
  override name = 'PlayCanvasError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An option or environment variable is missing or wrong. Thrown before any request is made. */
export class ConfigError extends PlayCanvasError {
  override readonly code: string = 'CONFIG';
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly option?: string,
  ) {
    super(message);
  }
}

/** The API answered with an error status, or with something that is not what the API documents. */
export class ApiError extends PlayCanvasError {
  override readonly code: string = 'API';
  override name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
    /** The API's own `error` text, cleaned of control characters. */
    readonly apiMessage: string | undefined,
    readonly method: string,
    /** The documented route, e.g. /api/jobs/:id (the real path is in the message). */
    readonly route: string,
  ) {
    super(message);
  }
}

/** Still rate limited when the retries or the time allowed ran out. */
export class RateLimitError extends ApiError {
  override readonly code = 'RATE_LIMITED';
  override name = 'RateLimitError';
  constructor(
    message: string,
    method: string,
    route: string,
    /** When the API said the window resets (server time), if it said. */
    readonly resetAt: Date | undefined,
  ) {
    super(message, 429, 'Too many requests', method, route);
  }
}

/** The job ended with status "error". */
export class JobFailedError extends PlayCanvasError {
  override readonly code = 'JOB_FAILED';
  override name = 'JobFailedError';
  constructor(
    message: string,
    readonly jobId: number,
    readonly messages: string[],
  ) {
    super(message);
  }
}

/**
 * The job completed, but with another engine than `engineVersion` asked for, and `requireEngineVersion` is set:
 * the build is refused (nothing is written). `messages` are the job's own.
 */
export class EngineMismatchError extends PlayCanvasError {
  override readonly code = 'ENGINE_MISMATCH';
  override name = 'EngineMismatchError';
  constructor(
    message: string,
    readonly jobId: number,
    readonly requested: string,
    readonly used: string,
    readonly messages: string[],
  ) {
    super(message);
  }
}

/** A deadline passed: the overall timeout, a request's, or a stalled download's. */
export class TimeoutError extends PlayCanvasError {
  override readonly code = 'TIMEOUT';
  override name = 'TimeoutError';
  constructor(
    message: string,
    readonly timeoutMs: number,
    readonly jobId?: number,
  ) {
    super(message);
  }
}

/** The caller's AbortSignal fired. */
export class AbortError extends PlayCanvasError {
  override readonly code = 'ABORTED';
  override name = 'AbortError';
}

/** The server could not be reached, or the connection broke, after the retries allowed. */
export class NetworkError extends PlayCanvasError {
  override readonly code: string = 'NETWORK';
  override name = 'NetworkError';
  constructor(
    message: string,
    /** The system or TLS error code underneath (ECONNREFUSED, CERT_HAS_EXPIRED...). */
    readonly causeCode: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The download failed, was incomplete, over the size allowed, or not where it may be fetched from. */
export class DownloadError extends PlayCanvasError {
  override readonly code = 'DOWNLOAD';
  override name = 'DownloadError';
}

/** The archive is corrupt, hostile or over a limit. `entry` names the entry at fault, when there is one. */
export class ArchiveError extends PlayCanvasError {
  override readonly code = 'ARCHIVE';
  override name = 'ArchiveError';
  constructor(
    message: string,
    readonly entry?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
