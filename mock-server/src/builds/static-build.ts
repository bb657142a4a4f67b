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
import { engineBytes } from './engine.js';
import { ADD_MODULE, checker, LOGO } from './media.js';
import { compressScene, sceneDocument } from './scene.js';
import type { BuildEntry, BuildSpec } from './spec.js';
import { escapeHtml, template } from './templates.js';

/**
 * The classic `static` download, in the layout the Editor exports and the official post-processing scripts
 * patch: the real engine (playcanvas-stable.min.js), index.html with its script tags, __settings__.js,
 * __start__.js, __modules__.js, __loading__.js, config.json, a scene file per scene, files/assets/... It boots.
 */
export async function staticBuildEntries(spec: BuildSpec): Promise<BuildEntry[]> {
  const scripts = scriptsOf(spec.project);
  const entries: BuildEntry[] = [];
  const configFiles: ConfigFile[] = [];
  if (spec.concatenate && scripts.length > 0) {
    const sources = Object.fromEntries(scripts.map((s) => [`Scripts/${s.filename}`, scriptSource(s)]));
    const { code, map } = await compileScripts(sources, '__game-scripts.js', spec);
    entries.push({ name: '__game-scripts.js', content: code });
    if (map) entries.push({ name: '__game-scripts.js.map', content: map });
    for (const s of scripts) configFiles.push({ asset: s, url: '__game-scripts.js', content: code });
  } else {
    for (const s of scripts) {
      const name = `files/assets/${assetPath(s)}`;
      const { code, map } = await compileScripts({ [`Scripts/${s.filename}`]: scriptSource(s) }, s.filename, spec);
      entries.push({ name, content: code, mode: s.mode });
      if (map) entries.push({ name: `${name}.map`, content: map });
      configFiles.push({ asset: s, url: name, content: code });
    }
  }
  const modules: string[] = [];
  for (const asset of assetsOf(spec.project)) {
    if (asset.type === 'script') continue;
    if (asset.type === 'wasm') {
      const module = wasmModule(asset);
      entries.push(...module.entries);
      configFiles.push({ asset, url: module.wasmUrl, content: module.bytes });
      modules.push(module.preload);
      continue;
    }
    const name = `files/assets/${assetPath(asset)}`;
    const content = assetFile(asset);
    entries.push({ name, content, mode: asset.mode });
    configFiles.push({ asset, url: name, content });
  }
  const firstTexture = assetsOf(spec.project).find((a) => a.type === 'texture');
  const generated = firstTexture
    ? undefined
    : { url: `files/assets/${GENERATED.checker}/1/checker.png`, content: checker([230, 230, 230], [60, 140, 220]) };
  if (generated) entries.push({ name: generated.url, content: generated.content });
  const texture = generated ? { id: GENERATED.checker, generated } : { id: (firstTexture as { id: number }).id };
  const names = scripts.map(scriptName);
  for (const scene of spec.scenes) {
    const doc = sceneDocument(scene, names, SCENE_MATERIALS, spec.date);
    entries.push({ name: `${scene.id}.json`, content: JSON.stringify(spec.optimizeSceneFormat ? compressScene(doc) : doc) });
  }
  entries.push(
    { name: 'config.json', content: JSON.stringify(configDocument(spec, configFiles, (id) => `${id}.json`, texture)) },
    {
      name: 'index.html',
      content: template('index.html', {
        title: escapeHtml(spec.name),
        modulesTag: modules.length > 0 ? '    <script src="__modules__.js"></script>\n' : '',
      }),
    },
    {
      name: '__settings__.js',
      content: template('__settings__.js', {
        scenePath: spec.scenes[0] ? `${spec.scenes[0].id}.json` : '',
        scripts: scripts.map((s) => s.id).join(', '),
        preloadModules: modules.join(''),
      }),
    },
    { name: '__start__.js', content: template('__start__.js') },
    { name: '__modules__.js', content: template('__modules__.js') },
    { name: '__loading__.js', content: template('__loading__.js') },
    { name: 'styles.css', content: template('styles.css') },
    { name: 'manifest.json', content: manifestDocument(spec) },
    { name: 'logo.png', content: LOGO },
    { name: 'playcanvas-stable.min.js', content: engineBytes() },
  );
  if (spec.preloadBundle) {
    const preloaded = assetsOf(spec.project)
      .filter((a) => a.preload !== false)
      .map((a) => a.id);
    entries.push({ name: 'preload.json', content: JSON.stringify({ assets: preloaded }) });
  }
  return entries;
}

/**
 * A WebAssembly module as the Editor exports one (Ammo, Basis, Draco): the module, an Emscripten-style glue
 * script and an asm.js-style fallback beside it, and its line in PRELOAD_MODULES.
 */
function wasmModule(asset: FixtureAsset): { entries: BuildEntry[]; wasmUrl: string; bytes: string | Buffer; preload: string } {
  const folder = `files/assets/${asset.id}/${asset.revision ?? 1}`;
  const stem = asset.filename.replace(/\.wasm$/, '');
  const moduleName = moduleNameOf(asset);
  const wasmUrl = `${folder}/${asset.filename}`;
  const glueUrl = `${folder}/${stem}.wasm.js`;
  const fallbackUrl = `${folder}/${stem}.js`;
  const bytes = asset.content ?? ADD_MODULE;
  return {
    bytes,
    entries: [
      { name: wasmUrl, content: bytes },
      { name: glueUrl, content: template('wasm-glue.js', { moduleName, wasmFile: asset.filename }) },
      { name: fallbackUrl, content: template('wasm-fallback.js', { moduleName }) },
    ],
    wasmUrl,
    preload: `    {'moduleName' : '${moduleName}', 'glueUrl' : '${glueUrl}', 'wasmUrl' : '${wasmUrl}', 'fallbackUrl' : '${fallbackUrl}', 'preload' : true},\n`,
  };
}
