/**
 * The API's rate limits: a budget per rate class in this process, or shared through Redis by every process
 * that uses the same token.
 */
export { closeBudgetStores, forgetBudgetWarning } from './budget-store.js';
export type { Budget, RateClass } from './rate-budget.js';
export { budgetFor, forgetBudgets, RESET_MARGIN_MS, resetTime, retryAfterMs } from './rate-budget.js';
export { type SharedBudgetSettings, sharedBudgetFor } from './shared-budget.js';
