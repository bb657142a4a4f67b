/** Hooks for tests of this package and of the adapters: not part of the API users build on. */
import { setTestAuthority } from './dispatcher.js';
import { CLIENT_OPTIONS } from './options.js';

export { forgetBudgetWarning } from './budget-store.js';
export { forgetBudgets } from './rate-budget.js';
export { liveTempDirs } from './temp-files.js';

/** Replaces a client option's default until the returned function is called: to test that the default reaches every layer. */
export function overrideDefault(option: keyof typeof CLIENT_OPTIONS, value: unknown): () => void {
  const spec = CLIENT_OPTIONS[option] as { default?: unknown };
  const before = spec.default;
  spec.default = value;
  return () => {
    spec.default = before;
  };
}

/**
 * Clients created until the returned function is called trust this CA (PEM) instead of the machine's: for
 * HTTPS against a test CA in one process, where NODE_EXTRA_CA_CERTS (read at start) cannot be set. It only
 * changes which CA is trusted; certificates are still verified.
 */
export function trustCaForTests(ca: string): () => void {
  setTestAuthority(ca);
  return () => setTestAuthority(undefined);
}
