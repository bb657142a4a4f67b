import vm from 'node:vm';

/** Long enough for any settings or loading-screen script; short enough that a runaway loop cannot hang a build. */
const RUN_LIMIT_MS = 1000;

/**
 * A value that tolerates anything a page script does to it: any property is another such value, calling or
 * constructing one returns one, assignments are kept. It lets the build's own boot scripts run in Node far
 * enough to tell what they set and insert, without a browser.
 */
export function tolerant(known: Record<PropertyKey, unknown> = {}): Record<string, unknown> {
  const kept: Record<PropertyKey, unknown> = { ...known };
  const target = function tolerantValue() {};
  return new Proxy(target, {
    get(_target, key) {
      if (key in kept) return kept[key];
      if (key === Symbol.toPrimitive) return () => '';
      if (key === 'then') return undefined; // not a thenable
      if (typeof key === 'symbol') return undefined;
      kept[key] = tolerant();
      return kept[key];
    },
    set(_target, key, value) {
      kept[key] = value;
      return true;
    },
    has: () => true,
    apply: () => tolerant(),
    construct: () => tolerant() as object,
  }) as unknown as Record<string, unknown>;
}

export interface Sandbox {
  readonly global: Record<string, unknown>;
  /** Runs a script as the page would (globals on `window`); throws what the script throws, or a timeout. */
  run(code: string, filename: string): unknown;
}

/** A fresh global for page scripts: `window`, `self` and `globalThis` are the same object, as in a page. */
export function createSandbox(globals: Record<string, unknown>): Sandbox {
  const context = vm.createContext({ ...globals });
  vm.runInContext('var window = globalThis, self = globalThis;', context);
  return {
    global: context as Record<string, unknown>,
    run: (code, filename) => vm.runInContext(code, context, { filename, timeout: RUN_LIMIT_MS }),
  };
}
