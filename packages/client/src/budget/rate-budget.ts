import type { ProgressListener } from '../common/index.js';
import { formatMs, RateLimitError, sleep } from '../common/index.js';

export type RateClass = 'normal' | 'strict';

interface ClassState {
  /** Requests left in the window, as last told by the server less those sent since. */
  remaining: number | undefined;
  /** Local time (ms) when the window resets. */
  resetAt: number | undefined;
  inFlight: number;
  /** Callers waiting for an answer that tells the budget. */
  waiters: Array<() => void>;
}

/** Added to every computed wait: the server's Date header has one-second resolution. */
export const RESET_MARGIN_MS = 250;

export interface AcquireOptions {
  signal: AbortSignal;
  onProgress: ProgressListener;
  /** The longest wait allowed; a longer one fails with RateLimitError at once. */
  maxWaitMs: number;
  /** For the error: the request that would have waited. */
  method: string;
  route: string;
  path: string;
}

/** What the transport asks of a budget: the in-process RateBudget, or one shared through Redis (SharedBudget). */
export interface Budget {
  /** Resolves when a request of this class may be sent; counts it as in flight. Every wait is announced and capped. */
  acquire(rateClass: RateClass, options: AcquireOptions): Promise<void>;
  /** Takes the answer's rate-limit headers into account and ends the request's in-flight count. */
  release(rateClass: RateClass, headers: Headers | undefined): void;
  /** The local time the window resets and how many requests are left, if known: to pace polling. */
  snapshot(rateClass: RateClass): { remaining: number | undefined; resetAt: number | undefined };
  /** After a 429: nothing is left until `resetAt`. */
  exhaust(rateClass: RateClass, resetAt: number): void;
  /**
   * For the length of an operation: a shared budget keeps its connection while anyone holds it. Returns the release.
   */
  hold(): () => void;
}

/** The budget of a class is spent and its window resets later than the caller may wait. */
export function spentError(
  rateClass: RateClass,
  waitMs: number,
  resetAt: number | undefined,
  options: AcquireOptions,
): RateLimitError {
  return new RateLimitError(
    `${options.method} ${options.path}: the API's ${rateClass} rate-limit budget is spent and its window resets in ` +
      `${formatMs(waitMs)}, over the ${formatMs(options.maxWaitMs)} allowed (retry.maxRateLimitWaitMs): ` +
      'run fewer builds with this token, or raise the limit',
    options.method,
    options.route,
    resetAt === undefined ? undefined : new Date(resetAt),
  );
}

/**
 * Tracks the API's rate-limit headers per class and makes callers wait for the window to reset instead of
 * earning a 429. One budget is shared by every client with the same origin and token (see budgetFor).
 */
export class RateBudget implements Budget {
  private classes = new Map<RateClass, ClassState>();

  constructor(private readonly now: () => number = Date.now) {}

  private state(rateClass: RateClass): ClassState {
    let state = this.classes.get(rateClass);
    if (!state) {
      state = { remaining: undefined, resetAt: undefined, inFlight: 0, waiters: [] };
      this.classes.set(rateClass, state);
    }
    return state;
  }

  /** Resolves when a request of this class may be sent; counts it as in flight. Every wait is announced and capped. */
  async acquire(rateClass: RateClass, options: AcquireOptions): Promise<void> {
    const state = this.state(rateClass);
    for (;;) {
      const now = this.now();
      if (state.resetAt !== undefined && now >= state.resetAt) {
        state.remaining = undefined;
        state.resetAt = undefined;
      }
      // While the budget is unknown, one request goes first and its answer tells the rest how many may follow.
      if (state.remaining === undefined && state.inFlight > 0) {
        await this.nextAnswer(state, options.signal);
        continue;
      }
      if (state.remaining === undefined || state.remaining > 0) break;
      const waitMs = Math.max(0, (state.resetAt ?? now) - now) + RESET_MARGIN_MS;
      if (waitMs > options.maxWaitMs) throw spentError(rateClass, waitMs, state.resetAt, options);
      options.onProgress({ type: 'rate-limit-wait', rateClass, waitMs, reason: 'budget' });
      await sleep(waitMs, options.signal);
      state.remaining = undefined;
      state.resetAt = undefined;
    }
    if (state.remaining !== undefined) state.remaining -= 1;
    state.inFlight += 1;
  }

  private nextAnswer(state: ClassState, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        state.waiters = state.waiters.filter((w) => w !== wake);
        reject(signal.reason);
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      state.waiters.push(wake);
    });
  }

  /** Takes the answer's rate-limit headers into account and ends the request's in-flight count. */
  release(rateClass: RateClass, headers: Headers | undefined): void {
    const state = this.state(rateClass);
    state.inFlight = Math.max(0, state.inFlight - 1);
    const remaining = Number(headers?.get('x-ratelimit-remaining') ?? Number.NaN);
    const resetAt = headers ? resetTime(headers, this.now()) : undefined;
    if (Number.isFinite(remaining) && remaining >= 0 && resetAt !== undefined) {
      state.remaining = Math.max(0, remaining - state.inFlight);
      state.resetAt = resetAt;
    }
    const waiters = state.waiters;
    state.waiters = [];
    for (const wake of waiters) wake();
  }

  /** The local time the window resets and how many requests are left, if known: to pace polling. */
  snapshot(rateClass: RateClass): { remaining: number | undefined; resetAt: number | undefined } {
    const { remaining, resetAt } = this.state(rateClass);
    return { remaining, resetAt };
  }

  /** After a 429: nothing is left until `resetAt`. */
  exhaust(rateClass: RateClass, resetAt: number): void {
    const state = this.state(rateClass);
    state.remaining = 0;
    state.resetAt = resetAt;
  }

  /** Nothing to keep open. */
  hold(): () => void {
    return () => undefined;
  }
}

/**
 * When the window resets, in local milliseconds. X-RateLimit-Reset is epoch seconds on the server's clock;
 * the Date header tells how far that clock is from ours. Nonsense (not a number, past year 9999) is ignored.
 */
export function resetTime(headers: Headers, now = Date.now()): number | undefined {
  const raw = headers.get('x-ratelimit-reset');
  const reset = Number(raw);
  if (!raw || !Number.isFinite(reset) || reset < 0 || reset > 253_402_300_799) return undefined;
  const serverNow = Date.parse(headers.get('date') ?? '');
  const offset = Number.isFinite(serverNow) ? now - serverNow : 0;
  return reset * 1000 + offset;
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d{1,12}$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  if (!Number.isFinite(at)) return undefined;
  const serverNow = Date.parse(headers.get('date') ?? '');
  return Math.max(0, at - (Number.isFinite(serverNow) ? serverNow : now));
}

const budgets = new Map<string, RateBudget>();

/** Forgets every budget (tests that reset a mock's windows between cases). */
export function forgetBudgets(): void {
  budgets.clear();
}

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
