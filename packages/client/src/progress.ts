/** What the client reports while it works, for logs and progress displays. */
export type ProgressEvent =
  | { type: 'job-started'; jobId: number; kind: 'build' | 'export' }
  | { type: 'job-status'; jobId: number; status: string; polls: number }
  | { type: 'rate-limit-wait'; rateClass: string; waitMs: number; reason: 'budget' | '429' }
  | { type: 'retry'; attempt: number; delayMs: number; reason: string; route: string }
  | { type: 'download-progress'; receivedBytes: number; totalBytes: number | undefined }
  | { type: 'download-complete'; bytes: number; path: string };

export type ProgressListener = (event: ProgressEvent) => void;
