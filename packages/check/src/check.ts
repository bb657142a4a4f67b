import { type Browser, type BrowserContext, errors, type Page } from 'playwright-core';
import { DeadlinePassed, sleep, withDeadline } from './deadline.js';
import { BuildCheckError } from './errors.js';
import { CLOSE_MS, launchBrowser, type RunningBrowser } from './launch.js';
import { type CheckOptions, type ResolvedCheckOptions, resolveCheckOptions } from './options.js';
import { type CheckResult, describeProblem, type Problem } from './problems.js';
import { type BuildFiles, serveBuild } from './serve.js';
import { assertCheckable } from './setup.js';
import { loadManifest, readViolations, watchPage } from './watch.js';

/**
 * What the check gives itself past the boot (or past its timeout) to read the page and take the screenshot. A
 * page still compiling its engine on a busy machine answers late; one whose main thread never yields never
 * does: past this grace, it is closed and said to be busy.
 */
export const GRACE_MS = 5000;

/** What the page reports of the app, read in the page. */
interface Progress {
  engine: boolean;
  app: boolean;
  scene: boolean;
  frames: number;
  ready: boolean;
  version?: string;
}

const NO_PROGRESS: Progress = { engine: false, app: false, scene: false, frames: 0, ready: false };

/**
 * Serves the build on loopback, opens it in headless Chromium and waits until the PlayCanvas app runs: the
 * engine loaded, an application created, its scene loaded and `frames` frames rendered. Console errors,
 * uncaught exceptions, failed requests and Content-Security-Policy violations seen on the way are problems.
 * Resolves to the result when there are none; rejects with a BuildCheckError listing them otherwise, and
 * with a CheckSetupError when the check cannot run (no browser, no folder, no page), before any browser starts.
 * Ends by `timeout` plus GRACE_MS (and the browser's closing) whatever the page does.
 */
export async function checkBuild(files: BuildFiles, input: CheckOptions | ResolvedCheckOptions = {}): Promise<CheckResult> {
  const options = resolveCheckOptions(input);
  await assertCheckable(files, options.page);
  const running = await launchBrowser(options.browser);
  try {
    return await checkIn(running.browser, files, options, running.kill);
  } finally {
    await running.stop();
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
  let running: Promise<RunningBrowser> | undefined = Promise.resolve(await launchBrowser(executable));
  return {
    async check(files, checkInput = {}) {
      const options = resolveCheckOptions({ ...checkInput, browser: executable });
      await assertCheckable(files, options.page);
      // a page that would not close took the browser with it: the next check starts another
      running ??= launchBrowser(executable);
      const mine = running;
      const current = await mine;
      return checkIn(current.browser, files, options, async () => {
        if (running === mine) running = undefined;
        await current.kill();
      });
    },
    async close() {
      const last = running;
      running = undefined;
      await (await last?.catch(() => undefined))?.stop();
    },
  };
}

async function checkIn(browser: Browser, files: BuildFiles, options: ResolvedCheckOptions, kill: () => Promise<void>): Promise<CheckResult> {
  const server = await serveBuild(files, options.headers);
  const problems: Problem[] = [];
  const result: CheckResult = { ok: false, bootMs: 0, frames: 0, problems, requests: [] };
  let context: BrowserContext | undefined;
  let answering = true;
  try {
    context = await browser.newContext({ viewport: options.viewport });
    const page = await context.newPage();
    await watchPage(page, problems, result.requests);
    answering = await runPage(page, `${server.url}${options.page}`, options, result);
  } finally {
    // a renderer that does not answer may outlive its page for a while: its browser goes with it, at once
    if (answering) await closeContext(context, kill);
    else await kill();
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
  // what broke first, then how far the app got (a request may fail after the timeout, on a slow machine)
  const timeouts = kept.filter((p) => p.kind === 'timeout');
  problems.splice(0, problems.length, ...kept.filter((p) => p.kind !== 'timeout'), ...timeouts);
  result.ok = problems.length === 0;
  if (!result.ok) throw new BuildCheckError(result);
  return result;
}

/** Closes the check's browser context; a context that does not close in time goes with its browser. */
async function closeContext(context: BrowserContext | undefined, kill: () => Promise<void>): Promise<void> {
  if (context === undefined) return;
  try {
    await withDeadline(context.close(), performance.now() + CLOSE_MS);
  } catch {
    await kill();
  }
}

/**
 * Boots the page, then reads from it what the result needs; every wait bounded by the check's own clock.
 * False when the page stopped answering.
 */
async function runPage(page: Page, url: string, options: ResolvedCheckOptions, result: CheckResult): Promise<boolean> {
  const started = performance.now();
  const booted = await boot(page, url, options, started + options.timeout);
  const waitedMs = Math.round(performance.now() - started);
  const end = performance.now() + GRACE_MS;
  const within = <T>(promise: Promise<T>) => withDeadline(promise, end);
  try {
    if (!booted) {
      const now = await within(progress(page, options).catch(() => NO_PROGRESS));
      const stage = !now.engine ? 'engine' : !now.app ? 'app' : !now.scene ? 'scene' : now.frames < options.frames ? 'frames' : 'ready';
      result.problems.push({ kind: 'timeout', stage, waitedMs });
    }
    result.bootMs = waitedMs;
    await within(loadManifest(page, result.problems));
    const now = await within(progress(page, options).catch(() => NO_PROGRESS));
    result.frames = now.frames;
    if (now.version) result.engineVersion = now.version;
    result.problems.push(...(await within(readViolations(page))));
    if (options.screenshot) {
      await within(page.screenshot({ path: options.screenshot, timeout: Math.max(1, end - performance.now()) }));
      result.screenshot = options.screenshot;
    }
    return true;
  } catch (error) {
    if (!(error instanceof DeadlinePassed)) throw error;
    result.problems.push({ kind: 'timeout', stage: 'busy', waitedMs: Math.round(performance.now() - started) });
    return false;
  }
}

/** Navigates and waits for the app to run; false when the timeout came first. */
async function boot(page: Page, url: string, options: ResolvedCheckOptions, deadline: number): Promise<boolean> {
  const within = <T>(promise: Promise<T>) => withDeadline(promise, deadline);
  const left = () => Math.max(1, deadline - performance.now());
  try {
    await within(page.goto(url, { waitUntil: 'load', timeout: left() }));
    await within(
      page.waitForFunction(
        (frames) => {
          const pc = (window as unknown as { pc?: { Application?: { getApplication?: () => unknown } } }).pc;
          const app = pc?.Application?.getApplication?.() as { root?: { children?: unknown[] }; frame?: number } | undefined;
          return !!app && (app.root?.children?.length ?? 0) > 0 && (app.frame ?? 0) >= frames;
        },
        options.frames,
        { timeout: left(), polling: 50 },
      ),
    );
    while (!(await within(holds(page, options.until)))) await within(sleep(50));
    return true;
  } catch (error) {
    if (error instanceof DeadlinePassed || error instanceof errors.TimeoutError) return false;
    throw error;
  }
}

// The `until` expression is evaluated by the DevTools protocol, not by eval in the page: the page's own
// Content-Security-Policy (which may refuse eval) applies to the page's code, not to the check's.
async function holds(page: Page, until: string | undefined): Promise<boolean> {
  return until === undefined ? true : !!(await page.evaluate(until).catch(() => false));
}

async function progress(page: Page, options: ResolvedCheckOptions): Promise<Progress> {
  const state = await page.evaluate(() => {
    const pc = (window as unknown as { pc?: { version?: string; Application?: { getApplication?: () => unknown } } }).pc;
    const app = pc?.Application?.getApplication?.() as { root?: { children?: unknown[] }; frame?: number } | undefined;
    return {
      engine: !!pc,
      app: !!app,
      scene: (app?.root?.children?.length ?? 0) > 0,
      frames: app?.frame ?? 0,
      ...(pc?.version ? { version: pc.version } : {}),
    };
  });
  return { ...state, ready: await holds(page, options.until) };
}
