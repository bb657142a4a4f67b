import {
  assetContent,
  assetPath,
  assetsOf,
  configDocument,
  loadingScript,
  manifestDocument,
  modulesScript,
  PNG_1X1,
  STYLES_CSS,
  sceneDocument,
  startScript,
} from './content.js';
import { type BuildEntry, type BuildSpec, slugify } from './spec.js';

/** Scene file names in the npm layout: slugified, with the id added where two names collide. */
function sceneFileNames(spec: BuildSpec): Map<number, string> {
  const counts = new Map<string, number>();
  for (const scene of spec.scenes) counts.set(slugify(scene.name), (counts.get(slugify(scene.name)) ?? 0) + 1);
  return new Map(
    spec.scenes.map((scene) => {
      const slug = slugify(scene.name);
      return [scene.id, (counts.get(slug) ?? 0) > 1 ? `${slug}-${scene.id}.json` : `${slug}.json`];
    }),
  );
}

/** The `npm` download: a Vite project (src/, public/), per the reference's layout. */
export function npmBuildEntries(spec: BuildSpec): BuildEntry[] {
  const scripts = assetsOf(spec.project).filter((a) => a.type === 'script');
  const sceneFiles = sceneFileNames(spec);
  const slug = slugify(spec.name);
  const entries: BuildEntry[] = [
    {
      name: 'package.json',
      content: `${JSON.stringify(
        {
          name: slug,
          version: spec.version || '0.0.0',
          private: true,
          type: 'module',
          scripts: { dev: 'vite', build: 'vite build', preview: 'vite preview' },
          dependencies: { playcanvas: spec.engineVersion },
          devDependencies: { vite: '^6.0.0' },
        },
        null,
        2,
      )}\n`,
    },
    { name: 'vite.config.mjs', content: "import { defineConfig } from 'vite';\n\nexport default defineConfig({ base: './' });\n" },
    {
      name: 'index.html',
      content: `<!doctype html>
<html>
<head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, minimum-scale=1, user-scalable=no" />
    <link rel="stylesheet" type="text/css" href="/styles.css">
    <link rel="manifest" href="/manifest.json">
    <title>${spec.name.replace(/[<>&"]/g, '')}</title>
</head>
<body>
    <script type="module" src="/src/main.mjs"></script>
</body>
</html>
`,
    },
    {
      name: 'src/main.mjs',
      content: `import * as pc from 'playcanvas';
import { settings } from './bootstrap/settings.mjs';
import './bootstrap/modules.mjs';
import './bootstrap/loading.mjs';
import { start } from './bootstrap/start.mjs';

window.pc = pc;
start(settings);
`,
    },
    {
      name: 'src/bootstrap/settings.mjs',
      content: `export const settings = {
    ASSET_PREFIX: '/assets/',
    SCENE_PATH: '${sceneFiles.get(spec.scenes[0]?.id ?? -1) ?? ''}',
    CONFIG_FILENAME: 'config.json',
    SCRIPTS: [${scripts.map((s) => s.id).join(', ')}],
};
`,
    },
    { name: 'src/bootstrap/modules.mjs', content: `export ${modulesScript()}` },
    { name: 'src/bootstrap/start.mjs', content: `export function start(settings) {\n    window.SETTINGS = settings;\n}\n${startScript()}` },
    { name: 'src/bootstrap/loading.mjs', content: loadingScript() },
    { name: 'src/data/config.json', content: configDocument(spec, (s) => `scenes/${sceneFiles.get(s.id)}`, 'assets/', scripts) },
    { name: 'public/manifest.json', content: manifestDocument(spec, 'thumbs/') },
    { name: 'public/styles.css', content: STYLES_CSS },
    { name: 'public/thumbs/logo.png', content: PNG_1X1 },
  ];
  for (const scene of spec.scenes) entries.push({ name: `src/data/scenes/${sceneFiles.get(scene.id)}`, content: sceneDocument(scene, spec) });
  for (const asset of assetsOf(spec.project)) {
    if (asset.type === 'script') {
      entries.push({ name: `src/scripts/${asset.filename.replace(/\.js$/, '.mjs')}`, content: assetContent(asset, spec), mode: asset.mode });
    } else {
      entries.push({ name: `public/assets/${assetPath(asset)}`, content: assetContent(asset, spec), mode: asset.mode });
    }
  }
  return entries;
}
