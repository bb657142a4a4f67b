import type { Page, Request } from 'playwright-core';
import type { Problem } from './problems.js';

/**
 * How long the page must have had nothing left to load, after an error that can keep the app from ever
 * existing, before the check stops waiting for it: an app that still comes (a failure the page recovers
 * from) is created as soon as its scripts are in, which they then are.
 */
export const QUIET_MS = 500;

/**
 * Watches the page for the errors that stop an app before it exists: an uncaught exception (`pc is not
 * defined`, a bootstrap that throws) and a script that failed to load (the engine or the settings answering
 * 404; a module, or one of its imports, that does not load). What the page is still loading is counted too:
 * while a request is under way, the app may still come.
 */
export class FatalWatch {
  private firstAt: number | undefined;
  private quietSince = performance.now();
  private readonly loading = new Set<Request>();

  /** `counts(problem)`: this problem counts (the check's `ignore` option lets some pass). */
  constructor(page: Page, counts: (problem: Problem) => boolean) {
    const fatal = (problem: Problem) => {
      if (counts(problem)) this.firstAt ??= performance.now();
    };
    page.on('pageerror', (error) => fatal({ kind: 'exception', message: error.message }));
    page.on('request', (request) => {
      this.loading.add(request);
    });
    const done = (request: Request) => {
      if (this.loading.delete(request) && this.loading.size === 0) this.quietSince = performance.now();
    };
    page.on('response', (response) => {
      const request = response.request();
      if (request.resourceType() === 'script' && response.status() >= 400)
        fatal({ kind: 'failed-request', url: response.url(), status: response.status(), reason: response.statusText() || 'error' });
    });
    page.on('requestfinished', done);
    page.on('requestfailed', (request) => {
      done(request);
      if (request.resourceType() === 'script')
        fatal({ kind: 'failed-request', url: request.url(), reason: request.failure()?.errorText ?? 'failed' });
    });
  }

  /** An error that can stop the app was seen, and the page has had nothing left to load for QUIET_MS since. */
  settled(now = performance.now()): boolean {
    return this.firstAt !== undefined && this.loading.size === 0 && now - Math.max(this.firstAt, this.quietSince) >= QUIET_MS;
  }

  /** Marks a fatal error seen in the page itself (a WebGL context it could not create). */
  seen(): void {
    this.firstAt ??= performance.now();
  }
}
