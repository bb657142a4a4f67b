export interface PollOptions {
  /** Delay before the first poll, ms. Default 500. */
  initialDelayMs: number;
  /** Each delay is the previous one times this. Default 2. */
  factor: number;
  /** The longest delay between polls, ms. Default 2000. */
  maxDelayMs: number;
}

export const DEFAULT_POLL: PollOptions = { initialDelayMs: 500, factor: 2, maxDelayMs: 2000 };

/** Delay before poll number `n` (0 = the first): soon at first, then backing off toward the ceiling. */
export function pollDelay(options: PollOptions, n: number): number {
  return Math.round(Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** n));
}

/**
 * Stretches a delay so the remaining requests of the window last until it resets: polling then never
 * spends the budget that other calls of the same token need.
 */
export function paceForBudget(delayMs: number, budget: { remaining?: number; resetAt?: number }, now = Date.now(), reserve = 2): number {
  if (budget.remaining === undefined || budget.resetAt === undefined) return delayMs;
  const untilReset = Math.max(0, budget.resetAt - now);
  const spendable = budget.remaining - reserve;
  if (spendable <= 0) return Math.max(delayMs, untilReset);
  return Math.max(delayMs, Math.ceil(untilReset / spendable));
}
