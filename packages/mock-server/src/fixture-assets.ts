/** The asset part of the fixture format: the types an Editor project holds, and their checks. */

export const ASSET_TYPES = [
  'script',
  'texture',
  'json',
  'css',
  'html',
  'text',
  'audio',
  'model',
  'wasm',
  'font',
  'textureatlas',
  'sprite',
  'cubemap',
  'container',
  'render',
  'animation',
] as const;

export type AssetType = (typeof ASSET_TYPES)[number];

export interface FixtureAsset {
  id: number;
  name: string;
  type: AssetType;
  /**
   * For a `wasm` asset: the module's global name (as in PRELOAD_MODULES), e.g. 'Ammo'. Default: from the file name.
   */
  moduleName?: string;
  /**
   * For a `wasm` asset: the `script` assets that hold its Emscripten-style glue and its fallback, as the Editor
   * lists Ammo (three asset ids; the scripts get `preload: false`). Both or neither: without them the glue and
   * the fallback are written beside the module, in its folder.
   */
  glueScriptId?: number;
  fallbackScriptId?: number;
  /** For a `font`: the characters it has (glyphs inline in config.json). Default: printable ASCII. */
  characters?: string;
  /**
   * For a `font`: how many atlas pages (`<Face>.png`, `<Face>1.png`, ...); glyphs are spread over them in order.
   * Default 1.
   */
  pages?: number;
  /** For a `textureatlas`: how many frames its PNG holds (a row of squares). Default 4. */
  frames?: number;
  /** For a `sprite`: the id of its `textureatlas` asset. */
  textureAtlas?: number;
  /** For a `cubemap`: the ids of its six face `texture` assets (+x, -x, +y, -y, +z, -z). */
  faces?: number[];
  /** For a `render`: the id of the `container` asset whose mesh it is. */
  container?: number;
  filename: string;
  revision?: number;
  preload?: boolean;
  /** Text content; generated from the asset's name when absent. */
  content?: string;
  /** Unix mode of the asset's file in builds, e.g. 0o100755 (33261). Default 0o100644. */
  mode?: number;
  /**
   * The Editor folder path the asset is in, e.g. 'Scripts/camera rig' (spaces kept). ES module builds place
   * `.mjs` scripts at `js/esm-scripts/<folder>/<filename>`. Default: the project's root folder.
   */
  folder?: string;
}

type Fail = (where: string, problem: string) => never;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Checks one project's assets (each already an object with an integer id); `fail` throws naming the field. */
export function validateAssets(assets: unknown[], at: string, fail: Fail): void {
  const byId = new Map<number, Record<string, unknown>>();
  assets.forEach((a, j) => {
    if (!isObject(a) || !isId(a.id)) return;
    if (byId.has(a.id)) fail(`${at}[${j}].id`, `repeats asset id ${a.id}`);
    byId.set(a.id, a);
  });
  const refersTo = (a: Record<string, unknown>, j: number, field: string, type: AssetType) => {
    const id = a[field];
    if (!isId(id)) fail(`${at}[${j}].${field}`, `must be the id of a ${type} asset of this project`);
    const target = byId.get(id);
    if (target?.type !== type)
      fail(`${at}[${j}].${field}`, `names asset ${id}, which is not a ${type} asset of this project`);
  };
  assets.forEach((value, j) => {
    const a = value as Record<string, unknown>;
    const where = (field: string) => `${at}[${j}].${field}`;
    if (a.type !== undefined && !(ASSET_TYPES as readonly unknown[]).includes(a.type)) {
      fail(where('type'), `must be one of ${ASSET_TYPES.join(', ')}`);
    }
    const glue = a.glueScriptId !== undefined;
    const fallback = a.fallbackScriptId !== undefined;
    if (glue || fallback) {
      if (a.type !== 'wasm') fail(where(glue ? 'glueScriptId' : 'fallbackScriptId'), 'belongs to a wasm asset only');
      if (glue !== fallback)
        fail(
          where(glue ? 'fallbackScriptId' : 'glueScriptId'),
          'must be given too (a module has a glue and a fallback script)',
        );
      refersTo(a, j, 'glueScriptId', 'script');
      refersTo(a, j, 'fallbackScriptId', 'script');
      if (a.glueScriptId === a.fallbackScriptId)
        fail(where('fallbackScriptId'), 'must be another script than the glue');
    }
    if (a.characters !== undefined && (typeof a.characters !== 'string' || a.characters === '')) {
      fail(where('characters'), 'must be a non-empty string');
    }
    if (
      a.pages !== undefined &&
      (!Number.isSafeInteger(a.pages) || (a.pages as number) < 1 || (a.pages as number) > 16)
    ) {
      fail(where('pages'), 'must be an integer from 1 to 16');
    }
    if (
      a.type === 'font' &&
      a.pages !== undefined &&
      [...((a.characters as string | undefined) ?? ' ')].length < (a.pages as number)
    ) {
      fail(where('pages'), 'is more than the font has characters (each page holds at least one glyph)');
    }
    if (
      a.frames !== undefined &&
      (!Number.isSafeInteger(a.frames) || (a.frames as number) < 1 || (a.frames as number) > 64)
    ) {
      fail(where('frames'), 'must be an integer from 1 to 64');
    }
    if (a.type === 'sprite') refersTo(a, j, 'textureAtlas', 'textureatlas');
    if (a.type === 'render') refersTo(a, j, 'container', 'container');
    if (a.type === 'cubemap') {
      if (!Array.isArray(a.faces) || a.faces.length !== 6)
        fail(where('faces'), 'must list the ids of six texture assets');
      (a.faces as unknown[]).forEach((face, k) => {
        if (!isId(face) || byId.get(face)?.type !== 'texture')
          fail(`${where('faces')}[${k}]`, 'must be the id of a texture asset of this project');
      });
    }
  });
}
