import { AbortError, TimeoutError } from './errors.js';

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface DeadlineOptions {
  /** Milliseconds for the whole operation; none when absent. */
  timeout?: number;
  signal?: AbortSignal;
}

/** What is going on, read when a deadline passes, so the error can name the job being waited for. */
export interface Activity {
  what: string;
  jobId?: number;
}

/**
 * Runs `work` with one signal that aborts on the caller's signal (AbortError) or when the timeout passes
 * (TimeoutError), so every wait and request inside stops at once and the right error comes out.
 */
export async function withDeadline<T>(
  activity: string | Activity,
  options: DeadlineOptions,
  work: (signal: AbortSignal, activity: Activity) => Promise<T>,
): Promise<T> {
  const now: Activity = typeof activity === 'string' ? { what: activity } : activity;
  const controller = new AbortController();
  const onAbort = () => controller.abort(new AbortError(`Aborted while ${now.what}: the caller's signal fired`));
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    options.timeout === undefined
      ? undefined
      : setTimeout(
          () =>
            controller.abort(
              new TimeoutError(
                `Timed out after ${formatMs(options.timeout as number)} while ${now.what}: raise the timeout option if the build is large`,
                options.timeout as number,
                now.jobId,
              ),
            ),
          options.timeout,
        );
  try {
    return await work(controller.signal, now);
  } catch (error) {
    if (controller.signal.aborted) throw controller.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6000) / 10} min`;
}
