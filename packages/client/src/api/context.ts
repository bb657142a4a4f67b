import { type Activity, bothListeners, type Deadline, type ProgressListener, withDeadline } from '../common/index.js';
import type { ClientConfig, RunOptions } from '../options/index.js';
import { RUN_OPTIONS, resolveOptions } from '../options/index.js';
import type { Transport } from './transport.js';

/** What every step of an operation works with: one signal (deadline and caller's abort), one listener, the transport. */
export interface Context {
  readonly config: ClientConfig;
  readonly transport: Transport;
  readonly signal: AbortSignal;
  readonly onProgress: ProgressListener;
  /** What is going on now, for the timeout message; steps update it. */
  readonly activity: Activity;
  /** The operation's deadline and the caller's signal: for work that goes on after the call resolves (a download read while it arrives). */
  readonly deadline: Deadline;
}

/**
 * Runs one public operation: checks the run options, applies the client's timeout unless the call gives its
 * own, and hands the work a Context. Every public method of the client goes through here.
 */
export async function operation<T>(transport: Transport, what: string, run: RunOptions | undefined, work: (ctx: Context) => Promise<T>): Promise<T> {
  const config = transport.config;
  const options = resolveOptions(RUN_OPTIONS, run ?? {}, { label: 'run', listKnown: true }) as RunOptions;
  const activity: Activity = { what, timeoutName: config.words.the('timeout') };
  const timeout = options.timeout ?? config.timeout;
  const deadline: Deadline = { startedAt: performance.now(), timeoutMs: timeout, callerSignal: options.signal };
  // a budget shared through Redis stays connected while some operation needs it, and not longer
  const leave = transport.budget.hold();
  try {
    return await withDeadline(
      activity,
      timeout,
      options.signal,
      (signal) => work({ config, transport, signal, onProgress: bothListeners(config.onProgress, options.onProgress), activity, deadline }),
      deadline.startedAt,
    );
  } finally {
    leave();
  }
}
