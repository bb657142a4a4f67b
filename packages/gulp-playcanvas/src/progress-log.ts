import log from 'gulplog';
import type { ProgressEvent } from 'playcanvas-rest-client';

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Below this size a download is reported once, when done: quarter steps would be noise. */
const SMALL_DOWNLOAD = 4 * 1024 * 1024;

/**
 * Turns client progress into gulplog lines: a line per event worth knowing, and download progress in
 * quarter steps, never a redrawn bar, so logs in CI stay readable. gulp --silent shows none of it.
 */
export function progressLogger(prefix: string): (event: ProgressEvent) => void {
  let nextQuarter = 1;
  let nextUnknown = 50 * 1024 * 1024;
  return (event) => {
    switch (event.type) {
      case 'job-started':
        log.info(`${prefix}: ${event.kind} started, job ${event.jobId}`);
        break;
      case 'job-status':
        log.info(`${prefix}: job ${event.jobId} is ${event.status} (poll ${event.polls})`);
        break;
      case 'rate-limit-wait':
        log.info(
          `${prefix}: waiting ${(event.waitMs / 1000).toFixed(1)} s for the API's ${event.rateClass} rate-limit window${event.reason === '429' ? ' (the API answered 429)' : ''}`,
        );
        break;
      case 'retry':
        log.warn(`${prefix}: ${event.reason} on ${event.route}; retry ${event.attempt} in ${(event.delayMs / 1000).toFixed(1)} s`);
        break;
      case 'download-progress':
        if (event.totalBytes && event.totalBytes >= SMALL_DOWNLOAD) {
          while (nextQuarter <= 4 && event.receivedBytes >= (event.totalBytes * nextQuarter) / 4) {
            log.info(`${prefix}: downloaded ${nextQuarter * 25}% of ${formatBytes(event.totalBytes)}`);
            nextQuarter += 1;
          }
        } else if (!event.totalBytes && event.receivedBytes >= nextUnknown) {
          log.info(`${prefix}: downloaded ${formatBytes(event.receivedBytes)}`);
          nextUnknown += 50 * 1024 * 1024;
        }
        break;
      case 'download-complete':
        log.info(`${prefix}: downloaded the archive (${formatBytes(event.bytes)})`);
        nextQuarter = 1;
        nextUnknown = 50 * 1024 * 1024;
        break;
    }
  };
}
