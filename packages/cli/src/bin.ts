#!/usr/bin/env node
import { exitWhenDone } from './exit.js';
import { EXIT, main } from './main.js';

// Ctrl-C or SIGTERM: abort what is in flight (the command then cleans up and exits 130 or 143); a second one ends at
// once.
const controller = new AbortController();
for (const [signal, exitCode] of [
  ['SIGINT', EXIT.interrupted],
  ['SIGTERM', EXIT.terminated],
] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(exitCode);
    controller.abort(Object.assign(new Error(`received ${signal}`), { exitCode }));
  });
}

await exitWhenDone(await main(process.argv.slice(2), undefined, controller.signal));
