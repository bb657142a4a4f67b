import { accessSync, constants } from 'node:fs';
import { CheckSetupError } from './errors.js';

/** Where Chromium or Chrome usually is, by platform. */
const USUAL_PLACES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

/**
 * How the host a message is printed by names an option: `browser` (check()), `check.browser` (Grunt), `--browser` (the
 * CLI).
 */
export type OptionNamer = (option: string) => string;

/** What to do when there is no browser, naming the browser setting as the host calls it. */
export function installHint(option: OptionNamer = (name) => `the ${name} option`): string {
  return (
    'install Chromium (Debian/Ubuntu: sudo apt-get install -y chromium; macOS: ' +
    `install Google Chrome) or give its path with ${option('browser')} or the CHROME_PATH environment variable`
  );
}

export const INSTALL_HINT = installHint();

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The browser to run: the one given, else CHROME_PATH, else the first found in the usual places; undefined when none.
 */
export function findBrowser(given?: string, env: Record<string, string | undefined> = process.env): string | undefined {
  if (given !== undefined) return given;
  if (env.CHROME_PATH) return env.CHROME_PATH;
  return USUAL_PLACES.find(executable);
}

export function requireBrowser(given?: string, option?: OptionNamer): string {
  const path = findBrowser(given);
  if (path === undefined) throw new CheckSetupError(`No Chromium to boot the build in: ${installHint(option)}`);
  if (!executable(path))
    throw new CheckSetupError(`The browser ${path} does not exist or cannot be run: ${installHint(option)}`);
  return path;
}

/**
 * Flags for a headless Chromium that renders WebGL2 without a GPU (SwiftShader through ANGLE), talks to
 * nothing but the page, and runs as root in CI.
 */
export function launchArgs(): string[] {
  const args = [
    '--use-angle=swiftshader',
    '--enable-unsafe-swiftshader',
    '--disable-gpu-sandbox',
    '--no-first-run',
    '--disable-quic',
    '--disable-sync',
  ];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return args;
}
