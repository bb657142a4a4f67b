import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { progress } from './boot.js';
import { sleep, withDeadline } from './deadline.js';
import type { StandInNetwork } from './stand-in-networks.js';

export { STAND_IN_NETWORKS, type StandInNetwork } from './stand-in-networks.js';

const MRAID = ['applovin', 'unity', 'ironsource', 'snapchat'];
/** Networks whose container tells the ad when it is shown: the app must wait for it. */
const GATED = [...MRAID, 'mintegral'];
const EXIT_API = 'https://tpc.googlesyndication.com/pagead/gadgets/html5/api/exitapi.js';
const SOURCE = new URL('../runtime/playable-stand-ins.js', import.meta.url);
/** How long the container keeps a loaded app waiting before it shows the ad. */
const HOLD_MS = 1000;

/** The page no longer has the stand-in the check put in it (it replaced window.__pcStandIn, or navigated away). */
export class StandInLost extends Error {
  constructor() {
    super(
      "the page no longer has the container's stand-in (window.__pcStandIn): did it navigate, or overwrite the global?",
    );
  }
}

/** What the network's stand-in saw: the calls the ad made (those after the check's tap apart) and what it broke. */
export interface PlayableRecord {
  network: StandInNetwork;
  /** For networks that say when the ad is shown: the app rendered no frame before that. */
  heldUntilShown?: boolean;
  calls: Array<{ call: string; args: unknown[] }>;
  /** The calls the ad made after the check tapped the middle of the page once. */
  tapCalls: Array<{ call: string; args: unknown[] }>;
  violations: string[];
  /** The app's sound volume before the tap and after it (undefined: no sound manager). */
  volumeBeforeTap?: number;
  volumeAfterTap?: number;
}

interface StandInState {
  calls: PlayableRecord['calls'];
  violations: string[];
}

/** The stand-in, before the page runs; the container's scripts (mraid.js, exitapi.js) answered by it. */
export async function installStandIn(page: Page, network: StandInNetwork): Promise<void> {
  await page.addInitScript({
    content: `${readFileSync(SOURCE, 'utf8')}\ninstallStandIn(${JSON.stringify(network)});\n`,
  });
  const serve = (api: string) => ({
    contentType: 'text/javascript',
    body: `window.__pcStandIn.install(${JSON.stringify(api)});`,
  });
  if (MRAID.includes(network)) await page.route('**/mraid.js', (route) => route.fulfill(serve('mraid')));
  if (network === 'google') await page.route(EXIT_API, (route) => route.fulfill(serve('exitapi')));
}

/**
 * The container's part once the page has loaded: for networks that say when the ad is shown, it waits until the
 * app has loaded its scene (and, for Mintegral, the ad called gameReady()) and a second more, notes whether the
 * app rendered a frame already, then shows the ad.
 */
export async function showAd(page: Page, network: StandInNetwork, deadline: number): Promise<boolean | undefined> {
  const within = <T>(promise: Promise<T>) => withDeadline(promise, deadline);
  let held: boolean | undefined;
  if (GATED.includes(network)) {
    // loaded: the scene is in (the Editor's start scripts load it before app.start()), and Mintegral's ad said
    // gameReady()
    const loaded = async () =>
      (await within(progress(page, undefined))).scene &&
      (network !== 'mintegral' ||
        (await within(
          page.evaluate(() => (window as unknown as { __pcStandIn: StandInState }).__pcStandIn.calls.length > 0),
        )));
    while (!(await loaded())) await within(sleep(50));
    await within(sleep(HOLD_MS));
    held = (await within(progress(page, undefined))).frames === 0;
  }
  const present = await within(
    page.evaluate(() => {
      const standIn = (window as unknown as { __pcStandIn?: { show(): void } }).__pcStandIn;
      standIn?.show();
      return standIn !== undefined;
    }),
  );
  if (!present) throw new StandInLost();
  return held;
}

/** One tap in the middle of the page, and what the stand-in recorded. */
export async function tapAndRecord(
  page: Page,
  network: StandInNetwork,
  held: boolean | undefined,
  viewport: { width: number; height: number },
): Promise<PlayableRecord> {
  const read = () =>
    page.evaluate(() => {
      const seen = window as unknown as {
        __pcStandIn: StandInState;
        __pcCheckApp?: unknown;
        pc?: { Application?: { getApplication?(): unknown } };
      };
      const app = (seen.pc?.Application?.getApplication?.() ?? seen.__pcCheckApp) as
        | { soundManager?: { volume: number } }
        | undefined;
      const { calls, violations } = seen.__pcStandIn ?? { calls: [], violations: ["the container's stand-in is gone"] };
      return {
        calls: JSON.parse(JSON.stringify(calls)) as StandInState['calls'],
        violations: [...violations],
        volume: app?.soundManager?.volume,
      };
    });
  const before = await read();
  await page.mouse.click(viewport.width / 2, viewport.height / 2);
  await sleep(300);
  const after = await read();
  return {
    network,
    ...(held !== undefined ? { heldUntilShown: held } : {}),
    calls: after.calls,
    tapCalls: after.calls.slice(before.calls.length),
    violations: after.violations,
    ...(before.volume !== undefined ? { volumeBeforeTap: before.volume } : {}),
    ...(after.volume !== undefined ? { volumeAfterTap: after.volume } : {}),
  };
}
