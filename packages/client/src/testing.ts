/** Hooks for tests of this package and of the adapters: not part of the API users build on. */
import { CLIENT_OPTIONS } from './options.js';

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
