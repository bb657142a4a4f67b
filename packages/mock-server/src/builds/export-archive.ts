import type { FixtureAsset } from '../fixture-assets.js';
import { assetFile, assetPath, assetsOf, SCENE_MATERIALS, scriptName, scriptSource, scriptsOf } from './content.js';
import { isModuleScript, originalModuleSource } from './esm-scripts.js';
import { sceneDocument } from './scene.js';
import type { BuildEntry, BuildSpec } from './spec.js';

/** A project export (importable archive): the project, its branch, scenes and asset sources. */
export function exportEntries(spec: BuildSpec): BuildEntry[] {
  const { project, branch } = spec;
  const assets = assetsOf(project);
  const entries: BuildEntry[] = [
    {
      name: 'project.json',
      content: `${JSON.stringify(
        {
          id: project.id,
          name: project.name,
          owner_id: project.ownerId,
          branch: { id: branch.id, name: branch.name },
          exported_at: new Date(spec.date).toISOString(),
          scenes: project.scenes.map((s) => ({ id: s.id, name: s.name })),
          assets: assets.map((a) => ({ id: a.id, name: a.name, type: a.type, file: `assets/${assetPath(a)}` })),
        },
        null,
        2,
      )}\n`,
    },
  ];
  const names = scriptsOf(project).map(scriptName);
  for (const scene of project.scenes)
    entries.push({
      name: `scenes/${scene.id}.json`,
      content: `${JSON.stringify(sceneDocument(scene, names, SCENE_MATERIALS, spec.date), null, 2)}\n`,
    });
  const source = (asset: FixtureAsset) =>
    isModuleScript(asset)
      ? originalModuleSource(asset)
      : asset.type === 'script'
        ? scriptSource(asset)
        : assetFile(asset);
  for (const asset of assets)
    entries.push({ name: `assets/${assetPath(asset)}`, content: source(asset), mode: asset.mode });
  return entries;
}
