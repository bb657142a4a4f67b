import type { Budget } from '../budget/index.js';
import { type Activity, bothListeners, type Deadline, type ProgressListener, withDeadline } from '../common/index.js';
import type { ClientConfig, RunOptions } from '../options/index.js';
import { RUN_OPTIONS, resolveOptions } from '../options/index.js';
import type { ApiRequest, Transport } from './transport.js';

/** What every step of an operation works with: one signal (deadline and caller's abort), one listener, the API. */
export interface Context {
  readonly config: ClientConfig;
  /** Sends one API request on this operation's signal, under the retry and rate-limit policy: the parsed JSON body. */
  api(request: ApiRequest): Promise<unknown>;
  /** A plain GET (for downloads): the user agent always, the token only to the API's own origin. */
  fetchUrl(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<Response>;
  /** The rate budget the requests draw from: polls slow down when it runs low. */
  readonly budget: Budget;
  readonly signal: AbortSignal;
  readonly onProgress: ProgressListener;
  /** What is going on now, for the timeout message; steps update it. */
  readonly activity: Activity;
  /**
   * The operation's deadline and the caller's signal: for work that goes on after the call resolves (a download read
   * while it arrives).
   */
  readonly deadline: Deadline;
}

/**
 * Runs one public operation: checks the run options, applies the client's timeout unless the call gives its
 * own, and hands the work a Context. Every public method of the client goes through here.
 */
export async function operation<T>(
  transport: Transport,
  what: string,
  run: RunOptions | undefined,
  work: (ctx: Context) => Promise<T>,
): Promise<T> {
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
      (signal) => {
        const onProgress = bothListeners(config.onProgress, options.onProgress);
        return work({
          config,
          api: (request) => transport.api({ signal, onProgress }, request),
          fetchUrl: (url, headers, fetchSignal) => transport.fetchUrl(url, headers, fetchSignal),
          budget: transport.budget,
          signal,
          onProgress,
          activity,
          deadline,
        });
      },
      deadline.startedAt,
    );
  } finally {
    leave();
  }
}
