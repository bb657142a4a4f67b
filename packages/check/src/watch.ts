import type { Page } from 'playwright-core';
import type { Problem, RequestRecord } from './problems.js';

// Chromium asks for /favicon.ico on its own; builds have none.
const incidental = (url: string) => new URL(url).pathname === '/favicon.ico';

/**
 * Records, as the page boots, what goes wrong in it: console errors, uncaught exceptions, failed requests; and
 * every request with its status. Content-Security-Policy violations are gathered in the page (readViolations).
 */
export async function watchPage(page: Page, problems: Problem[], requests: RequestRecord[]): Promise<void> {
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // reported (better) by the securitypolicyviolation event, and by the failed request itself
    if (/Content Security Policy|Note that '[\w-]+' was not explicitly set|Failed to load resource/.test(text)) return;
    const where = message.location();
    problems.push({
      kind: 'console-error',
      text,
      ...(where.url ? { location: `${where.url}:${where.lineNumber}` } : {}),
    });
  });
  page.on('pageerror', (error) => problems.push({ kind: 'exception', message: error.message }));
  page.on('requestfailed', (request) => {
    requests.push({ url: request.url(), method: request.method(), resourceType: request.resourceType(), status: 0 });
    const reason = request.failure()?.errorText ?? 'failed';
    // a request the policy refused is reported (better) as the violation
    if (!incidental(request.url()) && !/^csp$|BLOCKED_BY_CSP/i.test(reason))
      problems.push({ kind: 'failed-request', url: request.url(), reason });
  });
  page.on('response', (response) => {
    const request = response.request();
    requests.push({
      url: response.url(),
      method: request.method(),
      resourceType: request.resourceType(),
      status: response.status(),
    });
    if (response.status() >= 400 && !incidental(response.url()))
      problems.push({
        kind: 'failed-request',
        url: response.url(),
        status: response.status(),
        reason: response.statusText() || 'error',
      });
  });
  await page.addInitScript(() => {
    const seen: unknown[] = [];
    (window as unknown as { __pcCheckViolations: unknown[] }).__pcCheckViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push({
        directive: event.effectiveDirective,
        blocked: event.blockedURI || 'inline',
        source: event.sourceFile ? `${event.sourceFile}:${event.lineNumber}` : '',
        reportOnly: event.disposition === 'report',
        policy: event.originalPolicy,
      });
    });
  });
}

/** The Content-Security-Policy violations the page saw, as problems. */
export async function readViolations(page: Page): Promise<Problem[]> {
  const violations = await page
    .evaluate(() => (window as unknown as { __pcCheckViolations?: unknown[] }).__pcCheckViolations ?? [])
    .catch(() => []);
  return (
    violations as Array<{ directive: string; blocked: string; source: string; reportOnly: boolean; policy: string }>
  ).map(
    (v): Problem => ({
      kind: 'csp-violation',
      directive: v.directive,
      blocked: v.blocked,
      ...(v.source ? { source: v.source } : {}),
      // a report-only policy blocks nothing, but what it would have blocked is a problem all the same
      ...(v.reportOnly ? { reportOnly: true as const, policy: v.policy } : {}),
    }),
  );
}

/**
 * A linked web app manifest is fetched only when the browser wants it (install prompts, "add to home screen"),
 * never in a headless boot on its own: ask for it, so that a manifest that fails to load, or that the page's
 * Content-Security-Policy refuses, shows now rather than on a player's phone.
 */
export async function loadManifest(page: Page, problems: Problem[]): Promise<void> {
  const linked = await page.evaluate(() => document.querySelector('link[rel~="manifest"]') !== null).catch(() => false);
  if (!linked) return;
  const session = await page.context().newCDPSession(page);
  try {
    const manifest = (await session.send('Page.getAppManifest')) as { url: string; errors: Array<{ message: string }> };
    for (const error of manifest.errors) problems.push({ kind: 'manifest', message: error.message });
    // a refusal is reported by an event the page dispatches as a task of its own: let it run
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50))).catch(() => undefined);
  } finally {
    await session.detach().catch(() => undefined);
  }
}
