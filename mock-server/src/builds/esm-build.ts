import type { FixtureAsset } from '../fixtures.js';
import {
  assetFile,
  assetPath,
  assetsOf,
  type ConfigFile,
  compileScripts,
  configDocument,
  GENERATED,
  manifestDocument,
  moduleNameOf,
  SCENE_MATERIALS,
  scriptName,
  scriptSource,
  scriptsOf,
} from './content.js';
import { engineModuleBytes } from './engine.js';
import { bundleEsmBuild } from './esm-bundle.js';
import { esmBootstrap, esmIndexHtml, esmLoadingScreen, esmModulesLoader, esmSettings, type PreloadModule } from './esm-files.js';
import { esmScriptPath, esmScriptUrl, isModuleScript, moduleScriptSource } from './esm-scripts.js';
import { ADD_MODULE, checker, LOGO } from './media.js';
import { compressScene, sceneDocument } from './scene.js';
import type { BuildEntry, BuildSpec } from './spec.js';
import { template } from './templates.js';

/** A project with any `.mjs` script is exported as an ES module build, as the Editor does. */
export const hasModuleScripts = (spec: BuildSpec) => scriptsOf(spec.project).some(isModuleScript);

/**
 * The ES module `static` download (editor-builds.md §3, §4): index.html with an inline import map and one module
 * script, `js/index.mjs` and the `js/__*.mjs` files, the engine as `js/playcanvas-stable.min.mjs`, the `.mjs`
 * scripts under `js/esm-scripts/<Editor folder>/`; concatenated, `js/index.mjs` is one bundle and the scripts
 * are its `js/esm.mjs` chunk. Classic scripts of a mixed project stay where a classic build has them.
 */
export async function esmBuildEntries(spec: BuildSpec): Promise<BuildEntry[]> {
  const scripts = scriptsOf(spec.project);
  const moduleScripts = scripts.filter(isModuleScript);
  const classic = scripts.filter((s) => !isModuleScript(s));
  const entries: BuildEntry[] = [];
  const configFiles: ConfigFile[] = [];
  const classicPart = await classicScripts(spec, classic);
  entries.push(...classicPart.entries);
  configFiles.push(...classicPart.configFiles);
  const sources = new Map(moduleScripts.map((s) => [esmScriptPath(s), moduleScriptSource(s)]));
  for (const s of moduleScripts) configFiles.push({ asset: s, url: esmScriptUrl(s), content: sources.get(esmScriptPath(s)) as string });
  const assets = projectAssets(spec);
  entries.push(...assets.entries);
  configFiles.push(...assets.configFiles);
  const js = new Map<string, string | Buffer>([
    ['index.mjs', esmBootstrap(classic.length > 0, spec.concatenate ? 'pc' : undefined)],
    ['__settings__.mjs', esmSettings(spec, scripts.map((s) => s.id), assets.modules)],
    ['__modules__.mjs', esmModulesLoader()],
    ['__loading__.mjs', esmLoadingScreen()],
    ['playcanvas-stable.min.mjs', engineModuleBytes()],
    ...sources,
  ]);
  if (spec.concatenate) {
    const text = new Map([...js].map(([path, content]) => [path, content.toString()]));
    const bundled = await bundleEsmBuild(text, [...sources.keys()]);
    entries.push({ name: 'js/index.mjs', content: bundled.index }, { name: 'js/esm.mjs', content: bundled.esm });
  } else {
    for (const [path, content] of js) entries.push({ name: `js/${path}`, content });
  }
  const names = scripts.map(scriptName);
  for (const scene of spec.scenes) {
    const doc = sceneDocument(scene, names, SCENE_MATERIALS, spec.date);
    entries.push({ name: `${scene.id}.json`, content: JSON.stringify(spec.optimizeSceneFormat ? compressScene(doc) : doc) });
  }
  const config = configDocument(spec, configFiles, (id) => `${id}.json`, assets.texture);
  const records = config.assets as Record<string, { data: object } | undefined>;
  for (const s of moduleScripts) Object.assign(records[String(s.id)]?.data ?? {}, { order: 100 });
  Object.assign(config.application_properties as object, { importMap: null });
  entries.push(
    { name: 'config.json', content: JSON.stringify(config) },
    { name: 'index.html', content: esmIndexHtml(spec, spec.concatenate) },
    { name: 'styles.css', content: template('styles.css') },
    { name: 'manifest.json', content: manifestDocument(spec) },
    { name: 'logo.png', content: LOGO },
  );
  return entries;
}

/** Classic scripts: each at files/assets/<id>/<revision>/, or all in __game-scripts.js when concatenated. */
async function classicScripts(spec: BuildSpec, scripts: FixtureAsset[]): Promise<{ entries: BuildEntry[]; configFiles: ConfigFile[] }> {
  const entries: BuildEntry[] = [];
  const configFiles: ConfigFile[] = [];
  if (scripts.length === 0) return { entries, configFiles };
  if (spec.concatenate) {
    const sources = Object.fromEntries(scripts.map((s) => [`Scripts/${s.filename}`, scriptSource(s)]));
    const { code, map } = await compileScripts(sources, '__game-scripts.js', spec);
    entries.push({ name: '__game-scripts.js', content: code });
    if (map) entries.push({ name: '__game-scripts.js.map', content: map });
    for (const s of scripts) configFiles.push({ asset: s, url: '__game-scripts.js', content: code });
    return { entries, configFiles };
  }
  for (const s of scripts) {
    const name = `files/assets/${assetPath(s)}`;
    const { code, map } = await compileScripts({ [`Scripts/${s.filename}`]: scriptSource(s) }, s.filename, spec);
    entries.push({ name, content: code, mode: s.mode });
    if (map) entries.push({ name: `${name}.map`, content: map });
    configFiles.push({ asset: s, url: name, content: code });
  }
  return { entries, configFiles };
}

interface AssetPart {
  entries: BuildEntry[];
  configFiles: ConfigFile[];
  modules: PreloadModule[];
  texture: { id: number; generated?: { url: string; content: Buffer } };
}

/** The project's other assets, as the classic build has them (files/assets/…), and its WebAssembly modules. */
function projectAssets(spec: BuildSpec): AssetPart {
  const part: AssetPart = { entries: [], configFiles: [], modules: [], texture: { id: GENERATED.checker } };
  for (const asset of assetsOf(spec.project)) {
    if (asset.type === 'script') continue;
    if (asset.type === 'wasm') {
      const folder = `files/assets/${asset.id}/${asset.revision ?? 1}`;
      const stem = asset.filename.replace(/\.wasm$/, '');
      const moduleName = moduleNameOf(asset);
      const module = { moduleName, glueUrl: `${folder}/${stem}.wasm.js`, wasmUrl: `${folder}/${asset.filename}`, fallbackUrl: `${folder}/${stem}.js` };
      const bytes = asset.content ?? ADD_MODULE;
      part.entries.push(
        { name: module.wasmUrl, content: bytes },
        { name: module.glueUrl, content: template('wasm-glue.js', { moduleName, wasmFile: asset.filename }) },
        { name: module.fallbackUrl, content: template('wasm-fallback.js', { moduleName }) },
      );
      part.configFiles.push({ asset, url: module.wasmUrl, content: bytes });
      part.modules.push(module);
      continue;
    }
    const name = `files/assets/${assetPath(asset)}`;
    const content = assetFile(asset);
    part.entries.push({ name, content, mode: asset.mode });
    part.configFiles.push({ asset, url: name, content });
  }
  const firstTexture = assetsOf(spec.project).find((a) => a.type === 'texture');
  if (firstTexture) part.texture = { id: firstTexture.id };
  else {
    const generated = { url: `files/assets/${GENERATED.checker}/1/checker.png`, content: checker([230, 230, 230], [60, 140, 220]) };
    part.entries.push({ name: generated.url, content: generated.content });
    part.texture = { id: GENERATED.checker, generated };
  }
  return part;
}
