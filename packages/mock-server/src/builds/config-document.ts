import type { FixtureAsset } from '../fixture-assets.js';
import { type AssetOutput, TEXTURE_DATA } from './asset-files.js';
import { GENERATED, md5, scriptName, scriptsOf } from './content.js';
import type { BuildSpec } from './spec.js';

/** One asset's record in config.json, before its id, name and the fixed fields are added. */
export interface ConfigAsset {
  asset: FixtureAsset;
  /** `url` as config.json has it (relative to the page, percent-encoded). */
  file: AssetOutput['file'];
  data: unknown;
  preload: boolean;
}

/** A project script's record: its file (its own, or __game-scripts.js when concatenated) and its attributes. */
export function scriptConfigAsset(asset: FixtureAsset, url: string, content: string | Buffer): ConfigAsset {
  const filename = url.endsWith('__game-scripts.js') ? '__game-scripts.js' : asset.filename;
  return {
    asset,
    file: { filename, url, size: Buffer.byteLength(content), hash: md5(content) },
    data: {
      scripts: {
        [scriptName(asset)]: {
          attributesOrder: ['speed'],
          attributes: { speed: { type: 'number', default: 30, title: 'Speed' } },
        },
      },
      loading: false,
      loadingType: 0,
    },
    preload: asset.preload ?? true,
  };
}

/** A non-script asset's record from its build output, its URL under `base` (e.g. `files/assets/`). */
export function outputConfigAsset(asset: FixtureAsset, output: AssetOutput, base: string): ConfigAsset {
  return {
    asset,
    file: output.file && { ...output.file, url: `${base}${output.file.url}` },
    data: output.data,
    preload: output.preload,
  };
}

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
 * The `application_properties` keys that follow the Editor's template rather than the project (editor-builds.md
 * §2.7): a 2.x export has `engineV2`, `editor: {}`, `enableSharedArrayBuffer` (C6, C7; C7 also `vr`, `useModelV2`);
 * a 1.x "Application" export of 2022 has `preferWebGl2`, `useModelV2`, `vr` (C1, C2). None has `engineVersion`:
 * the job says which engine built it.
 */
function templateProperties(bootstrap: 'appbase' | 'application'): Record<string, unknown> {
  return bootstrap === 'application'
    ? { preferWebGl2: true, useModelV2: false, vr: false }
    : { engineV2: true, editor: {}, enableSharedArrayBuffer: false, useModelV2: false, vr: false };
}

/**
 * config.json: application properties, scenes and assets. Every script asset stays listed, also when the
 * scripts are concatenated (then each points at __game-scripts.js). Models have no loadable mock file: not preloaded.
 */
export function configDocument(
  spec: BuildSpec,
  records: ConfigAsset[],
  sceneUrl: (id: number) => string,
  texture: { id: number; generated?: { url: string; content: Buffer } },
  bootstrap: 'appbase' | 'application' = 'appbase',
): Record<string, unknown> {
  const assets: Record<string, unknown> = {};
  for (const { asset, file, data, preload } of records) {
    assets[String(asset.id)] = {
      name: asset.name,
      type: asset.type,
      file,
      data,
      preload,
      revision: asset.revision ?? 1,
      tags: [],
      i18n: {},
      id: String(asset.id),
    };
  }
  if (texture.generated) {
    const { url, content } = texture.generated;
    assets[String(GENERATED.checker)] = {
      name: 'checker.png',
      type: 'texture',
      file: { filename: 'checker.png', size: content.length, hash: md5(content), variants: {}, url },
      data: { ...TEXTURE_DATA },
      preload: true,
      tags: [],
      i18n: {},
      id: String(GENERATED.checker),
    };
  }
  assets[String(GENERATED.plainMaterial)] = {
    ...material('Plain', { diffuse: [0.9, 0.18, 0.12] }),
    id: String(GENERATED.plainMaterial),
  };
  assets[String(GENERATED.texturedMaterial)] = {
    ...material('Textured', { diffuseMap: texture.id, diffuseMapTiling: [4, 4] }),
    id: String(GENERATED.texturedMaterial),
  };
  return {
    application_properties: {
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
      scripts: scriptsOf(spec.project).map((s) => s.id),
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
      ...templateProperties(bootstrap),
    },
    scenes: spec.scenes.map((scene) => ({ name: scene.name, url: sceneUrl(scene.id) })),
    assets,
  };
}
