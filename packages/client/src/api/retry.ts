import type { ProgressListener } from '../common/index.js';
import { sleep } from '../common/index.js';
import { isTlsCode, PROXY_AUTH_REQUIRED, PROXY_TUNNEL_FAILED, PROXY_TUNNEL_REFUSED } from '../network/index.js';
import type { RetryPolicy } from '../options/index.js';

/** What one failed try was: where it went, how, and what came back (a status), or what broke (a network code). */
export interface TryFailure {
  /** The API's JSON calls, or an archive host (a download). */
  to: 'api' | 'download';
  method: 'GET' | 'POST';
  /** The server's answer, when it gave one. */
  status?: number;
  /** The network error's code, when no answer came (none for a stall or a body that broke off). */
  code?: string | undefined;
}

/** The tries made so far, and the wait the next one would take. */
export interface Attempt {
  /** Failed tries so far, 429s not counted. */
  failures: number;
  /** 429 answers waited out so far. */
  rateLimited: number;
  /** The wait before the next try, ms: the backoff (or Retry-After), or the rate-limit window. */
  waitMs: number;
}

/**
 * What follows a failed try: back off and try again, wait for the rate-limit window (a 429 from the API), fail
 * at once because trying again cannot help, or fail because no try (or no acceptable wait) is left.
 */
export type RetryDecision = 'retry' | 'wait-for-window' | 'not-retryable' | 'exhausted';

/** Network failures where the request provably never reached the server: safe to retry even a POST. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', PROXY_TUNNEL_FAILED]);

/** Failures worth retrying for a GET. */
const TRANSIENT_CODES = new Set([
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

/** 5xx answers the API's GETs are tried again after. */
const API_RETRY_STATUSES = new Set([500, 502, 503, 504]);
/** Refusals no retry mends on a download: the proxy wants credentials, or will not open the tunnel. */
const DOWNLOAD_FINAL_CODES = new Set([PROXY_AUTH_REQUIRED, PROXY_TUNNEL_REFUSED]);

function howRetried({ to, method, status, code }: TryFailure): 'backoff' | 'window' | 'never' {
  if (to === 'api') {
    if (status === 429) return 'window';
    // a POST only when the server provably did not take it: it may have started a job
    if (status !== undefined) return method === 'GET' && API_RETRY_STATUSES.has(status) ? 'backoff' : 'never';
    return (method === 'GET' ? TRANSIENT_CODES : NEVER_SENT_CODES).has(code ?? '') ? 'backoff' : 'never';
  }
  if (status !== undefined) return status >= 500 || status === 429 ? 'backoff' : 'never';
  // a download's GET: any answer that did not come or broke off, but a certificate or a proxy's refusal
  return code !== undefined && (isTlsCode(code) || DOWNLOAD_FINAL_CODES.has(code)) ? 'never' : 'backoff';
}

/** The one place that decides whether a failed try is tried again, for API calls and downloads alike. */
export function decideRetry(failure: TryFailure, attempt: Attempt, policy: Readonly<RetryPolicy>): RetryDecision {
  const how = howRetried(failure);
  if (how === 'never') return 'not-retryable';
  if (attempt.waitMs > policy.maxRateLimitWaitMs) return 'exhausted';
  if (how === 'window') return attempt.rateLimited >= policy.rateLimitRetries ? 'exhausted' : 'wait-for-window';
  return attempt.failures >= policy.retries ? 'exhausted' : 'retry';
}

/**
 * The one retry engine, for API calls and downloads alike. A try that fails in a way decideRetry may let try
 * again throws a Retry saying why, what failed, and what to throw when it does not; anything else it throws
 * ends the call.
 */
export class Retry extends Error {
  constructor(
    reason: string,
    readonly failure: TryFailure,
    /** The error for the caller once no try is left: told how many tries were made (and the wait asked for, if any). */
    readonly exhausted: (tries: number, waitMs?: number) => Error,
    readonly options: {
      /** The server asked to wait at least this long (Retry-After). */
      afterMs?: number;
      /** A 429: the window's wait (waitMs), and who to tell when it is waited out. */
      rateLimit?: { waitMs: number; rateClass: string; onWait?: (waitMs: number) => void };
      /** The error when decideRetry says trying again cannot help; without it, `exhausted` after one try. */
      notRetried?: () => Error;
    } = {},
  ) {
    super(reason);
  }
}
export interface RetryContext {
  policy: Readonly<RetryPolicy>;
  signal: AbortSignal;
  onProgress: ProgressListener;
  /** Where the retries happen, for progress events: a route or "download". */
  route: string;
}

/** Capped exponential backoff with jitter (half fixed, half random), so parallel clients spread out. */
export function backoffDelay(policy: Readonly<RetryPolicy>, attempt: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

export async function withRetries<T>(ctx: RetryContext, attempt: () => Promise<T>): Promise<T> {
  const { policy } = ctx;
  let failures = 0;
  let limited = 0;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (!(error instanceof Retry)) throw error;
      const rateLimit = error.options.rateLimit;
      const waitMs = rateLimit?.waitMs ?? Math.max(error.options.afterMs ?? 0, backoffDelay(policy, failures));
      const decision = decideRetry(error.failure, { failures, rateLimited: limited, waitMs }, policy);
      if (decision === 'not-retryable') throw error.options.notRetried?.() ?? error.exhausted(1);
      if (decision === 'exhausted') throw error.exhausted((rateLimit ? limited : failures) + 1, waitMs);
      if (decision === 'wait-for-window') {
        limited += 1;
        rateLimit?.onWait?.(waitMs);
        ctx.onProgress({ type: 'rate-limit-wait', rateClass: rateLimit?.rateClass ?? 'normal', waitMs, reason: '429' });
        await sleep(waitMs, ctx.signal);
        continue;
      }
      failures += 1;
      ctx.onProgress({ type: 'retry', attempt: failures, delayMs: waitMs, reason: error.message, route: ctx.route });
      await sleep(waitMs, ctx.signal);
    }
  }
}
