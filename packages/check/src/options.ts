import { type OptionNamer, requireBrowser } from './browser.js';
import { CheckSetupError } from './errors.js';
import { STAND_IN_NETWORKS, type StandInNetwork } from './stand-in-networks.js';

/** Where resolved options keep how their host names an option: a symbol, so that it is no option's name. */
export const OPTION_NAMER: unique symbol = Symbol('option namer');

export interface CheckOptions {
  /** The Chromium or Chrome to run. Default: CHROME_PATH, then the usual install locations. */
  browser?: string;
  /** Frames the app must render to count as running. Default 10. */
  frames?: number;
  /** Milliseconds for the whole boot, from navigation to the last frame. Default 30000. */
  timeout?: number;
  /** The page's size in CSS pixels. Default 640×360. */
  viewport?: { width: number; height: number };
  /** The page to open, as a path in the build. Default 'index.html'. */
  page?: string;
  /** Write a PNG screenshot of the running app here. */
  screenshot?: string;
  /**
   * Extra headers on every answer (a Content-Security-Policy header, say). A `_headers` file in the build applies too.
   */
  headers?: Record<string, string>;
  /** Problems to let pass: a problem whose description matches one of these is not reported. */
  ignore?: Array<string | RegExp>;
  /**
   * A JavaScript expression that must also hold in the page before the app counts as running, e.g. `window.gameReady
   * === true`.
   */
  until?: string;
  /** The game starts on a blank screen: a first frame of one colour is not a problem. Default false. */
  allowBlank?: boolean;
  /**
   * A playable for this ad network: the page runs under a stand-in for the network's container (the MRAID object,
   * FbPlayableAd, ExitApi, the Mintegral and TikTok globals, Vungle's parent), which shows the ad once the app has
   * loaded; after the boot the check taps the page once. The result's `playable` says what the ad called.
   */
  playable?: StandInNetwork;
}

export interface ResolvedCheckOptions {
  browser: string;
  frames: number;
  timeout: number;
  viewport: { width: number; height: number };
  page: string;
  screenshot: string | undefined;
  headers: Record<string, string>;
  ignore: Array<string | RegExp>;
  until: string | undefined;
  allowBlank: boolean;
  playable: StandInNetwork | undefined;
  /** How the host names an option in its messages (the allowBlank hint); carried by spreads, never an option. */
  [OPTION_NAMER]?: OptionNamer;
}

const resolved = new WeakSet<object>();

const nameAsOption: OptionNamer = (name) => `the ${name} option`;

const KNOWN = [
  'browser',
  'frames',
  'timeout',
  'viewport',
  'page',
  'screenshot',
  'headers',
  'ignore',
  'until',
  'allowBlank',
  'playable',
];

function bad(message: string): never {
  throw new CheckSetupError(`Check option ${message}`);
}

/**
 * Checks the options (and finds the browser) without starting anything: adapters call it when they are set up.
 * `option` names an option as the adapter's user writes it, for the messages that tell them to set one.
 */
export function resolveCheckOptions(
  input: CheckOptions | ResolvedCheckOptions,
  option?: OptionNamer,
): ResolvedCheckOptions {
  if (resolved.has(input)) return input as ResolvedCheckOptions;
  if (typeof input !== 'object' || input === null) bad('set must be an object');
  for (const key of Object.keys(input)) if (!KNOWN.includes(key)) bad(`${key} is unknown; use ${KNOWN.join(', ')}`);
  const positive = (value: unknown, name: string, fallback: number) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      bad(`${name} must be a positive number; got ${String(value)}`);
    return value;
  };
  const viewport = input.viewport ?? { width: 640, height: 360 };
  if (typeof viewport !== 'object' || viewport === null) bad('viewport must be { width, height }');
  if (input.screenshot !== undefined && (typeof input.screenshot !== 'string' || input.screenshot === ''))
    bad('screenshot must be a file path');
  if (input.ignore !== undefined && !Array.isArray(input.ignore))
    bad('ignore must be a list of strings or regular expressions');
  if (input.until !== undefined && (typeof input.until !== 'string' || input.until.trim() === ''))
    bad('until must be a JavaScript expression');
  if (input.allowBlank !== undefined && typeof input.allowBlank !== 'boolean')
    bad(`allowBlank must be true or false; got ${String(input.allowBlank)}`);
  if (input.playable !== undefined && !STAND_IN_NETWORKS.includes(input.playable))
    bad(`playable must be one of ${STAND_IN_NETWORKS.join(', ')}; got ${String(input.playable)}`);
  // options resolved once (by an adapter, with its namer) and spread into new ones keep their namer
  const namer = option ?? (input as ResolvedCheckOptions)[OPTION_NAMER];
  const options: ResolvedCheckOptions = {
    browser: requireBrowser(input.browser, namer),
    frames: Math.ceil(positive(input.frames, 'frames', 10)),
    timeout: positive(input.timeout, 'timeout', 30_000),
    viewport: {
      width: positive(viewport.width, 'viewport.width', 640),
      height: positive(viewport.height, 'viewport.height', 360),
    },
    page: input.page ?? 'index.html',
    screenshot: input.screenshot,
    headers: input.headers ?? {},
    ignore: input.ignore ?? [],
    until: input.until,
    allowBlank: input.allowBlank ?? false,
    playable: input.playable,
    [OPTION_NAMER]: namer ?? nameAsOption,
  };
  resolved.add(options);
  return options;
}
