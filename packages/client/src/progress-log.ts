import { describeJobStatus } from './job.js';
import type { ProgressEvent } from './progress.js';

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** Below this size a download is reported once, when done: quarter steps would be noise. */
const SMALL_DOWNLOAD = 4 * 1024 * 1024;
/** From "job complete" to the last file, never longer than this without a line. */
export const QUIET_MAX_MS = 10_000;

export type LogWriter = (level: 'info' | 'warn', line: string) => void;

/**
 * Turns client progress into log lines, the same for every entry point (gulplog, the CLI's stderr, grunt.log):
 * a line per event worth knowing; the download and the extraction in quarter steps or every 10 s, whichever
 * comes first, never a redrawn bar, so logs in CI stay readable. `verb` says what happens to files
 * ("emitted" into a stream, "wrote" to disk).
 */
export class ProgressLog {
  private nextQuarter = 1;
  private lastLine = 0;

  constructor(
    private readonly write: LogWriter,
    private readonly verb = 'emitted',
    private readonly now: () => number = () => performance.now(),
  ) {}

  private info(line: string): void {
    this.lastLine = this.now();
    this.write('info', line);
  }

  /** A warning, counted as a line (it breaks the silence as well as any). */
  warn(line: string): void {
    this.lastLine = this.now();
    this.write('warn', line);
  }

  private due(): boolean {
    return this.now() - this.lastLine >= QUIET_MAX_MS;
  }

  event(event: ProgressEvent): void {
    switch (event.type) {
      case 'job-started':
        this.info(`${event.kind} started, job ${event.jobId}`);
        break;
      case 'job-status':
        this.info(`${describeJobStatus(event.jobId, event.status)} (poll ${event.polls})`);
        break;
      case 'rate-limit-wait':
        this.info(
          event.reason === 'pace'
            ? `polling every ${(event.waitMs / 1000).toFixed(1)} s to stay within the API's ${event.rateClass} rate limit`
            : `waiting ${(event.waitMs / 1000).toFixed(1)} s for the API's ${event.rateClass} rate-limit window${event.reason === '429' ? ' (the API answered 429)' : ''}`,
        );
        break;
      case 'retry':
        this.warn(`${event.reason} on ${event.route}; retry ${event.attempt} in ${(event.delayMs / 1000).toFixed(1)} s`);
        break;
      case 'download-waiting':
        if (this.due()) this.info(`waiting for the archive to start downloading (${Math.round(event.waitedMs / 1000)} s so far)`);
        break;
      case 'download-progress': {
        const total = event.totalBytes;
        const rate = `${formatBytes(event.bytesPerSecond)}/s`;
        if (total !== undefined && total >= SMALL_DOWNLOAD) {
          let quarter = false;
          while (this.nextQuarter <= 4 && event.receivedBytes >= (total * this.nextQuarter) / 4) {
            this.nextQuarter += 1;
            quarter = true;
          }
          if (quarter || this.due()) this.info(`downloaded ${Math.floor((event.receivedBytes / total) * 100)}% of ${formatBytes(total)} (${rate})`);
        } else if (total === undefined && this.due()) {
          this.info(`downloaded ${formatBytes(event.receivedBytes)} (${rate})`);
        }
        break;
      }
      case 'download-complete':
        this.info(`downloaded the archive (${formatBytes(event.bytes)})`);
        this.nextQuarter = 1;
        break;
    }
  }

  /** Extraction progress: called per file emitted or written. */
  extracted(files: number, bytes: number, totalFiles: number, totalBytes: number): void {
    const quarter = Math.floor((files * 4) / Math.max(1, totalFiles));
    const previous = Math.floor(((files - 1) * 4) / Math.max(1, totalFiles));
    if (files < totalFiles && (quarter > previous || this.due()) && totalFiles >= 100) {
      this.info(`${this.verb} ${files} of ${totalFiles} files (${formatBytes(bytes)} of ${formatBytes(totalBytes)})`);
    }
  }

  done(line: string): void {
    this.info(line);
  }
}
