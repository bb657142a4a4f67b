import { assetOutput, floorTextureOf } from './asset-files.js';
import { type ConfigAsset, configDocument, outputConfigAsset, scriptConfigAsset } from './config-document.js';
import { assetsOf, compileScripts, GENERATED, manifestDocument, SCENE_MATERIALS, scriptName, scriptSource, scriptsOf } from './content.js';
import { engineBytes, LEGACY_ENGINE_VERSION, legacyEngineBytes } from './engine.js';
import { checker, LOGO } from './media.js';
import { compressScene, sceneDocument } from './scene.js';
import type { BuildEntry, BuildSpec } from './spec.js';
import { classicBootstrapEntries } from './static-bootstrap.js';

const ASSETS = 'files/assets/';

/**
 * The classic `static` download, in the layout the Editor exports and the official post-processing scripts
 * patch: the real engine (playcanvas-stable.min.js), index.html with its script tags, __settings__.js,
 * __start__.js, __modules__.js, __loading__.js, config.json, a scene file per scene, files/assets/... It boots.
 * With the legacy engine (1.x), the bootstrap is the old "Application" one of 2022 exports.
 */
export async function staticBuildEntries(spec: BuildSpec): Promise<BuildEntry[]> {
  const bootstrap = spec.engineVersion === LEGACY_ENGINE_VERSION ? 'application' : 'appbase';
  const scripts = scriptsOf(spec.project);
  const entries: BuildEntry[] = [];
  const records: ConfigAsset[] = [];
  if (spec.concatenate && scripts.length > 0) {
    const sources = Object.fromEntries(scripts.map((s) => [`Scripts/${s.filename}`, scriptSource(s)]));
    const { code, map } = await compileScripts(sources, '__game-scripts.js', spec);
    entries.push({ name: '__game-scripts.js', content: code });
    if (map) entries.push({ name: '__game-scripts.js.map', content: map });
    for (const s of scripts) records.push(scriptConfigAsset(s, '__game-scripts.js', code));
  } else {
    // separate scripts are the original source, as in real builds: the Editor minifies only concatenated output
    for (const s of scripts) {
      const folder = `${ASSETS}${s.id}/${s.revision ?? 1}/`;
      const code = scriptSource(s);
      entries.push({ name: `${folder}${s.filename}`, content: code, mode: s.mode });
      records.push(scriptConfigAsset(s, `${folder}${encodeURIComponent(s.filename)}`, code));
    }
  }
  const userScripts = new Set(scripts.map((s) => s.id));
  for (const asset of assetsOf(spec.project)) {
    if (userScripts.has(asset.id)) continue;
    const output = assetOutput(asset, spec.project, { legacyEngine: bootstrap === 'application' });
    for (const file of output.files) entries.push({ name: `${ASSETS}${file.path}`, content: file.content, mode: asset.mode });
    records.push(outputConfigAsset(asset, output, ASSETS));
  }
  const firstTexture = floorTextureOf(spec.project);
  const generated = firstTexture
    ? undefined
    : { url: `${ASSETS}${GENERATED.checker}/1/checker.png`, content: checker([230, 230, 230], [60, 140, 220]) };
  if (generated) entries.push({ name: generated.url, content: generated.content });
  const texture = generated ? { id: GENERATED.checker, generated } : { id: (firstTexture as { id: number }).id };
  for (const scene of spec.scenes) {
    const doc = sceneDocument(scene, scripts.map(scriptName), SCENE_MATERIALS, spec.date, assetsOf(spec.project));
    entries.push({ name: `${scene.id}.json`, content: JSON.stringify(spec.optimizeSceneFormat ? compressScene(doc) : doc) });
  }
  entries.push(
    { name: 'config.json', content: JSON.stringify(configDocument(spec, records, (id) => `${id}.json`, texture, bootstrap)) },
    ...classicBootstrapEntries(spec, bootstrap, ASSETS),
    { name: 'manifest.json', content: manifestDocument(spec) },
    { name: 'logo.png', content: LOGO },
    { name: 'playcanvas-stable.min.js', content: bootstrap === 'application' ? legacyEngineBytes() : engineBytes() },
  );
  if (spec.preloadBundle) {
    const preloaded = assetsOf(spec.project)
      .filter((a) => a.preload !== false)
      .map((a) => a.id);
    entries.push({ name: 'preload.json', content: JSON.stringify({ assets: preloaded }) });
  }
  return entries;
}
