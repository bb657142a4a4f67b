import type { FixtureAsset } from '../fixture-assets.js';
import { assetOutput, floorTextureOf } from './asset-files.js';
import { type ConfigAsset, outputConfigAsset, scriptConfigAsset } from './config-document.js';
import { assetsOf, compileScripts, GENERATED, SCENE_MATERIALS, scriptSource } from './content.js';
import { checker } from './media.js';
import { compressScene, sceneDocument } from './scene.js';
import type { BuildEntry, BuildSpec } from './spec.js';

/** Parts a static build is made of whatever its bootstrap: classic scripts, the other assets, the scenes. */

export const ASSETS = 'files/assets/';

export interface BuildPart {
  entries: BuildEntry[];
  records: ConfigAsset[];
}

/**
 * Classic scripts: each its original source at files/assets/<id>/<revision>/ (the Editor minifies only
 * concatenated output), or all in __game-scripts.js when concatenated.
 */
export async function classicScriptPart(spec: BuildSpec, scripts: FixtureAsset[]): Promise<BuildPart> {
  const part: BuildPart = { entries: [], records: [] };
  if (scripts.length === 0) return part;
  if (spec.concatenate) {
    const sources = Object.fromEntries(scripts.map((s) => [`Scripts/${s.filename}`, scriptSource(s)]));
    const { code, map } = await compileScripts(sources, '__game-scripts.js', spec);
    part.entries.push({ name: '__game-scripts.js', content: code });
    if (map) part.entries.push({ name: '__game-scripts.js.map', content: map });
    for (const s of scripts) part.records.push(scriptConfigAsset(s, '__game-scripts.js', code));
    return part;
  }
  for (const s of scripts) {
    const folder = `${ASSETS}${s.id}/${s.revision ?? 1}/`;
    const code = scriptSource(s);
    part.entries.push({ name: `${folder}${s.filename}`, content: code, mode: s.mode });
    part.records.push(scriptConfigAsset(s, `${folder}${encodeURIComponent(s.filename)}`, code));
  }
  return part;
}

/** Every asset but the project's own scripts, under files/assets/; and the texture the scenes' floor shows. */
export function assetPart(
  spec: BuildSpec,
  userScripts: ReadonlySet<number>,
  legacyEngine = false,
): BuildPart & { texture: { id: number; generated?: { url: string; content: Buffer } } } {
  const part: BuildPart = { entries: [], records: [] };
  for (const asset of assetsOf(spec.project)) {
    if (userScripts.has(asset.id)) continue;
    const output = assetOutput(asset, spec.project, { legacyEngine });
    for (const file of output.files)
      part.entries.push({ name: `${ASSETS}${file.path}`, content: file.content, mode: asset.mode });
    part.records.push(outputConfigAsset(asset, output, ASSETS));
  }
  const floor = floorTextureOf(spec.project);
  if (floor) return { ...part, texture: { id: floor.id } };
  const generated = {
    url: `${ASSETS}${GENERATED.checker}/1/checker.png`,
    content: checker([230, 230, 230], [60, 140, 220]),
  };
  part.entries.push({ name: generated.url, content: generated.content });
  return { ...part, texture: { id: GENERATED.checker, generated } };
}

/** `<sceneId>.json` for each scene of the build, its entities carrying the scripts named. */
export function sceneEntries(spec: BuildSpec, scriptNames: string[]): BuildEntry[] {
  return spec.scenes.map((scene) => {
    const doc = sceneDocument(scene, scriptNames, SCENE_MATERIALS, spec.date, assetsOf(spec.project));
    return { name: `${scene.id}.json`, content: JSON.stringify(spec.optimizeSceneFormat ? compressScene(doc) : doc) };
  });
}
