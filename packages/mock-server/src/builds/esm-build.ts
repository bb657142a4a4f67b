import { preloadModules } from './asset-files.js';
import { ASSETS, assetPart, classicScriptPart, sceneEntries } from './build-parts.js';
import { type ConfigAsset, configDocument, scriptConfigAsset } from './config-document.js';
import { manifestDocument, scriptName, scriptsOf } from './content.js';
import { engineModuleBytes } from './engine.js';
import { bundleOffThread } from './esm-bundle-thread.js';
import { esmBootstrap, esmIndexHtml, esmLoadingScreen, esmModulesLoader, esmSettings } from './esm-files.js';
import { esmScriptPath, esmScriptUrl, isModuleScript, moduleScriptSource } from './esm-scripts.js';
import { LOGO } from './media.js';
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
  const classic = await classicScriptPart(
    spec,
    scripts.filter((s) => !isModuleScript(s)),
  );
  const mixed = classic.records.length > 0;
  const sources = new Map(moduleScripts.map((s) => [esmScriptPath(s), moduleScriptSource(s)]));
  const moduleRecords = moduleScripts.map((s) => moduleScriptRecord(s, sources.get(esmScriptPath(s)) as string));
  const assets = assetPart(spec, new Set(scripts.map((s) => s.id)));
  const js = new Map<string, string | Buffer>([
    ['index.mjs', esmBootstrap(mixed, spec.concatenate ? 'pc' : undefined)],
    [
      '__settings__.mjs',
      esmSettings(
        spec,
        scripts.map((s) => s.id),
        preloadModules(spec.project, ASSETS),
      ),
    ],
    ['__modules__.mjs', esmModulesLoader()],
    ['__loading__.mjs', esmLoadingScreen()],
    ['playcanvas-stable.min.mjs', engineModuleBytes()],
    ...sources,
  ]);
  const entries: BuildEntry[] = [...classic.entries, ...assets.entries, ...sceneEntries(spec, scripts.map(scriptName))];
  if (spec.concatenate) {
    const bundled = await bundleOffThread(new Map([...js].map(([path, content]) => [path, content.toString()])), [
      ...sources.keys(),
    ]);
    entries.push({ name: 'js/index.mjs', content: bundled.index }, { name: 'js/esm.mjs', content: bundled.esm });
  } else {
    for (const [path, content] of js) entries.push({ name: `js/${path}`, content });
  }
  const config = configDocument(
    spec,
    [...classic.records, ...moduleRecords, ...assets.records],
    (id) => `${id}.json`,
    assets.texture,
  );
  // E4 (2.22.2) has `importMap: null`: the project has no import map asset of its own
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

/**
 * An ES module script's record: its own URL under js/esm-scripts/ (also when concatenated), `order` as real builds have
 * it.
 */
function moduleScriptRecord(asset: Parameters<typeof esmScriptUrl>[0], source: string): ConfigAsset {
  const record = scriptConfigAsset(asset, esmScriptUrl(asset), source);
  return { ...record, data: { order: 100, ...(record.data as object) } };
}
