import { writeFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { watchApp } from './app-watch.js';
import { readFrame } from './blank-frame.js';
import { type BootOutcome, boot, NO_PROGRESS, progress } from './boot.js';
import { DeadlinePassed, withDeadline } from './deadline.js';
import { BuildCheckError, CheckSetupError } from './errors.js';
import { FatalWatch } from './fatal-watch.js';
import { CLOSE_MS, connectBrowser, launchBrowser, type RunningBrowser } from './launch.js';
import { type CheckOptions, OPTION_NAMER, type ResolvedCheckOptions, resolveCheckOptions } from './options.js';
import { installStandIn, StandInLost, showAd, tapAndRecord } from './playable-stand-in.js';
import { type CheckResult, describeProblem, type Problem } from './problems.js';
import { problemWithoutSecrets } from './secrets.js';
import { type BuildFiles, serveBuild } from './serve.js';
import { assertCheckable } from './setup.js';
import { loadManifest, readViolations, watchPage } from './watch.js';
import { readWebgl, watchWebgl } from './webgl-watch.js';

/**
 * What the check gives itself past the boot (or past its timeout) to read the page and take the screenshot. A
 * page still compiling its engine on a busy machine answers late; one whose main thread never yields never
 * does: past this grace, it is closed and said to be busy.
 */
export const GRACE_MS = 5000;

/**
 * Serves the build on loopback, opens it in headless Chromium and waits until the PlayCanvas app runs: the
 * engine loaded, an application created, its scene loaded and `frames` frames rendered. Console errors,
 * uncaught exceptions, failed requests and Content-Security-Policy violations seen on the way are problems.
 * Resolves to the result when there are none; rejects with a BuildCheckError listing them otherwise, and
 * with a CheckSetupError when the check cannot run (no browser, no folder, no page), before any browser starts.
 * Ends by `timeout` plus GRACE_MS (and the browser's closing) whatever the page does.
 */
export async function checkBuild(
  files: BuildFiles,
  input: CheckOptions | ResolvedCheckOptions = {},
): Promise<CheckResult> {
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

export interface CheckerOptions extends Pick<CheckOptions, 'browser'> {
  /**
   * The WebSocket endpoint of a browser server already running (Playwright's `chromium.launchServer()`, the same
   * Playwright version), to check in it rather than launch Chromium: one browser for several processes (a test
   * runner's workers, say). Each check still gets a browser context of its own.
   */
  connect?: string;
}

/**
 * One browser for many checks: launching Chromium costs about a second, a third of a small build's check.
 * The browser is the one `options.browser` names (or found), or the one at `options.connect`; each check still
 * gets its own options.
 */
export async function openChecker(input: CheckerOptions = {}): Promise<Checker> {
  const { connect, ...launchOptions } = input;
  if (connect !== undefined && (typeof connect !== 'string' || !/^wss?:\/\//.test(connect)))
    throw new CheckSetupError(
      `Checker option connect must be a browser server's ws:// endpoint; got ${String(connect)}`,
    );
  const executable = resolveCheckOptions(launchOptions).browser;
  const start = () => (connect === undefined ? launchBrowser(executable) : connectBrowser(connect));
  let running: Promise<RunningBrowser> | undefined = Promise.resolve(await start());
  return {
    async check(files, checkInput = {}) {
      const options = resolveCheckOptions({ ...checkInput, browser: executable });
      await assertCheckable(files, options.page);
      // a page that would not close took the browser with it: the next check starts another
      running ??= start();
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

async function checkIn(
  browser: Browser,
  files: BuildFiles,
  options: ResolvedCheckOptions,
  kill: () => Promise<void>,
): Promise<CheckResult> {
  const server = await serveBuild(files, options.headers);
  const problems: Problem[] = [];
  const result: CheckResult = { ok: false, bootMs: 0, frames: 0, problems, requests: [] };
  let context: BrowserContext | undefined;
  let answering = true;
  try {
    context = await browser.newContext({ viewport: options.viewport });
    const page = await context.newPage();
    await watchPage(page, problems, result.requests);
    await watchWebgl(page);
    await watchApp(page);
    if (options.playable) await installStandIn(page, options.playable);
    const fatal = new FatalWatch(page, (problem) => !ignored(describeProblem(problem), options));
    answering = await runPage(page, `${server.url}${options.page}`, options, result, fatal);
  } finally {
    // a renderer that does not answer may outlive its page for a while: its browser goes with it, at once
    if (answering) await closeContext(context, kill);
    else await kill();
    await server.close();
  }
  // the same problem seen twice (the engine retries a failed request five times) is reported once
  const seen = new Set<string>();
  const kept = problems.map(problemWithoutSecrets).filter((p) => {
    const text = describeProblem(p);
    if (seen.has(text) || ignored(text, options)) return false;
    seen.add(text);
    return true;
  });
  // what broke first, then how far the app got (a request may fail after the timeout, on a slow machine)
  const howFar = (p: Problem) => p.kind === 'timeout' || p.kind === 'stopped';
  problems.splice(0, problems.length, ...kept.filter((p) => !howFar(p)), ...kept.filter(howFar));
  result.ok = problems.length === 0;
  if (!result.ok) throw new BuildCheckError(result);
  return result;
}

function ignored(text: string, options: ResolvedCheckOptions): boolean {
  return options.ignore.some((i) => (typeof i === 'string' ? text.includes(i) : i.test(text)));
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
async function runPage(
  page: Page,
  url: string,
  options: ResolvedCheckOptions,
  result: CheckResult,
  fatal: FatalWatch,
): Promise<boolean> {
  const started = performance.now();
  const network = options.playable;
  let held: boolean | undefined;
  const showPlayable = async () => {
    if (!network) return;
    try {
      held = await showAd(page, network, started + options.timeout);
    } catch (error) {
      if (!(error instanceof StandInLost)) throw error;
      result.problems.push({ kind: 'playable', network, message: error.message });
    }
  };
  const outcome = await boot(page, url, options, started + options.timeout, fatal, showPlayable);
  const waitedMs = Math.round(performance.now() - started);
  const end = performance.now() + GRACE_MS;
  const within = <T>(promise: Promise<T>) => withDeadline(promise, end);
  try {
    if (outcome !== 'booted') await howFar(page, options, outcome, waitedMs, result.problems, within);
    result.bootMs = waitedMs;
    await within(loadManifest(page, result.problems));
    const now = await within(progress(page, options.until).catch(() => NO_PROGRESS));
    result.frames = now.frames;
    if (now.version) result.engineVersion = now.version;
    result.problems.push(...(await within(readViolations(page))));
    if (network && outcome === 'booted') {
      const record = await within(tapAndRecord(page, network, held, options.viewport));
      result.playable = record;
      if (record.heldUntilShown === false)
        result.problems.push({
          kind: 'playable',
          network,
          message: 'the app rendered frames before the container showed the ad',
        });
      for (const message of record.violations) result.problems.push({ kind: 'playable', network, message });
    }
    const judged = outcome === 'booted' && !options.allowBlank;
    if (judged || options.screenshot) {
      const frame = await within(readFrame(page, options.viewport, Math.max(1, end - performance.now())));
      if (judged && frame.blank)
        result.problems.push({ kind: 'blank-frame', ...frame.blank, allowWith: nameOption(options, 'allowBlank') });
      if (options.screenshot) {
        await within(writeFile(options.screenshot, frame.png));
        result.screenshot = options.screenshot;
      }
    }
    return true;
  } catch (error) {
    if (!(error instanceof DeadlinePassed)) throw error;
    result.problems.push({ kind: 'timeout', stage: 'busy', waitedMs: Math.round(performance.now() - started) });
    return false;
  }
}

const nameOption = (options: ResolvedCheckOptions, name: string) =>
  (options[OPTION_NAMER] ?? ((n: string) => `the ${n} option`))(name);

/** What a boot that did not end running says: no WebGL, when so; then how far the app got, and why it stopped. */
async function howFar(
  page: Page,
  options: ResolvedCheckOptions,
  outcome: Exclude<BootOutcome, 'booted'>,
  waitedMs: number,
  problems: Problem[],
  within: <T>(promise: Promise<T>) => Promise<T>,
): Promise<void> {
  const now = await within(progress(page, options.until).catch(() => NO_PROGRESS));
  if (now.webglFailed) {
    const webgl = await within(readWebgl(page));
    problems.push({ kind: 'webgl', asked: webgl.asked, ...(webgl.said.length > 0 ? { said: webgl.said } : {}) });
  }
  if (outcome === 'stopped') {
    problems.push({ kind: 'stopped', stage: now.engine ? 'app' : 'engine', waitedMs });
    return;
  }
  const stage = !now.engine
    ? 'engine'
    : !now.app
      ? 'app'
      : !now.scene
        ? 'scene'
        : now.frames < options.frames
          ? 'frames'
          : 'ready';
  problems.push({ kind: 'timeout', stage, waitedMs });
}
