import { describeJobStatus, type ProgressEvent } from '@gulp-playcanvas/playcanvas-rest-client';

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** Below this size a download is reported in time steps only: quarter steps would be noise. */
const SMALL_DOWNLOAD = 4 * 1024 * 1024;
/** Below this many files, extraction is reported in time steps only. */
const FEW_FILES = 100;
/** From "job complete" to the last file, never longer than this without a line. */
export const QUIET_MAX_MS = 10_000;
/** How often the heartbeat looks whether a line is due. */
const HEARTBEAT_MS = 1000;

export type LogWriter = (level: 'info' | 'warn', line: string) => void;

/** Time for the progress log: the real one, or a test's. `every` runs `tick` repeatedly and returns its stop. */
export interface ProgressClock {
  now(): number;
  every(ms: number, tick: () => void): () => void;
}

const realClock: ProgressClock = {
  now: () => performance.now(),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    // the heartbeat never keeps a process alive
    timer.unref();
    return () => clearInterval(timer);
  },
};

/**
 * Turns client progress into log lines, the same for every entry point (gulplog, the CLI's stderr, grunt.log):
 * a line per event worth knowing; the download and the extraction in quarter steps, never a redrawn bar, so
 * logs in CI stay readable. From "job complete" until done() or stop(), a heartbeat makes sure no
 * QUIET_MAX_MS pass without a line: it says what is going on (waiting for the first byte, bytes and rate,
 * files so far), whichever step comes first. `verb` says what happens to files ("emitted" into a stream,
 * "wrote" to disk). The adapters stop() it when the build ends, whichever way.
 */
export class ProgressLog {
  private nextQuarter = 1;
  private lastLine = 0;
  private stopHeartbeat: (() => void) | undefined;
  /** Since when the archive has been awaited (job complete), until its first byte. */
  private waitingSince: number | undefined;
  private download: { received: number; total: number | undefined; rate: number; done: boolean } | undefined;
  private extraction: { files: number; bytes: number; totalFiles: number; totalBytes: number } | undefined;

  constructor(
    private readonly write: LogWriter,
    private readonly verb = 'emitted',
    private readonly clock: ProgressClock = realClock,
  ) {}

  private info(line: string): void {
    this.lastLine = this.clock.now();
    this.write('info', line);
  }

  /** A warning, counted as a line (it breaks the silence as well as any). */
  warn(line: string): void {
    this.lastLine = this.clock.now();
    this.write('warn', line);
  }

  /** From "job complete" on, a line at least every QUIET_MAX_MS until done() or stop(). */
  private watch(): void {
    this.waitingSince = this.clock.now();
    this.stopHeartbeat ??= this.clock.every(HEARTBEAT_MS, () => this.heartbeat());
  }

  private heartbeat(): void {
    if (this.clock.now() - this.lastLine < QUIET_MAX_MS) return;
    const { download, extraction } = this;
    const parts: string[] = [];
    if (download && !download.done) parts.push(this.downloaded());
    if (extraction) parts.push(this.extracting());
    if (parts.length > 0) this.info(parts.join('; '));
    else if (this.waitingSince !== undefined && !download)
      this.info(
        'waiting for the archive to start downloading ' +
          `(${Math.round((this.clock.now() - this.waitingSince) / 1000)} s so far)`,
      );
    else this.info('reading the archive');
  }

  private downloaded(): string {
    const { received, total, rate } = this.download as NonNullable<ProgressLog['download']>;
    const speed = `${formatBytes(rate)}/s`;
    return total === undefined
      ? `downloaded ${formatBytes(received)} (${speed})`
      : `downloaded ${Math.floor((received / Math.max(1, total)) * 100)}% of ${formatBytes(total)} (${speed})`;
  }

  private extracting(): string {
    const { files, bytes, totalFiles, totalBytes } = this.extraction as NonNullable<ProgressLog['extraction']>;
    return `${this.verb} ${files} of ${totalFiles} files (${formatBytes(bytes)} of ${formatBytes(totalBytes)})`;
  }

  event(event: ProgressEvent): void {
    switch (event.type) {
      case 'job-started':
        this.info(`${event.kind} started, job ${event.jobId}`);
        break;
      case 'job-status':
        this.info(`${describeJobStatus(event.jobId, event.status)} (poll ${event.polls})`);
        if (event.status === 'complete') this.watch();
        break;
      case 'rate-limit-wait':
        this.info(
          event.reason === 'pace'
            ? `polling every ${(event.waitMs / 1000).toFixed(1)} s ` +
                `to stay within the API's ${event.rateClass} rate limit`
            : `waiting ${(event.waitMs / 1000).toFixed(1)} s for the API's ${event.rateClass} rate-limit window` +
                (event.reason === '429' ? ' (the API answered 429)' : ''),
        );
        break;
      case 'retry':
        this.warn(
          `${event.reason} on ${event.route}; retry ${event.attempt} in ${(event.delayMs / 1000).toFixed(1)} s`,
        );
        break;
      case 'warning':
        this.warn(event.message);
        break;
      case 'download-waiting':
        // the heartbeat words the wait; a download started without a job (a URL) starts it here
        this.waitingSince ??= this.clock.now() - event.waitedMs;
        break;
      case 'download-progress': {
        const total = event.totalBytes;
        this.download = { received: event.receivedBytes, total, rate: event.bytesPerSecond, done: false };
        if (total === undefined || total < SMALL_DOWNLOAD) break;
        let quarter = false;
        while (this.nextQuarter <= 4 && event.receivedBytes >= (total * this.nextQuarter) / 4) {
          this.nextQuarter += 1;
          quarter = true;
        }
        if (quarter) this.info(this.downloaded());
        break;
      }
      case 'download-complete':
        this.download = { received: event.bytes, total: event.bytes, rate: 0, done: true };
        this.info(`downloaded the archive (${formatBytes(event.bytes)})`);
        this.nextQuarter = 1;
        break;
    }
  }

  /** Extraction progress: called per file emitted or written. */
  extracted(files: number, bytes: number, totalFiles: number, totalBytes: number): void {
    this.extraction = { files, bytes, totalFiles, totalBytes };
    const quarter = Math.floor((files * 4) / Math.max(1, totalFiles));
    const previous = Math.floor(((files - 1) * 4) / Math.max(1, totalFiles));
    if (files < totalFiles && quarter > previous && totalFiles >= FEW_FILES) this.info(this.extracting());
  }

  /** The last line: the heartbeat stops. */
  done(line: string): void {
    this.stop();
    this.info(line);
  }

  /** No more lines are due (the build ended, whichever way). Safe to call twice. */
  stop(): void {
    this.stopHeartbeat?.();
    this.stopHeartbeat = undefined;
  }
}
