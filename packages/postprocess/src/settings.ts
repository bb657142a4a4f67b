import { PostprocessError } from './build.js';
import { createSandbox, type Sandbox, tolerant } from './sandbox.js';

export const SETTINGS_FILE = '__settings__.js';

/** A module the build preloads (Ammo, Basis, Draco...): listed in `window.PRELOAD_MODULES`. */
export interface PreloadModule {
  moduleName: string;
  glueUrl?: string;
  wasmUrl?: string;
  fallbackUrl?: string;
}

/** What `__settings__.js` sets, as the page would see it. */
export interface Settings {
  assetPrefix: string;
  scriptPrefix: string;
  scenePath: string | undefined;
  configFilename: string;
  preloadModules: PreloadModule[];
  deviceTypes: string[];
}

/** Runs `__settings__.js` in a sandbox (its module list is JavaScript, not JSON) and reads what it set. */
export function readSettings(source: string, sandbox: Sandbox = createSandbox({ pc: tolerant() })): Settings {
  try {
    sandbox.run(source, SETTINGS_FILE);
  } catch (error) {
    throw new PostprocessError(`${SETTINGS_FILE} does not run (${(error as Error).message}): is it the file the Editor exported?`, SETTINGS_FILE);
  }
  const g = sandbox.global;
  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
  const modules = Array.isArray(g.PRELOAD_MODULES) ? (g.PRELOAD_MODULES as unknown[]) : [];
  const context = (g.CONTEXT_OPTIONS ?? {}) as { deviceTypes?: unknown };
  return {
    assetPrefix: text(g.ASSET_PREFIX, ''),
    scriptPrefix: text(g.SCRIPT_PREFIX, ''),
    scenePath: typeof g.SCENE_PATH === 'string' ? g.SCENE_PATH : undefined,
    configFilename: text(g.CONFIG_FILENAME, 'config.json'),
    preloadModules: modules.filter(
      (m): m is PreloadModule => typeof m === 'object' && m !== null && typeof (m as PreloadModule).moduleName === 'string',
    ),
    deviceTypes: Array.isArray(context.deviceTypes) ? context.deviceTypes.filter((t): t is string => typeof t === 'string') : [],
  };
}

/** The string a `window.NAME = "..."` assignment sets, with where its literal sits. */
function literalOf(source: string, name: string): { value: string; start: number; end: number } | undefined {
  const match = new RegExp(`((?:window\\.)?\\b${name}\\s*=\\s*)("(?:[^"\\\\\\n]|\\\\.)*"|'(?:[^'\\\\\\n]|\\\\.)*')`).exec(source);
  if (!match) return undefined;
  const literal = match[2] as string;
  const value = literal.startsWith('"')
    ? (JSON.parse(literal) as string)
    : (JSON.parse(`"${literal.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string);
  const start = match.index + (match[1] as string).length;
  return { value, start, end: start + literal.length };
}

/** Sets a string assignment the Editor writes (`window.ASSET_PREFIX = "..."`), refusing when it is not there. */
export function setSetting(source: string, name: string, value: (current: string) => string): string {
  const literal = literalOf(source, name);
  if (!literal)
    throw new PostprocessError(`${SETTINGS_FILE} has no ${name} = "..." assignment to change: is it the file the Editor exported?`, SETTINGS_FILE);
  return source.slice(0, literal.start) + JSON.stringify(value(literal.value)) + source.slice(literal.end);
}

/** Whether the settings assign `name` a string literal. */
export function hasSetting(source: string, name: string): boolean {
  return literalOf(source, name) !== undefined;
}
