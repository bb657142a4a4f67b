/** What the client reports while it works, for logs and progress displays. */
export type ProgressEvent =
  | { type: 'job-started'; jobId: number; kind: JobKind }
  | { type: 'job-status'; jobId: number; status: string; polls: number }
  /**
   * A wait for the API's rate-limit window: after a 429, or before a request when the budget is spent, or a slower
   * poll.
   */
  | { type: 'rate-limit-wait'; rateClass: string; waitMs: number; reason: 'budget' | '429' | 'pace' }
  | { type: 'retry'; attempt: number; delayMs: number; reason: string; route: string }
  /** Something the user should know that does not stop the build (the shared rate budget's Redis is down). */
  | { type: 'warning'; message: string }
  /** The download was asked for and no byte has come yet. */
  | { type: 'download-waiting'; waitedMs: number }
  | { type: 'download-progress'; receivedBytes: number; totalBytes: number | undefined; bytesPerSecond: number }
  | { type: 'download-complete'; bytes: number; path: string };

export type JobKind = 'build' | 'export' | 'checkpoint';

export type ProgressListener = (event: ProgressEvent) => void;

/** Both listeners, or whichever is given, or one that does nothing. */
export function bothListeners(a: ProgressListener | undefined, b: ProgressListener | undefined): ProgressListener {
  if (a && b)
    return (event) => {
      a(event);
      b(event);
    };
  return a ?? b ?? (() => undefined);
}
