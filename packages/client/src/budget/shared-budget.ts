import { createHash } from 'node:crypto';
import { sleep } from '../common/index.js';
import { type BudgetStore, StoreUnavailable, storeFor } from './budget-store.js';
import {
  type AcquireOptions,
  type Budget,
  type RateBudget,
  type RateClass,
  RESET_MARGIN_MS,
  resetTime,
  spentError,
} from './rate-budget.js';

/** How often a request asks again while another process's first request of a window awaits its answer. */
const ANSWER_POLL_MS = 40;
/** An idle budget's hash expires after this (each write renews it): windows are a minute. */
export const KEY_TTL_MS = 10 * 60_000;

export interface SharedBudgetSettings {
  /** redis:// or rediss:// URL, password and all. */
  redis: string;
  /** Prefix of the keys, e.g. to keep two environments apart on one Redis. */
  key: string;
}

/** The Redis key of a token's budget for a class: a digest of origin and token, never the token itself. */
export function budgetKey(prefix: string, origin: string, token: string, rateClass: RateClass): string {
  const digest = createHash('sha256').update(`${origin}\u0000${token}`).digest('hex').slice(0, 32);
  return `${prefix}:${digest}:${rateClass}`;
}

/**
 * The budget of one token shared by every process that names the same Redis: the same rules as RateBudget
 * (the headers and 429s correct it, waits are announced and capped), kept in Redis and changed by its scripts
 * (budget-scripts.ts). When Redis fails, the warning is given once and the process's own budget takes over;
 * every answer is told to that one too, so it takes over knowing what the API said last.
 */
export class SharedBudget implements Budget {
  private readonly store: BudgetStore;
  /** The Redis key per class: made once, so the budget keeps a digest of the token, never the token. */
  private readonly keys: Record<RateClass, string>;
  private readonly inFlight = new Map<RateClass, number>();
  private readonly seen = new Map<RateClass, { remaining: number | undefined; resetAt: number | undefined }>();

  constructor(
    settings: SharedBudgetSettings,
    origin: string,
    token: string,
    private readonly local: RateBudget,
    /** How long a first request may keep the others waiting for its answer: the request timeout. */
    private readonly leaseMs: number,
  ) {
    this.store = storeFor(settings.redis);
    this.keys = {
      normal: budgetKey(settings.key, origin, token, 'normal'),
      strict: budgetKey(settings.key, origin, token, 'strict'),
    };
  }

  private key(rateClass: RateClass): string {
    return this.keys[rateClass];
  }

  hold(): () => void {
    return this.store.hold();
  }

  async acquire(rateClass: RateClass, options: AcquireOptions): Promise<void> {
    for (;;) {
      const now = Date.now();
      let answer: [string, number, number?];
      try {
        answer = await this.store.acquire(this.key(rateClass), now, this.leaseMs, KEY_TTL_MS);
      } catch (error) {
        if (!(error instanceof StoreUnavailable)) throw error;
        this.warn(options);
        return this.local.acquire(rateClass, options);
      }
      const [verdict, a, b] = answer;
      if (verdict === 'go') {
        this.remember(rateClass, a, b ?? -1);
        this.inFlight.set(rateClass, (this.inFlight.get(rateClass) ?? 0) + 1);
        return;
      }
      if (verdict === 'answer') {
        await sleep(Math.min(ANSWER_POLL_MS, Math.max(1, a)), options.signal);
        continue;
      }
      const resetAt = Number.isFinite(a) ? a : now;
      const waitMs = Math.max(0, resetAt - now) + RESET_MARGIN_MS;
      if (waitMs > options.maxWaitMs) throw spentError(rateClass, waitMs, resetAt, options);
      options.onProgress({ type: 'rate-limit-wait', rateClass, waitMs, reason: 'budget' });
      await sleep(waitMs, options.signal);
    }
  }

  release(rateClass: RateClass, headers: Headers | undefined): void {
    this.local.release(rateClass, headers);
    const inFlight = Math.max(0, (this.inFlight.get(rateClass) ?? 0) - 1);
    this.inFlight.set(rateClass, inFlight);
    const now = Date.now();
    const told = Number(headers?.get('x-ratelimit-remaining') ?? Number.NaN);
    const window = Number(headers?.get('x-ratelimit-reset') ?? Number.NaN);
    const resetAt = headers ? resetTime(headers, now) : undefined;
    const known = Number.isFinite(told) && told >= 0 && Number.isFinite(window) && resetAt !== undefined;
    this.store
      .release(
        this.key(rateClass),
        now,
        known ? window : -1,
        known ? Math.max(0, told - inFlight) : -1,
        resetAt ?? -1,
        KEY_TTL_MS,
      )
      .then(([remaining, reset]) => this.remember(rateClass, remaining, reset))
      .catch(() => undefined);
  }

  snapshot(rateClass: RateClass): { remaining: number | undefined; resetAt: number | undefined } {
    return this.store.usable
      ? (this.seen.get(rateClass) ?? { remaining: undefined, resetAt: undefined })
      : this.local.snapshot(rateClass);
  }

  exhaust(rateClass: RateClass, resetAt: number): void {
    this.local.exhaust(rateClass, resetAt);
    this.remember(rateClass, 0, resetAt);
    this.store.exhaust(this.key(rateClass), resetAt, KEY_TTL_MS).catch(() => undefined);
  }

  private remember(rateClass: RateClass, remaining: number, resetAt: number): void {
    this.seen.set(
      rateClass,
      remaining < 0 || resetAt < 0 ? { remaining: undefined, resetAt: undefined } : { remaining, resetAt },
    );
  }

  private warn(options: AcquireOptions): void {
    const warning = this.store.takeWarning();
    if (warning) options.onProgress({ type: 'warning', message: warning });
  }
}

const shared = new Map<string, SharedBudget>();

/** The shared budget of one Redis, key prefix, origin and token, made once per process. */
export function sharedBudgetFor(
  settings: SharedBudgetSettings,
  origin: string,
  token: string,
  local: RateBudget,
  leaseMs: number,
): SharedBudget {
  const id = `${settings.redis}\u0000${settings.key}\u0000${budgetKey('', origin, token, 'normal')}`;
  let budget = shared.get(id);
  if (!budget) {
    budget = new SharedBudget(settings, origin, token, local, leaseMs);
    shared.set(id, budget);
  }
  return budget;
}
