import type { Page } from 'playwright-core';
import { DeadlinePassed, sleep, withDeadline } from './deadline.js';
import { FatalVerdict, type FatalWatch } from './fatal-watch.js';
import type { ResolvedCheckOptions } from './options.js';

/** What the page reports of the app, read in the page. */
export interface Progress {
  engine: boolean;
  /** An application exists and has its graphics device (an engine 2 AppBase gets it only in init()). */
  app: boolean;
  scene: boolean;
  frames: number;
  ready: boolean;
  /** The page asked for WebGL and the browser created no context. */
  webglFailed: boolean;
  version?: string;
}

export const NO_PROGRESS: Progress = {
  engine: false,
  app: false,
  scene: false,
  frames: 0,
  ready: false,
  webglFailed: false,
};

/** How a boot ended: the app ran; the timeout came first; an error before the app existed stopped it. */
export type BootOutcome = 'booted' | 'timeout' | 'stopped';

/**
 * Navigates and waits for the app to run, polling the page, until the deadline; or, once an error that can
 * keep the app from existing was seen (FatalWatch) and nothing is left loading, stops there at once.
 */
export async function boot(
  page: Page,
  url: string,
  options: ResolvedCheckOptions,
  deadline: number,
  fatal: FatalWatch,
  loaded: () => Promise<void> = async () => undefined,
): Promise<BootOutcome> {
  const within = <T>(promise: Promise<T>) => withDeadline(promise, deadline);
  const verdict = new FatalVerdict(fatal);
  try {
    // Playwright's own timeout a second later than the check's: the check's deadline, exact, decides
    await within(
      page.goto(url, { waitUntil: 'load', timeout: Math.max(1, Math.ceil(deadline - performance.now()) + 1000) }),
    );
    await loaded();
    for (;;) {
      const now = await within(progress(page, undefined));
      if (now.app && now.scene && now.frames >= options.frames && (await within(holds(page, options.until))))
        return 'booted';
      if (now.webglFailed) verdict.seenInPage();
      if (verdict.stopped(now.app)) return 'stopped';
      await within(sleep(50));
    }
  } catch (error) {
    if (error instanceof DeadlinePassed || (error as Error | undefined)?.name === 'TimeoutError') return 'timeout';
    throw error;
  }
}

// The `until` expression is evaluated by the DevTools protocol, not by eval in the page: the page's own
// Content-Security-Policy (which may refuse eval) applies to the page's code, not to the check's.
async function holds(page: Page, until: string | undefined): Promise<boolean> {
  return until === undefined ? true : !!(await page.evaluate(until).catch(() => false));
}

/** How far the app got; `ready` only when `until` is given (undefined: not asked). */
export async function progress(page: Page, until: string | undefined): Promise<Progress> {
  const state = await page.evaluate(() => {
    const seen = window as unknown as {
      pc?: { version?: string; Application?: { getApplication?: () => unknown } };
      __pcCheckApp?: unknown;
    };
    const pc = seen.pc;
    // without window.pc (an ES module build of module scripts only), the app the check caught as it was made
    const app = (pc?.Application?.getApplication?.() ?? seen.__pcCheckApp) as
      | { root?: { children?: unknown[] }; frame?: number; graphicsDevice?: unknown }
      | undefined;
    const webgl = (window as unknown as { __pcCheckWebgl?: { asked: string[]; made: boolean } }).__pcCheckWebgl;
    return {
      engine: !!pc || !!app,
      app: !!app?.graphicsDevice,
      scene: (app?.root?.children?.length ?? 0) > 0,
      frames: app?.frame ?? 0,
      webglFailed: !!webgl && webgl.asked.length > 0 && !webgl.made,
      ...(pc?.version ? { version: pc.version } : {}),
    };
  });
  return { ...state, ready: await holds(page, until) };
}
