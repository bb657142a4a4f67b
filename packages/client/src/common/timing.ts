import { AbortError, TimeoutError } from './errors.js';

/**
 * The longest delay Node's timers take; a longer one fires at once (with a TimeoutOverflowWarning). About 24.8 days.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay Node can honour: never negative, never past MAX_TIMER_MS. */
export function clampDelay(ms: number): number {
  if (!Number.isFinite(ms)) return ms > 0 ? MAX_TIMER_MS : 0;
  return Math.min(MAX_TIMER_MS, Math.max(0, Math.round(ms)));
}

/**
 * Waits `ms` (clamped), or rejects with the signal's reason as soon as it aborts. On the global timers (not
 * node:timers/promises), so that tests can drive it with fake timers.
 */
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
    }, clampDelay(ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** What is going on, read when a deadline passes, so the error can name the job being waited for. */
export interface Activity {
  what: string;
  jobId?: number;
  /** The timeout setting as the host names it (`timeout`, `--timeout`). */
  timeoutName?: string;
}

/**
 * When an operation's time runs out, and what stops it early: what work that outlives the call needs to keep to them.
 */
export interface Deadline {
  startedAt: number;
  timeoutMs: number;
  callerSignal: AbortSignal | undefined;
}

/**
 * Runs `work` with one signal that aborts on the caller's signal (AbortError) or when the timeout passes
 * (TimeoutError), so every wait and request inside stops at once and the right error comes out. `startedAt`
 * (performance.now()) continues an earlier deadline: the timer fires `timeoutMs` after it, not after now.
 */
export async function withDeadline<T>(
  activity: Activity,
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
  startedAt: number = performance.now(),
): Promise<T> {
  const controller = new AbortController();
  // a reason the client gave itself (work stopped on purpose) is kept; any other abort is the caller's
  const onAbort = () =>
    controller.abort(
      callerSignal?.reason instanceof AbortError
        ? callerSignal.reason
        : new AbortError(`Aborted while ${activity.what}: the caller's signal fired`),
    );
  if (callerSignal?.aborted) onAbort();
  callerSignal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(
    () =>
      controller.abort(
        new TimeoutError(
          `Timed out after ${formatMs(timeoutMs)} while ${activity.what}: ` +
            `raise ${activity.timeoutName ?? 'the timeout option'} if the build is large`,
          timeoutMs,
          activity.jobId,
        ),
      ),
    clampDelay(timeoutMs - (performance.now() - startedAt)),
  );
  try {
    return await work(controller.signal);
  } catch (error) {
    if (controller.signal.aborted) throw controller.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onAbort);
  }
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 2 * 3600_000) return `${Math.round(ms / 6000) / 10} min`;
  if (ms < 2 * 86_400_000) return `${Math.round(ms / 360_000) / 10} h`;
  return `${Math.round(ms / 8_640_000) / 10} days`;
}
