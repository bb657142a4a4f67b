import type { FixtureAsset } from '../fixture-assets.js';
import type { FixtureProject } from '../fixtures.js';
import { assetFile, md5, moduleNameOf, moduleScripts } from './content.js';
import { fontData, pageFileNames } from './font-data.js';
import { animatedGlb } from './glb.js';
import { ADD_MODULE, ddsCubemap, fontPage, frameStrip, prefilteredSky, rgbmFace } from './media.js';
import { template } from './templates.js';

/** How every texture of a mock build is sampled. */
export const TEXTURE_DATA = {
  addressu: 'repeat',
  addressv: 'repeat',
  minfilter: 'linear_mip_linear',
  magfilter: 'linear',
  anisotropy: 1,
  rgbm: false,
  mipmaps: true,
};

export interface AssetFile {
  /** Under the build's assets folder, raw: `<id>/<revision>/<file name>`, as the zip entry is named. */
  path: string;
  content: string | Buffer;
}

/** What one non-script asset puts in a build: its files, and its config.json record's `file`, `data`, `preload`. */
export interface AssetOutput {
  files: AssetFile[];
  /**
   * `url` is percent-encoded and relative to the assets folder, as config.json has it; null for an asset without a
   * file.
   */
  file: { filename: string; url: string; size: number; hash: string; variants?: Record<string, never> } | null;
  data: unknown;
  preload: boolean;
}

/** The asset's folder under the assets folder: `<id>/<revision>`. */
export const folderOf = (asset: FixtureAsset) => `${asset.id}/${asset.revision ?? 1}`;

/**
 * A file name as config.json's `file.url` has it: percent-encoded (spaces, `|`, commas, non-ASCII; parentheses stay).
 */
export const encodeName = (name: string) => encodeURIComponent(name);

function fileOf(asset: FixtureAsset, filename: string, content: string | Buffer, texture = false): AssetOutput['file'] {
  return {
    filename,
    url: `${folderOf(asset)}/${encodeName(filename)}`,
    size: Buffer.byteLength(content),
    hash: md5(content),
    ...(texture ? { variants: {} } : {}),
  };
}

/** One file named after the asset, `data` as given. */
function single(
  asset: FixtureAsset,
  content: string | Buffer,
  data: unknown,
  preload: boolean,
  texture = false,
): AssetOutput {
  return {
    files: [{ path: `${folderOf(asset)}/${asset.filename}`, content }],
    file: fileOf(asset, asset.filename, content, texture),
    data,
    preload,
  };
}

/** The glue or fallback of a module listed as three assets: a script asset of its own, not preloaded. */
function moduleScript(asset: FixtureAsset, role: 'glue' | 'fallback', module: FixtureAsset): AssetOutput {
  const moduleName = moduleNameOf(module);
  const content =
    asset.content ??
    (role === 'glue'
      ? template('wasm-glue.js', { moduleName, wasmFile: module.filename })
      : template('wasm-fallback.js', { moduleName }));
  return single(asset, content, { order: 100, scripts: {}, loadingType: 0, loading: false }, false);
}

/**
 * A non-script asset (or a module's glue or fallback script) as the Editor exports it (editor-builds.md §2.7): fonts
 * as PNG atlas pages with the glyphs inline, texture atlases with their frames inline, sprites and render
 * assets without a file, cubemaps with their prefiltered PNG, GLB containers and animations.
 */
export function assetOutput(
  asset: FixtureAsset,
  project: FixtureProject,
  options: { legacyEngine?: boolean } = {},
): AssetOutput {
  const preload = asset.preload ?? true;
  const role = moduleScripts(project).get(asset.id);
  if (role) return moduleScript(asset, role.role, role.module);
  switch (asset.type) {
    case 'font': {
      const pages = pageFileNames(asset);
      const files = pages.map((name) => ({ path: `${folderOf(asset)}/${name}`, content: asset.content ?? fontPage() }));
      return {
        files,
        file: fileOf(asset, pages[0] as string, (files[0] as AssetFile).content),
        data: fontData(asset),
        preload,
      };
    }
    case 'textureatlas': {
      const frames = asset.frames ?? 4;
      const rects = Object.fromEntries(
        Array.from({ length: frames }, (_, i) => [
          String(i + 1),
          { name: `Frame ${i + 1}`, rect: [i * 32, 0, 32, 32], pivot: [0.5, 0.5], border: [0, 0, 0, 0] },
        ]),
      );
      return single(asset, asset.content ?? frameStrip(frames), { ...TEXTURE_DATA, frames: rects }, preload, true);
    }
    case 'sprite':
      return {
        files: [],
        file: null,
        data: { pixelsPerUnit: 32, frameKeys: ['1'], textureAtlasAsset: asset.textureAtlas, renderMode: 0 },
        preload,
      };
    case 'render':
      return { files: [], file: null, data: { containerAsset: asset.container, renderIndex: 0 }, preload };
    case 'cubemap': {
      const data = { name: asset.name, textures: asset.faces, minFilter: 5, magFilter: 1, anisotropy: 1, rgbm: true };
      if (!options.legacyEngine) return single(asset, asset.content ?? prefilteredSky(), data, preload);
      // engine 1.x exports (2022) carry the prefiltered cubemap as `<name>.dds`, not a PNG atlas
      const dds = { ...asset, filename: asset.filename.replace(/(\.[^.]*)?$/, '.dds') };
      return single(dds, asset.content ?? ddsCubemap(), data, preload);
    }
    case 'container':
      return single(asset, asset.content ?? animatedGlb(asset.name.replace(/\.glb$/i, '')), {}, preload);
    case 'animation':
      return single(asset, asset.content ?? animatedGlb(asset.name.replace(/\.glb$/i, ''), false), null, preload);
    case 'texture': {
      const face = cubemapFace(asset, project);
      if (face === undefined) return single(asset, assetFile(asset), { ...TEXTURE_DATA }, preload, true);
      return single(
        asset,
        asset.content ?? rgbmFace(FACE_COLOURS[face] as [number, number, number]),
        { ...TEXTURE_DATA, rgbm: true },
        preload,
        true,
      );
    }
    case 'audio':
      return single(asset, assetFile(asset), null, preload);
    case 'wasm':
      return wasmOutput(asset);
    case 'model':
      return single(asset, assetFile(asset), {}, false);
    default:
      return single(asset, assetFile(asset), {}, preload);
  }
}

/** Sky colours of the six cubemap faces (+x, -x, +y, -y, +z, -z): lighter above, earthy below. */
const FACE_COLOURS = [
  [110, 150, 210],
  [100, 140, 200],
  [150, 190, 240],
  [90, 80, 70],
  [120, 160, 220],
  [105, 145, 205],
];

/** The texture the scenes' floor shows: the project's first texture that is not a cubemap face. */
export function floorTextureOf(project: FixtureProject): FixtureAsset | undefined {
  return [...(project.assets ?? [])]
    .sort((a, b) => a.id - b.id)
    .find((a) => a.type === 'texture' && cubemapFace(a, project) === undefined);
}

/** Which face of a cubemap of the project a texture is (0 to 5), if it is one. */
function cubemapFace(asset: FixtureAsset, project: FixtureProject): number | undefined {
  for (const a of project.assets ?? []) {
    const at = a.type === 'cubemap' ? (a.faces ?? []).indexOf(asset.id) : -1;
    if (at >= 0) return at;
  }
  return undefined;
}

/** The module file; in the short form (no glue/fallback script ids), also the glue and fallback beside it. */
function wasmOutput(asset: FixtureAsset): AssetOutput {
  const bytes = asset.content ?? ADD_MODULE;
  const moduleName = moduleNameOf(asset);
  if (asset.glueScriptId !== undefined && asset.fallbackScriptId !== undefined) {
    const data = {
      moduleName,
      glueScriptId: asset.glueScriptId,
      fallbackScriptId: asset.fallbackScriptId,
      loadingType: 0,
    };
    return single(asset, bytes, data, false);
  }
  const { glue, fallback } = shortFormNames(asset);
  const out = single(asset, bytes, { moduleName, loadingType: 0 }, false);
  out.files.push(
    { path: `${folderOf(asset)}/${glue}`, content: template('wasm-glue.js', { moduleName, wasmFile: asset.filename }) },
    { path: `${folderOf(asset)}/${fallback}`, content: template('wasm-fallback.js', { moduleName }) },
  );
  return out;
}

function shortFormNames(asset: FixtureAsset): { glue: string; fallback: string } {
  const stem = asset.filename.replace(/\.wasm$/, '');
  return { glue: `${stem}.wasm.js`, fallback: `${stem}.js` };
}

/** A WebAssembly module as PRELOAD_MODULES lists it. */
export interface PreloadModule {
  moduleName: string;
  glueUrl: string;
  wasmUrl: string;
  fallbackUrl: string;
  preload: boolean;
}

/**
 * The project's wasm assets as PRELOAD_MODULES lists them, with URLs under `base` (e.g. `files/assets/`),
 * percent-encoded.
 */
export function preloadModules(project: FixtureProject, base: string): PreloadModule[] {
  const byId = new Map((project.assets ?? []).map((a) => [a.id, a]));
  const urlOf = (a: FixtureAsset, name = a.filename) => `${base}${folderOf(a)}/${encodeName(name)}`;
  return [...(project.assets ?? [])]
    .filter((a) => a.type === 'wasm')
    .sort((a, b) => a.id - b.id)
    .map((a) => {
      const glueAsset = a.glueScriptId === undefined ? undefined : byId.get(a.glueScriptId);
      const fallbackAsset = a.fallbackScriptId === undefined ? undefined : byId.get(a.fallbackScriptId);
      const { glue, fallback } = shortFormNames(a);
      return {
        moduleName: moduleNameOf(a),
        glueUrl: glueAsset ? urlOf(glueAsset) : urlOf(a, glue),
        wasmUrl: urlOf(a),
        fallbackUrl: fallbackAsset ? urlOf(fallbackAsset) : urlOf(a, fallback),
        preload: a.preload ?? true,
      };
    });
}

/**
 * The project's line in PRELOAD_MODULES for each wasm asset, as real classic builds print it (one line each,
 * single-quoted keys, spaces around `:`, a trailing comma).
 */
export function preloadModuleLines(project: FixtureProject, base: string): string[] {
  return preloadModules(project, base).map((m) => {
    const urls = `'glueUrl' : '${m.glueUrl}', 'wasmUrl' : '${m.wasmUrl}', 'fallbackUrl' : '${m.fallbackUrl}'`;
    return `    {'moduleName' : '${m.moduleName}', ${urls}, 'preload' : ${m.preload}},\n`;
  });
}
