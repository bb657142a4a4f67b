import type { Page } from 'playwright-core';
import type { Problem } from './problems.js';

/**
 * How long the page must go on answering, with nothing loading and still no app, after an error that can keep
 * the app from ever existing, before the check stops waiting for it: an app that still comes (the page got over
 * the error) is created as soon as its scripts are in and have run, which they then have.
 */
export const QUIET_MS = 500;

/**
 * Watches the page for the errors that stop an app before it exists: an uncaught exception (`pc is not
 * defined`, a bootstrap that throws) and a script that failed to load (the engine or the settings answering
 * 404; a module, or one of its imports, that does not load). What the page is loading is counted too: while a
 * request is under way, the app may still come.
 */
export class FatalWatch {
  /** An error that can keep the app from existing was seen. */
  seen = false;
  /** Requests under way now. */
  loading = 0;
  /** Requests started so far: a new one means the page went on. */
  started = 0;

  /** `counts(problem)`: this problem counts (the check's `ignore` option lets some pass). */
  constructor(page: Page, counts: (problem: Problem) => boolean) {
    const fatal = (problem: Problem) => {
      if (counts(problem)) this.seen = true;
    };
    page.on('pageerror', (error) => fatal({ kind: 'exception', message: error.message }));
    page.on('request', () => {
      this.loading += 1;
      this.started += 1;
    });
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script' && response.status() >= 400)
        fatal({
          kind: 'failed-request',
          url: response.url(),
          status: response.status(),
          reason: response.statusText() || 'error',
        });
    });
    page.on('requestfinished', () => {
      this.loading -= 1;
    });
    page.on('requestfailed', (request) => {
      this.loading -= 1;
      if (request.resourceType() === 'script')
        fatal({ kind: 'failed-request', url: request.url(), reason: request.failure()?.errorText ?? 'failed' });
    });
  }
}

/**
 * Decides, from the boot's polls of the page, when a fatal error has stopped the app for good: the error seen,
 * then polls answered by the page over QUIET_MS with nothing loading, no request started and still no app. A
 * page busy compiling its engine answers no poll meanwhile, so its time does not count as quiet.
 */
export class FatalVerdict {
  private calmFrom: number | undefined;
  private calmStarted = -1;

  constructor(private readonly watch: FatalWatch) {}

  /** Called after each answered poll; true once the app will never come. */
  stopped(app: boolean, now = performance.now()): boolean {
    const { seen, loading, started } = this.watch;
    if (app || !seen || loading > 0) {
      this.calmFrom = undefined;
      return false;
    }
    if (this.calmFrom === undefined || started !== this.calmStarted) {
      this.calmFrom = now;
      this.calmStarted = started;
      return false;
    }
    return now - this.calmFrom >= QUIET_MS;
  }

  /** A fatal error seen in the page itself (a WebGL context it could not create). */
  seenInPage(): void {
    this.watch.seen = true;
  }
}
