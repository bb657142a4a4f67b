import type * as ESTree from 'estree';
import { type BuildSource, PostprocessError } from './build.js';
import { type BuildLayout, describeLayout, layoutFilesOf, readLayout, type SettingsForm } from './layout.js';
import { cannotRead, readSettingsFile, SETTINGS_FILE, settingsEnd } from './settings-file.js';
import { type Known, type StaticValue, UNKNOWN } from './static-value.js';

export { SETTINGS_FILE } from './settings-file.js';

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

/** The settings as the page would see them, read without running the file; refused where a value is computed. */
export function readSettings(source: string, form?: SettingsForm, path?: string): Settings {
  const file = readSettingsFile(source, form, path);
  const first = file.other[0];
  if (first) throw cannotRead(file, first, 'is not a plain setting, so what it changes cannot be told');
  const settingOf = (name: string): StaticValue => {
    const last = file.assignments.filter((a) => a.name === name).at(-1);
    if (!last) return undefined;
    if (last.value === UNKNOWN)
      throw cannotRead(file, last.statement, `sets ${name} to a value only known when the page runs`);
    return last.value;
  };
  const text = (name: string, fallback: string) => {
    const v = settingOf(name);
    return typeof v === 'string' ? v : fallback;
  };
  const modules = settingOf('PRELOAD_MODULES');
  const context = settingOf('CONTEXT_OPTIONS');
  const deviceTypes =
    context && typeof context === 'object' && !Array.isArray(context) ? context.deviceTypes : undefined;
  const scenePath = settingOf('SCENE_PATH');
  return {
    assetPrefix: text('ASSET_PREFIX', ''),
    scriptPrefix: text('SCRIPT_PREFIX', ''),
    scenePath: typeof scenePath === 'string' ? scenePath : undefined,
    configFilename: text('CONFIG_FILENAME', 'config.json'),
    preloadModules: (Array.isArray(modules) ? modules : []).filter(
      (m): m is PreloadModule & StaticValue =>
        typeof m === 'object' && m !== null && typeof (m as { moduleName?: unknown }).moduleName === 'string',
    ) as PreloadModule[],
    deviceTypes: Array.isArray(deviceTypes) ? deviceTypes.filter((t): t is string => typeof t === 'string') : [],
  };
}

/**
 * The settings' plain values by global name (for the loading screen, which reads ASSET_PREFIX...); computed ones
 * unknown.
 */
export function settingsGlobals(
  source: string | undefined,
  form?: SettingsForm,
  path?: string,
): (name: string) => Known {
  if (source === undefined) return () => UNKNOWN;
  const { assignments } = readSettingsFile(source, form, path);
  return (name) => {
    const set = assignments.filter((a) => a.name === name);
    return set.length === 0 ? UNKNOWN : (set.at(-1)?.value ?? UNKNOWN);
  };
}

/** The string literals assigned to a global, with where each sits. */
function literalsOf(
  source: string,
  name: string,
  form?: SettingsForm,
  path?: string,
): Array<{ value: string; start: number; end: number }> {
  const file = readSettingsFile(source, form, path);
  return file.assignments.flatMap((a) => {
    const node = a.node as ESTree.Node & { start: number; end: number };
    const plain = node.type === 'Literal' || (node.type === 'TemplateLiteral' && node.expressions.length === 0);
    const at = { start: node.start + file.offset, end: node.end + file.offset };
    return a.name === name && plain && typeof a.value === 'string' ? [{ value: a.value, ...at }] : [];
  });
}

/** Sets a string assignment the Editor writes (`window.ASSET_PREFIX = "..."`), refusing when it is not there. */
export function setSetting(
  source: string,
  name: string,
  value: (current: string) => string,
  form?: SettingsForm,
  path = SETTINGS_FILE,
): string {
  const literals = literalsOf(source, name, form, path);
  if (literals.length === 0) {
    const kind = form === 'es-exports' || form === 'bundle-constants' ? 'constant' : 'assignment';
    throw new PostprocessError(
      `${path} has no ${name} = "..." ${kind} to change: is it the file the Editor exported?`,
      path,
    );
  }
  let out = source;
  for (const literal of literals.reverse())
    out = out.slice(0, literal.start) + JSON.stringify(value(literal.value)) + out.slice(literal.end);
  return out;
}

/** Whether the settings assign `name` a string literal. */
export function hasSetting(source: string, name: string, form?: SettingsForm, path?: string): boolean {
  return literalsOf(source, name, form, path).length > 0;
}

/** The settings of a build in the form its layout writes them: read, and changed in place. */
export interface LayoutSettings {
  file: string;
  form: SettingsForm;
  text: string;
  settings: Settings;
  globals: (name: string) => Known;
  /** The settings file's text with the string setting `name` changed (refused when the file has no such literal). */
  set(text: string, name: string, value: (current: string) => string): string;
  has(text: string, name: string): boolean;
  /** Where the settings end in a text of the file (a concatenated bundle goes on with its bootstrap). */
  end(text: string): number;
}

export function layoutSettings(
  layout: Pick<BuildLayout, 'settingsFile' | 'settingsForm'>,
  text: string,
): LayoutSettings {
  const { settingsFile: file, settingsForm: form } = layout;
  return {
    file,
    form,
    text,
    settings: readSettings(text, form, file),
    globals: settingsGlobals(text, form, file),
    set: (source, name, value) => setSetting(source, name, value, form, file),
    has: (source, name) => hasSetting(source, name, form, file),
    end: (source) => settingsEnd(readSettingsFile(source, form, file)),
  };
}

/** The build's layout and its settings: how every transform reads them. */
export async function readBuildSettings(
  build: BuildSource,
): Promise<{ layout: BuildLayout; settings: LayoutSettings }> {
  const layout = await readLayout(layoutFilesOf(build));
  if (!build.paths.has(layout.settingsFile))
    throw new PostprocessError(
      `${describeLayout(layout)} without ${layout.settingsFile}: download the build again`,
      layout.settingsFile,
    );
  const text = (await build.read(layout.settingsFile)).toString('utf8');
  return { layout, settings: layoutSettings(layout, text) };
}
