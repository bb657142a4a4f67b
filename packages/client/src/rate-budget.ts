import type { ProgressListener } from './progress.js';
import { sleep } from './timing.js';

export type RateClass = 'normal' | 'strict';

interface ClassState {
  /** Requests left in the window, as last told by the server less those sent since. */
  remaining?: number;
  /** Local time (ms) when the window resets. */
  resetAt?: number;
  inFlight: number;
  /** Callers waiting for an answer that tells the budget. */
  waiters: Array<() => void>;
}

/** Added to every computed wait: the server's Date header has one-second resolution. */
export const RESET_MARGIN_MS = 250;

/**
 * Tracks the API's rate-limit headers per class and makes callers wait for the window to reset instead of
 * earning a 429. One budget is shared by every client with the same origin and token (see budgetFor).
 */
export class RateBudget {
  private classes = new Map<RateClass, ClassState>();

  private state(rateClass: RateClass): ClassState {
    let state = this.classes.get(rateClass);
    if (!state) {
      state = { inFlight: 0, waiters: [] };
      this.classes.set(rateClass, state);
    }
    return state;
  }

  /** Resolves when a request of this class may be sent; counts it as in flight. */
  async acquire(rateClass: RateClass, signal: AbortSignal, onProgress?: ProgressListener): Promise<void> {
    const state = this.state(rateClass);
    for (;;) {
      const now = Date.now();
      if (state.resetAt !== undefined && now >= state.resetAt) {
        state.remaining = undefined;
        state.resetAt = undefined;
      }
      // While the budget is unknown, one request goes first and its answer tells the rest how many may follow.
      if (state.remaining === undefined && state.inFlight > 0) {
        await this.nextAnswer(state, signal);
        continue;
      }
      if (state.remaining === undefined || state.remaining > 0) break;
      const waitMs = Math.max(0, (state.resetAt ?? now) - now) + RESET_MARGIN_MS;
      onProgress?.({ type: 'rate-limit-wait', rateClass, waitMs, reason: 'budget' });
      await sleep(waitMs, signal);
      state.remaining = undefined;
      state.resetAt = undefined;
    }
    if (state.remaining !== undefined) state.remaining -= 1;
    state.inFlight += 1;
  }

  private nextAnswer(state: ClassState, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        state.waiters = state.waiters.filter((w) => w !== wake);
        reject(signal.reason);
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      state.waiters.push(wake);
    });
  }

  /** Takes the answer's rate-limit headers into account and ends the request's in-flight count. */
  release(rateClass: RateClass, headers: Headers | undefined): void {
    const state = this.state(rateClass);
    state.inFlight = Math.max(0, state.inFlight - 1);
    const remaining = Number(headers?.get('x-ratelimit-remaining') ?? Number.NaN);
    const resetAt = headers ? resetTime(headers) : undefined;
    if (Number.isFinite(remaining) && resetAt !== undefined) {
      state.remaining = Math.max(0, remaining - state.inFlight);
      state.resetAt = resetAt;
    }
    const waiters = state.waiters;
    state.waiters = [];
    for (const wake of waiters) wake();
  }

  /** The local time the window resets and how many requests are left, if known: to pace polling. */
  snapshot(rateClass: RateClass): { remaining?: number; resetAt?: number } {
    const { remaining, resetAt } = this.state(rateClass);
    return { remaining, resetAt };
  }

  /** After a 429: nothing is left until `resetAt`. */
  exhaust(rateClass: RateClass, resetAt: number): void {
    const state = this.state(rateClass);
    state.remaining = 0;
    state.resetAt = resetAt;
  }
}

/**
 * When the window resets, in local milliseconds. X-RateLimit-Reset is epoch seconds on the server's clock;
 * the Date header tells how far that clock is from ours.
 */
export function resetTime(headers: Headers): number | undefined {
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (!headers.get('x-ratelimit-reset') || !Number.isFinite(reset)) return undefined;
  const serverNow = Date.parse(headers.get('date') ?? '');
  const offset = Number.isFinite(serverNow) ? Date.now() - serverNow : 0;
  return reset * 1000 + offset;
}

/** Retry-After in seconds or as an HTTP date, in local milliseconds from now. */
export function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  const serverNow = Date.parse(headers.get('date') ?? '');
  if (!Number.isFinite(at)) return undefined;
  return Math.max(0, at - (Number.isFinite(serverNow) ? serverNow : Date.now()));
}

const budgets = new Map<string, RateBudget>();

/** The budget shared by all clients of one origin and token, so parallel builds in one process share the limits. */
export function budgetFor(origin: string, tokenFingerprint: string): RateBudget {
  const key = `${origin}\u0000${tokenFingerprint}`;
  let budget = budgets.get(key);
  if (!budget) {
    budget = new RateBudget();
    budgets.set(key, budget);
  }
  return budget;
}
