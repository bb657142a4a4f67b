import { createRequire } from 'node:module';

type Level = 'debug' | 'info' | 'warn';
interface Emitter {
  listenerCount(event: string): number;
  emit(event: string, message: string): boolean;
}

/** Where gulplog 2 (gulp 5's gulp-cli 3) and gulplog 1 (gulp 4's gulp-cli 2) keep their emitters. */
const V2_STORE = Symbol.for('sparkles:store');
const V1_STORE = 'store@sparkles';

function emitterIn(store: unknown): Emitter | undefined {
  const emitter = (store as { gulplog?: Emitter } | undefined)?.gulplog;
  return typeof emitter?.listenerCount === 'function' ? emitter : undefined;
}

const require = createRequire(import.meta.url);
let gulplog: Record<Level, (message: string) => void> | undefined;

/**
 * The plugin logs through gulplog 2, which gulp 5 shows. Under gulp 4, gulp-cli 2 listens on gulplog 1's
 * emitter and never sees gulplog 2's lines: then they go there. And gulplog 2 is loaded only when someone
 * listens to it: merely loading it under gulp 4 takes over the store gulp-cli 2 listens on, and the task's
 * failure then crashes the CLI (ERR_UNHANDLED_ERROR) instead of being shown. Decided per line, because the
 * CLI attaches its listeners after the gulpfile (and this module) is loaded.
 */
function at(level: Level): (message: string) => void {
  return (message) => {
    const v2 = emitterIn((globalThis as Record<symbol, unknown>)[V2_STORE]);
    if (v2 && (v2.listenerCount(level) > 0 || v2.listenerCount('error') > 0)) {
      gulplog ??= require('gulplog') as Record<Level, (message: string) => void>;
      gulplog[level](message);
      return;
    }
    const v1 = emitterIn((globalThis as Record<string, unknown>)[V1_STORE]);
    if (v1 && v1.listenerCount(level) > 0) v1.emit(level, message);
    // nobody listens (the plugin used outside a gulp CLI): like gulplog itself, say nothing
  };
}

export const log = { debug: at('debug'), info: at('info'), warn: at('warn') };
