import type { ProgressListener } from '../common/index.js';
import { sleep } from '../common/index.js';
import type { RetryPolicy } from '../options/index.js';

/**
 * The one retry engine, for API calls and downloads alike. An attempt that may be tried again throws a
 * Retry saying why and what to throw when the tries run out; anything else it throws ends the call.
 */
export class Retry extends Error {
  constructor(
    reason: string,
    /** The error for the caller once no try is left: told how many tries were made (and the wait asked for, if any). */
    readonly exhausted: (tries: number, waitMs?: number) => Error,
    readonly options: {
      /** The server asked to wait at least this long (Retry-After). */
      afterMs?: number;
      /** A 429: wait for the window (waitMs) rather than back off; counted apart from other failures. */
      rateLimit?: { waitMs: number; rateClass: string; onWait?: (waitMs: number) => void };
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
export function backoffDelay(policy: Readonly<RetryPolicy>, attempt: number, random: () => number = Math.random): number {
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
      if (rateLimit) {
        if (limited >= policy.rateLimitRetries || rateLimit.waitMs > policy.maxRateLimitWaitMs) throw error.exhausted(limited + 1, rateLimit.waitMs);
        limited += 1;
        rateLimit.onWait?.(rateLimit.waitMs);
        ctx.onProgress({ type: 'rate-limit-wait', rateClass: rateLimit.rateClass, waitMs: rateLimit.waitMs, reason: '429' });
        await sleep(rateLimit.waitMs, ctx.signal);
        continue;
      }
      const delayMs = Math.max(error.options.afterMs ?? 0, backoffDelay(policy, failures));
      if (failures >= policy.retries || delayMs > policy.maxRateLimitWaitMs) throw error.exhausted(failures + 1, delayMs);
      failures += 1;
      ctx.onProgress({ type: 'retry', attempt: failures, delayMs, reason: error.message, route: ctx.route });
      await sleep(delayMs, ctx.signal);
    }
  }
}
