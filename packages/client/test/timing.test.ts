import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { paceForBudget, pollDelay } from '../src/api/jobs.js';
import { backoffDelay, Retry, withRetries } from '../src/api/retry.js';
import { RateBudget, RESET_MARGIN_MS, resetTime, retryAfterMs } from '../src/budget/rate-budget.js';
import { RateLimitError, TimeoutError } from '../src/common/errors.js';
import type { ProgressEvent } from '../src/common/progress.js';
import { clampDelay, MAX_TIMER_MS, sleep, withDeadline } from '../src/common/timing.js';

const POLICY = { retries: 2, baseDelayMs: 100, maxDelayMs: 1000, rateLimitRetries: 2, maxRateLimitWaitMs: 65_000 };

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
});
afterEach(() => {
  vi.useRealTimers();
});

function headers(values: Record<string, string>): Headers {
  return new Headers(values);
}

describe('poll schedule', () => {
  it('polls soon, then backs off by the factor to the ceiling', () => {
    const poll = { initialDelayMs: 500, factor: 2, maxDelayMs: 2000 };
    expect([0, 1, 2, 3, 10, 1000].map((n) => pollDelay(poll, n))).toEqual([500, 1000, 2000, 2000, 2000, 2000]);
  });

  it('paces polling so the budget left lasts until the window resets, keeping a reserve', () => {
    const now = Date.now();
    expect(paceForBudget(500, { remaining: undefined, resetAt: undefined }, now)).toBe(500);
    expect(paceForBudget(500, { remaining: 12, resetAt: now + 60_000 }, now)).toBe(6000);
    expect(paceForBudget(9000, { remaining: 12, resetAt: now + 60_000 }, now)).toBe(9000);
    expect(paceForBudget(500, { remaining: 2, resetAt: now + 30_000 }, now)).toBe(30_000);
  });
});

describe('rate-limit headers', () => {
  it('reads X-RateLimit-Reset in epoch seconds, corrected by the Date header for clock skew', () => {
    const now = Date.now();
    // the server's clock is 10 s behind ours: its reset, 30 s ahead of it, is 40 s from now... minus the skew
    const h = headers({
      'x-ratelimit-reset': String((now - 10_000) / 1000 + 30),
      date: new Date(now - 10_000).toUTCString(),
    });
    expect(resetTime(h, now)).toBe(now + 30_000);
  });

  it('ignores a reset that is not a time (not a number, negative, past year 9999)', () => {
    for (const value of ['soon', '-5', '1e12', ''])
      expect(resetTime(headers({ 'x-ratelimit-reset': value }), Date.now()), value).toBeUndefined();
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    const now = Date.now();
    expect(retryAfterMs(headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(
      retryAfterMs(
        headers({ 'retry-after': new Date(now + 5000).toUTCString(), date: new Date(now).toUTCString() }),
        now,
      ),
    ).toBe(5000);
    expect(retryAfterMs(headers({ 'retry-after': 'whenever' }), now)).toBeUndefined();
  });
});

describe('the rate budget', () => {
  const acquireOptions = (events: ProgressEvent[], maxWaitMs = 65_000) => ({
    signal: new AbortController().signal,
    onProgress: (e: ProgressEvent) => events.push(e),
    maxWaitMs,
    method: 'GET',
    route: '/api/jobs/:id',
    path: '/api/jobs/1',
  });

  it('lets one request go first while the budget is unknown, then the rest as its answer allows', async () => {
    const budget = new RateBudget();
    const events: ProgressEvent[] = [];
    await budget.acquire('normal', acquireOptions(events));
    let second = false;
    const waiting = budget.acquire('normal', acquireOptions(events)).then(() => {
      second = true;
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(second).toBe(false);
    budget.release(
      'normal',
      headers({ 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': String(Date.now() / 1000 + 60) }),
    );
    await waiting;
    expect(second).toBe(true);
    expect(events).toEqual([]);
  });

  it('waits for the window to reset when the budget is spent, and says so', async () => {
    const budget = new RateBudget();
    const events: ProgressEvent[] = [];
    await budget.acquire('strict', acquireOptions(events));
    budget.release(
      'strict',
      headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Date.now() / 1000 + 20) }),
    );
    let through = false;
    const waiting = budget.acquire('strict', acquireOptions(events)).then(() => {
      through = true;
    });
    await vi.advanceTimersByTimeAsync(19_000);
    expect(through).toBe(false);
    await vi.advanceTimersByTimeAsync(1000 + RESET_MARGIN_MS);
    await waiting;
    expect(through).toBe(true);
    expect(events).toEqual([
      { type: 'rate-limit-wait', rateClass: 'strict', waitMs: 20_000 + RESET_MARGIN_MS, reason: 'budget' },
    ]);
  });

  it('fails at once, without waiting, when the window resets later than allowed', async () => {
    const budget = new RateBudget();
    const events: ProgressEvent[] = [];
    await budget.acquire('normal', acquireOptions(events));
    budget.release(
      'normal',
      headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Date.now() / 1000 + 3600) }),
    );
    const error = await budget.acquire('normal', acquireOptions(events, 60_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as Error).message).toBe(
      "GET /api/jobs/1: the API's normal rate-limit budget is spent and its window resets in 60 min, " +
        'over the 60 s allowed (retry.maxRateLimitWaitMs): run fewer builds with this token, or raise the limit',
    );
    expect(events).toEqual([]);
  });
});

describe('the retry engine', () => {
  it('backs off exponentially with jitter under the ceiling', () => {
    expect(backoffDelay(POLICY, 0, () => 0)).toBe(50);
    expect(backoffDelay(POLICY, 0, () => 1)).toBe(100);
    expect(backoffDelay(POLICY, 3, () => 1)).toBe(800);
    expect(backoffDelay(POLICY, 10, () => 1)).toBe(1000);
  });

  it('retries a Retry up to the policy, announcing each, then throws what the attempt says', async () => {
    const events: ProgressEvent[] = [];
    let tries = 0;
    const run = withRetries(
      { policy: POLICY, signal: new AbortController().signal, onProgress: (e) => events.push(e), route: 'r' },
      async () => {
        tries += 1;
        throw new Retry('it broke', { to: 'download', method: 'GET' }, (n) => new Error(`gave up after ${n}`));
      },
    );
    const settled = run.catch((e: Error) => e.message);
    await vi.runAllTimersAsync();
    expect(await settled).toBe('gave up after 3');
    expect(tries).toBe(3);
    expect(events.map((e) => e.type)).toEqual(['retry', 'retry']);
  });

  it('gives up at once on a wait asked for (Retry-After, 429) longer than allowed', async () => {
    const events: ProgressEvent[] = [];
    const run = withRetries(
      { policy: POLICY, signal: new AbortController().signal, onProgress: (e) => events.push(e), route: 'r' },
      async () => {
        const failure = { to: 'api', method: 'GET', status: 429 } as const;
        const rateLimit = { waitMs: 100_000, rateClass: 'normal' };
        throw new Retry('429', failure, (n, wait) => new Error(`${n} ${wait}`), { rateLimit });
      },
    );
    expect(await run.catch((e: Error) => e.message)).toBe('1 100000');
    expect(events).toEqual([]);
  });
});

describe('timers', () => {
  it('clamps every delay to what Node can honour', () => {
    expect(clampDelay(-5)).toBe(0);
    expect(clampDelay(3e9)).toBe(MAX_TIMER_MS);
    expect(clampDelay(Number.POSITIVE_INFINITY)).toBe(MAX_TIMER_MS);
    expect(clampDelay(1500.4)).toBe(1500);
  });

  it('a timeout of 3e9 ms does not fire after 3 ms (as an unclamped timer would)', async () => {
    let fired: unknown;
    const work = withDeadline({ what: 'waiting' }, 3e9, undefined, (signal) => sleep(10_000, signal)).catch(
      (e: unknown) => {
        fired = e;
      },
    );
    await vi.advanceTimersByTimeAsync(10_000);
    await work;
    expect(fired).toBeUndefined();
  });

  it('the deadline fires with a TimeoutError naming what was going on', async () => {
    const work = withDeadline({ what: 'waiting for job 7', jobId: 7 }, 1000, undefined, (signal) =>
      sleep(60_000, signal),
    ).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    const error = (await work) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe(
      'Timed out after 1 s while waiting for job 7: raise the timeout option if the build is large',
    );
    expect(error.jobId).toBe(7);
  });
});
