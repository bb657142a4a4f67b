export interface RetryPolicy {
  /** Retries of an idempotent request after a 5xx answer or a network error. Default 4. */
  retries: number;
  /** First backoff delay, ms. Default 500. */
  baseDelayMs: number;
  /** Backoff ceiling, ms. Default 8000. */
  maxDelayMs: number;
  /** How many 429 answers in a row to wait out before giving up with a RateLimitError. Default 10. */
  rateLimitRetries: number;
  /** The longest single wait for a rate-limit window, ms; longer waits fail at once. Default 65000. */
  maxRateLimitWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 4, baseDelayMs: 500, maxDelayMs: 8000, rateLimitRetries: 10, maxRateLimitWaitMs: 65_000 };

/** Capped exponential backoff with jitter (half fixed, half random), so parallel clients spread out. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

/** Network failures where the request provably never reached the server: safe to retry even a POST. */
export const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Failures worth retrying for idempotent requests. */
export const TRANSIENT_CODES = new Set([
  ...NEVER_SENT_CODES,
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'REQUEST_TIMEOUT',
]);
export const RETRYABLE_STATUSES = new Set([500, 502, 503, 504]);
