import { ASSETS, assetPart, classicScriptPart, sceneEntries } from './build-parts.js';
import { configDocument } from './config-document.js';
import { assetsOf, manifestDocument, scriptName, scriptsOf } from './content.js';
import { engineBytes, LEGACY_ENGINE_VERSION, legacyEngineBytes } from './engine.js';
import { LOGO } from './media.js';
import type { BuildEntry, BuildSpec } from './spec.js';
import { classicBootstrapEntries } from './static-bootstrap.js';

/**
 * The classic `static` download, in the layout the Editor exports and the official post-processing scripts
 * patch: the real engine (playcanvas-stable.min.js), index.html with its script tags, __settings__.js,
 * __start__.js, __modules__.js, __loading__.js, config.json, a scene file per scene, files/assets/... It boots.
 * With the legacy engine (1.x), the bootstrap is the old "Application" one of 2022 exports.
 */
export async function staticBuildEntries(spec: BuildSpec): Promise<BuildEntry[]> {
  const bootstrap = spec.engineVersion === LEGACY_ENGINE_VERSION ? 'application' : 'appbase';
  const scripts = scriptsOf(spec.project);
  const classic = await classicScriptPart(spec, scripts);
  const assets = assetPart(spec, new Set(scripts.map((s) => s.id)), bootstrap === 'application');
  const records = [...classic.records, ...assets.records];
  const texture = assets.texture;
  const entries: BuildEntry[] = [...classic.entries, ...assets.entries, ...sceneEntries(spec, scripts.map(scriptName))];
  entries.push(
    {
      name: 'config.json',
      content: JSON.stringify(configDocument(spec, records, (id) => `${id}.json`, texture, bootstrap)),
    },
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
