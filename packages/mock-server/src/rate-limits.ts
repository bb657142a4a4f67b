import type { MockClock } from './clock.js';

export type RateClass = 'normal' | 'strict' | 'assets' | 'post' | 'download';

export type RateLimits = Record<RateClass, number>;

/** The documented limits for personal and organization accounts, requests per minute. */
export const ORGANIZATION_LIMITS: RateLimits = { normal: 240, strict: 10, assets: 120, post: 60, download: 10000 };
export const FREE_LIMITS: RateLimits = { normal: 120, strict: 5, assets: 60, post: 30, download: 5000 };

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Window end, epoch seconds on the mock's clock. */
  reset: number;
}

interface Window {
  start: number;
  used: number;
}

/** Fixed one-minute windows per token and class, on the mock's clock. */
export class RateLimiter {
  private windows = new Map<string, Window>();

  constructor(
    private clock: MockClock,
    public limits: RateLimits = { ...ORGANIZATION_LIMITS },
    public windowMs = 60_000,
  ) {}

  take(key: string, rateClass: RateClass): RateDecision {
    const now = this.clock.now();
    const id = `${rateClass}\u0000${key}`;
    let window = this.windows.get(id);
    const windowStart = Math.floor(now / this.windowMs) * this.windowMs;
    if (!window || window.start !== windowStart) {
      window = { start: windowStart, used: 0 };
      this.windows.set(id, window);
    }
    const limit = this.limits[rateClass];
    const reset = Math.ceil((window.start + this.windowMs) / 1000);
    if (window.used >= limit) return { allowed: false, limit, remaining: 0, reset };
    window.used += 1;
    return { allowed: true, limit, remaining: limit - window.used, reset };
  }

  /** New limits and window length, together (all checked by the caller first); the windows start again. */
  configure(limits: RateLimits, windowMs: number): void {
    this.limits = limits;
    this.windowMs = windowMs;
    this.windows.clear();
  }

  reset(): void {
    this.windows.clear();
  }
}
