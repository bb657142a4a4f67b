import { chromium, type Page } from 'playwright-core';
import { launchArgs } from './browser.js';
import { BuildCheckError, CheckSetupError } from './errors.js';
import { type CheckOptions, type ResolvedCheckOptions, resolveCheckOptions } from './options.js';
import { type CheckResult, describeProblem, type Problem, type RequestRecord } from './problems.js';
import { type BuildFiles, serveBuild } from './serve.js';

/** What the page reports of the app, read in the page. */
interface Progress {
  engine: boolean;
  app: boolean;
  scene: boolean;
  frames: number;
  ready: boolean;
  version?: string;
}

function hasPage(files: BuildFiles, page: string): boolean {
  return typeof files === 'string' || files.has(page);
}

type Browser = Awaited<ReturnType<typeof chromium.launch>>;

async function launch(executable: string): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath: executable, headless: true, args: launchArgs() });
  } catch (error) {
    throw new CheckSetupError(`Chromium (${executable}) did not start: ${String((error as Error).message).split('\n')[0]}`);
  }
}

/**
 * Serves the build on loopback, opens it in headless Chromium and waits until the PlayCanvas app runs: the
 * engine loaded, an application created, its scene loaded and `frames` frames rendered. Console errors,
 * uncaught exceptions, failed requests and Content-Security-Policy violations seen on the way are problems.
 * Resolves to the result when there are none; rejects with a BuildCheckError listing them otherwise, and
 * with a CheckSetupError when the check cannot run (no browser, no page).
 */
export async function checkBuild(files: BuildFiles, input: CheckOptions | ResolvedCheckOptions = {}): Promise<CheckResult> {
  const options = resolveCheckOptions(input);
  if (!hasPage(files, options.page)) throw new CheckSetupError(`The build has no ${options.page} to open: check the files passed to the check`);
  const browser = await launch(options.browser);
  try {
    return await checkIn(browser, files, options);
  } finally {
    await browser.close().catch(() => undefined);
  }
}

export interface Checker {
  /** Checks one build, as checkBuild does, in this checker's browser (a fresh browser context each time). */
  check(files: BuildFiles, options?: CheckOptions): Promise<CheckResult>;
  close(): Promise<void>;
}

/**
 * One browser for many checks: launching Chromium costs about a second, a third of a small build's check.
 * The browser is the one `options.browser` names (or found); each check still gets its own options.
 */
export async function openChecker(input: Pick<CheckOptions, 'browser'> = {}): Promise<Checker> {
  const executable = resolveCheckOptions(input).browser;
  const browser = await launch(executable);
  return {
    async check(files, checkInput = {}) {
      const options = resolveCheckOptions({ ...checkInput, browser: executable });
      if (!hasPage(files, options.page)) throw new CheckSetupError(`The build has no ${options.page} to open: check the files passed to the check`);
      return checkIn(browser, files, options);
    },
    close: () => browser.close().catch(() => undefined),
  };
}

async function checkIn(browser: Browser, files: BuildFiles, options: ResolvedCheckOptions): Promise<CheckResult> {
  const server = await serveBuild(files, options.headers);
  const problems: Problem[] = [];
  const requests: RequestRecord[] = [];
  const result: CheckResult = { ok: false, bootMs: 0, frames: 0, problems, requests };
  let closeContext: () => Promise<void> = async () => undefined;
  // Chromium asks for /favicon.ico on its own; builds have none.
  const incidental = (url: string) => new URL(url).pathname === '/favicon.ico';
  try {
    const context = await browser.newContext({ viewport: options.viewport });
    closeContext = () => context.close();
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      // reported (better) by the securitypolicyviolation event, and by the failed request itself
      if (/Content Security Policy|Note that '[\w-]+' was not explicitly set|Failed to load resource/.test(text)) return;
      const where = message.location();
      problems.push({ kind: 'console-error', text, ...(where.url ? { location: `${where.url}:${where.lineNumber}` } : {}) });
    });
    page.on('pageerror', (error) => problems.push({ kind: 'exception', message: error.message }));
    page.on('requestfailed', (request) => {
      requests.push({ url: request.url(), method: request.method(), resourceType: request.resourceType(), status: 0 });
      const reason = request.failure()?.errorText ?? 'failed';
      // a request the policy refused is reported (better) as the violation
      if (!incidental(request.url()) && !/^csp$|BLOCKED_BY_CSP/i.test(reason)) problems.push({ kind: 'failed-request', url: request.url(), reason });
    });
    page.on('response', (response) => {
      const request = response.request();
      requests.push({ url: response.url(), method: request.method(), resourceType: request.resourceType(), status: response.status() });
      if (response.status() >= 400 && !incidental(response.url()))
        problems.push({ kind: 'failed-request', url: response.url(), status: response.status(), reason: response.statusText() || 'error' });
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
    const started = performance.now();
    // The `until` expression is evaluated by the DevTools protocol, not by eval in the page: the page's own
    // Content-Security-Policy (which may refuse eval) applies to the page's code, not to the check's.
    const ready = async () => (options.until === undefined ? true : !!(await page.evaluate(options.until).catch(() => false)));
    const progress = async (): Promise<Progress> => ({
      ...(await page.evaluate(() => {
        const pc = (window as unknown as { pc?: { version?: string; Application?: { getApplication?: () => unknown } } }).pc;
        const app = pc?.Application?.getApplication?.() as { root?: { children?: unknown[] }; frame?: number } | undefined;
        return {
          engine: !!pc,
          app: !!app,
          scene: (app?.root?.children?.length ?? 0) > 0,
          frames: app?.frame ?? 0,
          ...(pc?.version ? { version: pc.version } : {}),
        };
      })),
      ready: await ready(),
    });
    try {
      await page.goto(`${server.url}${options.page}`, { waitUntil: 'load', timeout: options.timeout });
      const left = Math.max(1, options.timeout - (performance.now() - started));
      await page.waitForFunction(
        (frames) => {
          const pc = (window as unknown as { pc?: { Application?: { getApplication?: () => unknown } } }).pc;
          const app = pc?.Application?.getApplication?.() as { root?: { children?: unknown[] }; frame?: number } | undefined;
          return !!app && (app.root?.children?.length ?? 0) > 0 && (app.frame ?? 0) >= frames;
        },
        options.frames,
        { timeout: left, polling: 50 },
      );
      while (!(await ready())) {
        if (performance.now() - started > options.timeout) throw new Error('Timeout waiting for the until condition');
        await new Promise((resolveWait) => setTimeout(resolveWait, 50));
      }
    } catch (error) {
      if (!/Timeout|timeout/.test(String((error as Error).message))) throw error;
      const now = await progress().catch((): Progress => ({ engine: false, app: false, scene: false, frames: 0, ready: false }));
      const stage = !now.engine ? 'engine' : !now.app ? 'app' : !now.scene ? 'scene' : now.frames < options.frames ? 'frames' : 'ready';
      problems.push({ kind: 'timeout', stage, waitedMs: Math.round(performance.now() - started) });
    }
    result.bootMs = Math.round(performance.now() - started);
    await loadManifest(page, problems);
    const now = await progress().catch((): Progress => ({ engine: false, app: false, scene: false, frames: 0, ready: false }));
    result.frames = now.frames;
    if (now.version) result.engineVersion = now.version;
    const violations = await page
      .evaluate(() => (window as unknown as { __pcCheckViolations?: unknown[] }).__pcCheckViolations ?? [])
      .catch(() => []);
    for (const v of violations as Array<{ directive: string; blocked: string; source: string; reportOnly: boolean; policy: string }>) {
      problems.push({
        kind: 'csp-violation',
        directive: v.directive,
        blocked: v.blocked,
        ...(v.source ? { source: v.source } : {}),
        // a report-only policy blocks nothing, but what it would have blocked is a problem all the same
        ...(v.reportOnly ? { reportOnly: true as const, policy: v.policy } : {}),
      });
    }
    if (options.screenshot) {
      await page.screenshot({ path: options.screenshot });
      result.screenshot = options.screenshot;
    }
  } finally {
    await closeContext().catch(() => undefined);
    await server.close();
  }
  // the same problem seen twice (the engine retries a failed request five times) is reported once
  const seen = new Set<string>();
  const kept = problems.filter((p) => {
    const text = describeProblem(p);
    if (seen.has(text) || options.ignore.some((i) => (typeof i === 'string' ? text.includes(i) : i.test(text)))) return false;
    seen.add(text);
    return true;
  });
  problems.splice(0, problems.length, ...kept);
  result.ok = problems.length === 0;
  if (!result.ok) throw new BuildCheckError(result);
  return result;
}

/**
 * A linked web app manifest is fetched only when the browser wants it (install prompts, "add to home screen"),
 * never in a headless boot on its own: ask for it, so that a manifest that fails to load, or that the page's
 * Content-Security-Policy refuses, shows now rather than on a player's phone.
 */
async function loadManifest(page: Page, problems: Problem[]): Promise<void> {
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
