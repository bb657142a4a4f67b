import { createHash } from 'node:crypto';
import { minify } from 'terser';
import type { FixtureAsset, FixtureProject } from '../fixtures.js';
import { checker, silence } from './media.js';
import type { BuildSpec } from './spec.js';
import { template } from './templates.js';

/** Pieces shared by the build layouts: asset files, script sources, config.json. */

export function assetsOf(project: FixtureProject): FixtureAsset[] {
  return [...(project.assets ?? [])].sort((a, b) => a.id - b.id);
}

export const scriptsOf = (project: FixtureProject) => assetsOf(project).filter((a) => a.type === 'script');

export function assetPath(asset: FixtureAsset): string {
  return `${asset.id}/${asset.revision ?? 1}/${asset.filename}`;
}

/** The name a script asset registers with pc.createScript: its file name without extension, in camelCase. */
export function scriptName(asset: FixtureAsset): string {
  const base = asset.name.replace(/\.[^.]+$/, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase());
  return /^[a-zA-Z_]/.test(base) ? base.charAt(0).toLowerCase() + base.slice(1) : `script${base}`;
}

/** A wasm asset's module name (its global, as in PRELOAD_MODULES): the fixture's, or from its file name. */
export function moduleNameOf(asset: FixtureAsset): string {
  if (asset.moduleName) return asset.moduleName;
  const stem = asset.filename.replace(/\.wasm$/, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase());
  return /^[a-zA-Z_]/.test(stem) ? stem.charAt(0).toUpperCase() + stem.slice(1) : `Module${stem}`;
}

/** A script's source before minification: the fixture's own text, or a script that runs and turns its entity. */
export function scriptSource(asset: FixtureAsset): string {
  if (asset.content !== undefined) return asset.content;
  const name = scriptName(asset);
  return template('script.js', { fileName: asset.filename, scriptName: name, className: name.charAt(0).toUpperCase() + name.slice(1) });
}

/** Minified, and with a source map, as the options say (terser, as the Editor's build does). */
export async function compileScripts(sources: Record<string, string>, file: string, spec: BuildSpec): Promise<{ code: string; map?: string }> {
  if (!spec.minify && !spec.sourcemaps) return { code: Object.values(sources).join('\n\n') };
  const result = await minify(sources, {
    compress: spec.minify,
    mangle: spec.minify,
    format: spec.minify ? {} : { beautify: true, comments: 'all' },
    sourceMap: spec.sourcemaps ? { includeSources: true, filename: file } : false,
  });
  const out: { code: string; map?: string } = { code: result.code ?? '' };
  if (spec.sourcemaps && typeof result.map === 'string') {
    out.code += `\n\n//# sourceMappingURL=${file}.map`;
    out.map = result.map;
  }
  return out;
}

/** Generated material and texture asset ids: above any fixture's. */
export const GENERATED = { plainMaterial: 9_000_001, texturedMaterial: 9_000_002, checker: 9_000_003 } as const;

/** The materials every scene of a build uses. */
export const SCENE_MATERIALS = { plain: GENERATED.plainMaterial, textured: GENERATED.texturedMaterial };

/** A non-script asset's file: the fixture's text, or a small valid file of its type. */
export function assetFile(asset: FixtureAsset): string | Buffer {
  if (asset.content !== undefined) return asset.content;
  switch (asset.type) {
    case 'texture':
      return checker([230, 230, 230], [60, 140, 220]);
    case 'json':
      return JSON.stringify({ asset: asset.name, generatedBy: 'playcanvas-mock-server' });
    case 'css':
      return `/* ${asset.name} */\n.mock-${asset.id} { margin: 0; }\n`;
    case 'html':
      return `<div class="mock-${asset.id}"></div>\n`;
    case 'audio':
      return silence();
    default:
      return `${asset.name}\n`;
  }
}

export const md5 = (content: string | Buffer) => createHash('md5').update(content).digest('hex');

export interface ConfigFile {
  asset: FixtureAsset;
  /** Where the build has the asset's file (for concatenated scripts, __game-scripts.js). */
  url: string;
  content: string | Buffer;
}

/** How every texture of a mock build is sampled. */
const TEXTURE_DATA = {
  addressu: 'repeat',
  addressv: 'repeat',
  minfilter: 'linear_mip_linear',
  magfilter: 'linear',
  anisotropy: 1,
  rgbm: false,
  mipmaps: true,
};

const material = (name: string, extra: Record<string, unknown>) => ({
  name,
  type: 'material',
  file: null,
  data: {
    shader: 'blinn',
    ambient: [1, 1, 1],
    diffuse: [1, 1, 1],
    diffuseMap: null,
    diffuseMapTiling: [1, 1],
    specular: [0.2, 0.2, 0.2],
    shininess: 40,
    opacity: 1,
    ...extra,
  },
  preload: true,
  tags: [],
  i18n: {},
});

/**
 * config.json: application properties, scenes and assets. Every script asset stays listed, also when the
 * scripts are concatenated (then each points at __game-scripts.js). Models have no loadable mock file: not preloaded.
 */
export function configDocument(
  spec: BuildSpec,
  files: ConfigFile[],
  sceneUrl: (id: number) => string,
  texture: { id: number; generated?: { url: string; content: Buffer } },
): Record<string, unknown> {
  const assets: Record<string, unknown> = {};
  for (const { asset, url, content } of files) {
    assets[String(asset.id)] = {
      name: asset.name,
      type: asset.type,
      file: {
        filename: url.endsWith('__game-scripts.js') ? '__game-scripts.js' : asset.filename,
        size: Buffer.byteLength(content),
        hash: md5(content),
        url,
      },
      data:
        asset.type === 'script'
          ? {
              scripts: {
                [scriptName(asset)]: { attributesOrder: ['speed'], attributes: { speed: { type: 'number', default: 30, title: 'Speed' } } },
              },
              loading: false,
              loadingType: 0,
            }
          : asset.type === 'wasm'
            ? { moduleName: moduleNameOf(asset), loadingType: 0 }
            : asset.type === 'texture'
              ? { ...TEXTURE_DATA }
              : {},
      preload: asset.type !== 'model' && asset.type !== 'wasm' && (asset.preload ?? true),
      revision: asset.revision ?? 1,
      tags: [],
      i18n: {},
      id: String(asset.id),
    };
  }
  if (texture.generated) {
    assets[String(GENERATED.checker)] = {
      name: 'checker.png',
      type: 'texture',
      file: { filename: 'checker.png', size: texture.generated.content.length, hash: md5(texture.generated.content), url: texture.generated.url },
      data: { ...TEXTURE_DATA },
      preload: true,
      tags: [],
      i18n: {},
      id: String(GENERATED.checker),
    };
  }
  assets[String(GENERATED.plainMaterial)] = { ...material('Plain', { diffuse: [0.9, 0.18, 0.12] }), id: String(GENERATED.plainMaterial) };
  assets[String(GENERATED.texturedMaterial)] = {
    ...material('Textured', { diffuseMap: texture.id, diffuseMapTiling: [4, 4] }),
    id: String(GENERATED.texturedMaterial),
  };
  const scripts = scriptsOf(spec.project).map((s) => s.id);
  return {
    application_properties: {
      name: spec.name,
      version: spec.version ?? '',
      width: 1280,
      height: 720,
      fillMode: 'FILL_WINDOW',
      resolutionMode: 'AUTO',
      useDevicePixelRatio: false,
      antiAlias: true,
      transparentCanvas: false,
      preserveDrawingBuffer: false,
      powerPreference: 'default',
      useKeyboard: true,
      useMouse: true,
      useTouch: true,
      useGamepads: false,
      useLegacyScripts: false,
      use3dPhysics: false,
      maxAssetRetries: 5,
      scripts,
      libraries: [],
      externalScripts: [],
      i18nAssets: [],
      batchGroups: [],
      layers: {
        0: { name: 'World', opaqueSortMode: 2, transparentSortMode: 3 },
        1: { name: 'Depth', opaqueSortMode: 2, transparentSortMode: 3 },
        2: { name: 'Skybox', opaqueSortMode: 0, transparentSortMode: 3 },
        3: { name: 'Immediate', opaqueSortMode: 0, transparentSortMode: 3 },
        4: { name: 'UI', opaqueSortMode: 1, transparentSortMode: 1 },
      },
      layerOrder: [
        { layer: 0, enabled: true, transparent: false },
        { layer: 1, enabled: true, transparent: false },
        { layer: 2, enabled: true, transparent: false },
        { layer: 0, enabled: true, transparent: true },
        { layer: 3, enabled: true, transparent: false },
        { layer: 3, enabled: true, transparent: true },
        { layer: 4, enabled: true, transparent: true },
      ],
      loadingScreenScript: null,
      engineV2: true,
      engineVersion: spec.engineVersion,
    },
    scenes: spec.scenes.map((scene) => ({ name: scene.name, url: sceneUrl(scene.id) })),
    assets,
  };
}

export function manifestDocument(spec: BuildSpec, iconPrefix = 'thumbs/'): string {
  return JSON.stringify({
    short_name: spec.name.slice(0, 12),
    name: spec.name,
    start_url: '',
    display: 'fullscreen',
    icons: [180, 360, 540, 720].map((s) => ({ src: `${iconPrefix}${s}.jpg`, sizes: `${s}x${s}`, type: 'image/jpeg' })),
  });
}
