/** Hooks for tests of this package and of the adapters: not part of the API users build on. */
import { setTestAuthority } from './network/index.js';

export { forgetBudgets, forgetBudgetWarning } from './budget/index.js';
export { liveTempDirs } from './download/index.js';

/**
 * Clients created until the returned function is called trust this CA (PEM) instead of the machine's: for
 * HTTPS against a test CA in one process, where NODE_EXTRA_CA_CERTS (read at start) cannot be set. It only
 * changes which CA is trusted; certificates are still verified.
 */
export function trustCaForTests(ca: string): () => void {
  setTestAuthority(ca);
  return () => setTestAuthority(undefined);
}
