import type { Browser } from 'playwright-core';
import { launchArgs } from './browser.js';
import { withDeadline } from './deadline.js';
import { CheckSetupError } from './errors.js';

/**
 * The browser driver, loaded when a check first needs a browser: it is the heaviest module the hosts load (about
 * 0.2 s of a CLI start), and most runs of the CLI or the Grunt task never check.
 */
const loadDriver = () => import('playwright-core');

/** How long a browser (or a browser context) gets to close before its process is killed. */
export const CLOSE_MS = 3000;

/** A Chromium the check started: the driver's connection to it, and its process, to kill when it will not close. */
export interface RunningBrowser {
  browser: Browser;
  pid: number | undefined;
  /** Closes the browser; kills its processes when it does not close within CLOSE_MS. */
  stop(): Promise<void>;
  /** Kills the browser's processes at once (its renderers too). */
  kill(): Promise<void>;
}

/**
 * Starts Chromium as a browser server, so that its process is ours to kill: a page that spins its main thread
 * can keep the driver's calls from returning, and the check must still end when it said it would.
 */
export async function launchBrowser(executable: string): Promise<RunningBrowser> {
  const { chromium } = await loadDriver();
  let server: Awaited<ReturnType<typeof chromium.launchServer>>;
  try {
    server = await chromium.launchServer({ executablePath: executable, headless: true, args: launchArgs() });
  } catch (error) {
    throw new CheckSetupError(
      `Chromium (${executable}) did not start: ${String((error as Error).message).split('\n')[0]}`,
    );
  }
  try {
    const browser = await chromium.connect(server.wsEndpoint());
    let killed = false;
    const kill = async () => {
      killed = true;
      await server.kill().catch(() => undefined);
    };
    return {
      browser,
      pid: server.process().pid,
      kill,
      async stop() {
        if (killed) return;
        try {
          await withDeadline(
            browser.close().then(() => server.close()),
            performance.now() + CLOSE_MS,
          );
        } catch {
          await kill();
        }
      },
    };
  } catch (error) {
    await server.kill().catch(() => undefined);
    throw new CheckSetupError(
      `Chromium (${executable}) started but did not answer: ${String((error as Error).message).split('\n')[0]}`,
    );
  }
}

/**
 * Connects to a browser server someone else started (chromium.launchServer(), by the same Playwright version), to
 * check in it without launching one. Its process is not ours: stopping, or killing a page that will not answer,
 * disconnects, which closes the browser contexts this connection opened and leaves the browser running.
 */
export async function connectBrowser(endpoint: string): Promise<RunningBrowser> {
  const { chromium } = await loadDriver();
  let browser: Browser;
  try {
    browser = await chromium.connect(endpoint, { timeout: 30_000 });
  } catch (error) {
    throw new CheckSetupError(
      `No browser answered at ${endpoint} (the connect option): ${String((error as Error).message).split('\n')[0]}`,
    );
  }
  const disconnect = async () => {
    await withDeadline(browser.close(), performance.now() + CLOSE_MS).catch(() => undefined);
  };
  return { browser, pid: undefined, kill: disconnect, stop: disconnect };
}
