import { parse } from 'acorn';
import type * as ESTree from 'estree';
import { type BuildSource, PostprocessError } from './build.js';
import { pageElements } from './html.js';

/**
 * The layouts the PlayCanvas Editor's "Download" writes (docs/research/editor-builds.md §10):
 * - `classic-application`: classic scripts, the old `__start__.js` that calls `new pc.Application(` (exports ≤ 2023);
 * - `classic`: classic scripts, the `pc.AppBase` `__start__.js` (2024+, engine 1.73 to 2.x);
 * - `esm`: ES module scripts, `js/index.mjs` + `js/__settings__.mjs` + the engine as `js/playcanvas-stable.min.mjs`;
 * - `esm-concatenated`: ES module scripts bundled, `js/index.mjs` (engine and settings inside) + `js/esm.mjs`.
 */
export type LayoutName = 'classic-application' | 'classic' | 'esm' | 'esm-concatenated';

/**
 * How the settings are written: globals without `window.` (exports ≤ 2022), `window.X = ...` (2023+), ES exports
 * (`const X = ...; export { X }` in `js/__settings__.mjs`), constants inside the concatenated `js/index.mjs` bundle.
 */
export type SettingsForm = 'bare-globals' | 'window-globals' | 'es-exports' | 'bundle-constants';

export interface BuildLayout {
  name: LayoutName;
  /** ES module scripts and classic scripts together (`__game-scripts.js`, or `js/index.mjs` sets `window.pc`). */
  mixed: boolean;
  settingsFile: string;
  settingsForm: SettingsForm;
  /** The bootstrap: `__start__.js`, or `js/index.mjs`. */
  startScript: string;
  /**
   * The engine file; in a concatenated ESM build the engine is inside `js/index.mjs`. Undefined when the build lacks
   * it.
   */
  engineFile: string | undefined;
  /** The loading screen's own file (`__loading__.js`, `js/__loading__.mjs`); undefined when it is inside the bundle. */
  loadingScript: string | undefined;
  /** The build's own ES modules under `js/` (not esm-scripts): index.mjs, the `__*.mjs` files, the engine, chunks. */
  modules: string[];
  /** The text of index.html's inline `<script type="importmap">`, if it has one. */
  importMap: string | undefined;
}

/** The names the Editor's settings files set, in every form. */
export const SETTING_NAMES = [
  'ASSET_PREFIX',
  'SCRIPT_PREFIX',
  'SCENE_PATH',
  'CONTEXT_OPTIONS',
  'SCRIPTS',
  'CONFIG_FILENAME',
  'INPUT_SETTINGS',
  'PRELOAD_MODULES',
] as const;

export const CLASSIC_SETTINGS = '__settings__.js';
export const CLASSIC_START = '__start__.js';
export const ESM_INDEX = 'js/index.mjs';
export const ESM_SETTINGS = 'js/__settings__.mjs';

/** The files the layout reader reads: a step that reads the layout needs them. */
export function layoutNeeds(path: string): boolean {
  return (
    path === 'index.html' ||
    path === CLASSIC_SETTINGS ||
    path === CLASSIC_START ||
    path === ESM_INDEX ||
    path === ESM_SETTINGS
  );
}

/** The files a layout is read from: a build's, or a single file's (its blocks carry the files by path). */
export interface LayoutFiles {
  paths: ReadonlySet<string>;
  /** The text of a file, undefined when there is none. */
  read(path: string): Promise<string | undefined>;
}

export function layoutFilesOf(build: BuildSource): LayoutFiles {
  return {
    paths: build.paths,
    read: async (path) => (build.paths.has(path) ? (await build.read(path)).toString('utf8') : undefined),
  };
}

const isClassicEngine = (path: string) => /^playcanvas[^/]*\.js$/.test(path);
const isEsmEngine = (path: string) => /^js\/playcanvas[^/]*\.mjs$/.test(path);

/** The inline import map of index.html, as the browser reads it (the first one counts). */
function importMapOf(html: string | undefined): string | undefined {
  if (html === undefined) return undefined;
  const tag = pageElements(html).find(
    (t) =>
      t.name === 'script' &&
      !t.foreign &&
      (t.attributes.type ?? '').trim().toLowerCase() === 'importmap' &&
      t.attributes.src === undefined,
  );
  return tag?.text;
}

/** Where the bundle's settings start: its bootstrap (settings, start, loading screen) is the rest of the file. */
export interface BundleTail {
  offset: number;
  text: string;
}

/**
 * The last bundle read: the engine before its settings, and its trailing `export {...}` lists (by their distance
 * from the end). A step that changes a setting changes only the tail, so the next read skips the 3 MB parse.
 */
let lastBundle: { head: string; exports: Array<{ fromEnd: number; length: number }> } | undefined;

function blanked(text: string, exports: Array<{ fromEnd: number; length: number }>): string | undefined {
  let out = text;
  for (const { fromEnd, length } of exports) {
    const from = out.length - fromEnd;
    const part = out.slice(from, from + length);
    if (from < 0 || !/^export\s*\{[^}]*\}\s*;?$/.test(part)) return undefined;
    out = out.slice(0, from) + part.replace(/[^\n]/g, ' ') + out.slice(from + length);
  }
  return out;
}

/**
 * The part of a concatenated `js/index.mjs` from its first settings constant to its end: the settings, the
 * bootstrap and the loading screen, without the engine before them (3 MB, several seconds to analyse). Found by
 * parsing the bundle (no scope analysis): the first top-level `const ASSET_PREFIX = ...` or other setting. Its
 * `export { Script as S, ... }` names engine code before the tail: blanked (same length) so the tail parses alone.
 */
export function bundleTail(source: string, file = ESM_INDEX): BundleTail | undefined {
  if (lastBundle && source.startsWith(lastBundle.head)) {
    const text = blanked(source.slice(lastBundle.head.length), lastBundle.exports);
    if (text !== undefined) return { offset: lastBundle.head.length, text };
  }
  let program: ESTree.Program;
  try {
    program = parse(source, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as ESTree.Program;
  } catch (error) {
    throw new PostprocessError(
      `${file} is not a JavaScript module a browser can run (${(error as Error).message}): download the build again`,
      file,
    );
  }
  const names = new Set<string>(SETTING_NAMES);
  const first = program.body.find(
    (s) =>
      s.type === 'VariableDeclaration' &&
      s.declarations.some((d) => d.id.type === 'Identifier' && names.has(d.id.name)),
  ) as (ESTree.Node & { start: number }) | undefined;
  if (!first) return undefined;
  const exports = (program.body as Array<ESTree.Node & { start: number; end: number }>)
    .filter((s) => s.start >= first.start && s.type === 'ExportNamedDeclaration' && !s.declaration)
    .map((s) => ({ fromEnd: source.length - s.start, length: s.end - s.start }));
  const text = blanked(source.slice(first.start), exports);
  if (text === undefined) throw new PostprocessError(`${file}: its export lists could not be read`, file);
  lastBundle = { head: source.slice(0, first.start), exports };
  return { offset: first.start, text };
}

function notALayout(paths: ReadonlySet<string>, found: string): PostprocessError {
  const top = [...new Set([...paths].map((p) => (p.includes('/') ? `${p.split('/')[0]}/` : p)))].sort();
  const listed = top.length > 12 ? `${top.slice(0, 12).join(', ')}, ...` : top.join(', ');
  return new PostprocessError(
    'This is no PlayCanvas build layout post-processing knows. It looked for __settings__.js and __start__.js ' +
      '(classic scripts), js/index.mjs with js/__settings__.mjs (ES module scripts), or js/index.mjs with the ' +
      `settings inside (ES module scripts, concatenated); ${found}. The build has ${listed || 'no files'}: ` +
      'is it the "static" download of the PlayCanvas Editor, unzipped?',
  );
}

/** Which layout the build is, from its file list and the few files that tell the variants apart. */
export async function readLayout(files: LayoutFiles): Promise<BuildLayout> {
  const { paths } = files;
  const html = await files.read('index.html');
  const importMap = importMapOf(html);
  const jsModules = [...paths].filter((p) => /^js\/[^/]+\.mjs$/.test(p)).sort();
  if (paths.has(ESM_INDEX)) {
    const index = (await files.read(ESM_INDEX)) ?? '';
    const setsPc = /\bwindow\.pc\s*=/.test(index);
    const mixed = setsPc || paths.has('__game-scripts.js');
    if (paths.has(ESM_SETTINGS)) {
      return {
        name: 'esm',
        mixed,
        settingsFile: ESM_SETTINGS,
        settingsForm: 'es-exports',
        startScript: ESM_INDEX,
        engineFile: jsModules.find(isEsmEngine),
        loadingScript: paths.has('js/__loading__.mjs') ? 'js/__loading__.mjs' : undefined,
        modules: jsModules,
        importMap,
      };
    }
    if (bundleTail(index) !== undefined)
      return {
        name: 'esm-concatenated',
        mixed,
        settingsFile: ESM_INDEX,
        settingsForm: 'bundle-constants',
        startScript: ESM_INDEX,
        engineFile: ESM_INDEX,
        loadingScript: undefined,
        modules: jsModules,
        importMap,
      };
    throw notALayout(
      paths,
      `found js/index.mjs, but neither js/__settings__.mjs nor settings constants (const ASSET_PREFIX = ...) inside it`,
    );
  }
  if (paths.has(CLASSIC_SETTINGS)) {
    const settings = (await files.read(CLASSIC_SETTINGS)) ?? '';
    const start = await files.read(CLASSIC_START);
    const application = start !== undefined && /\bnew\s+pc\.Application\s*\(/.test(start);
    return {
      name: application ? 'classic-application' : 'classic',
      mixed: false,
      settingsFile: CLASSIC_SETTINGS,
      settingsForm: /(^|[\s;])(window|self|globalThis)\s*\.\s*ASSET_PREFIX\s*=/.test(settings)
        ? 'window-globals'
        : 'bare-globals',
      startScript: CLASSIC_START,
      engineFile: [...paths].filter(isClassicEngine).sort()[0],
      loadingScript: paths.has('__loading__.js') ? '__loading__.js' : undefined,
      modules: [],
      importMap,
    };
  }
  const hints = [CLASSIC_START, ESM_SETTINGS, 'js/esm.mjs'].filter((p) => paths.has(p));
  throw notALayout(
    paths,
    hints.length > 0 ? `it found ${hints.join(' and ')} without the rest` : 'it found none of them',
  );
}

/** The layout in a sentence for messages: "an ES module build (js/index.mjs, concatenated)". */
export function describeLayout(layout: BuildLayout): string {
  const mixed = layout.mixed ? ' with classic scripts too' : '';
  switch (layout.name) {
    case 'classic-application':
      return 'a classic build with the old pc.Application __start__.js';
    case 'classic':
      return 'a classic build';
    case 'esm':
      return `an ES module build${mixed}`;
    case 'esm-concatenated':
      return `a concatenated ES module build${mixed}`;
  }
}
