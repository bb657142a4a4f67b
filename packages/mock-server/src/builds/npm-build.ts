import { assetOutput, floorTextureOf } from './asset-files.js';
import { type ConfigAsset, configDocument, outputConfigAsset, scriptConfigAsset } from './config-document.js';
import {
  assetsOf,
  compileScripts,
  GENERATED,
  manifestDocument,
  SCENE_MATERIALS,
  scriptName,
  scriptSource,
  scriptsOf,
} from './content.js';
import { checker, LOGO } from './media.js';
import { sceneDocument } from './scene.js';
import { type BuildEntry, type BuildSpec, slugify } from './spec.js';
import { escapeHtml, template } from './templates.js';

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

/**
 * The `npm` download: a Vite project (src/, public/), per the reference's layout. It is built with Vite, not booted as
 * it is.
 */
export async function npmBuildEntries(spec: BuildSpec): Promise<BuildEntry[]> {
  const scripts = scriptsOf(spec.project);
  const sceneFiles = sceneFileNames(spec);
  const slug = slugify(spec.name);
  const records: ConfigAsset[] = [];
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
    {
      name: 'vite.config.mjs',
      content: "import { defineConfig } from 'vite';\n\nexport default defineConfig({ base: './' });\n",
    },
    {
      name: 'index.html',
      content:
        `<!doctype html>\n<html>\n<head>\n    <meta charset="utf-8">\n    <link rel="stylesheet" ` +
        `type="text/css" href="/styles.css">\n    <link rel="manifest" href="/manifest.json">\n    ` +
        `<title>${escapeHtml(spec.name)}</title>\n</head>\n<body>\n    <script type="module" ` +
        `src="/src/main.mjs"></script>\n</body>\n</html>\n`,
    },
    {
      name: 'src/main.mjs',
      content:
        `import * as pc from 'playcanvas';\nimport { settings } from './bootstrap/settings.mjs';\nimport ` +
        `'./bootstrap/modules.mjs';\nimport './bootstrap/loading.mjs';\nimport './bootstrap/start.mjs';\n\nwindow.pc ` +
        `= pc;\nObject.assign(window, settings);\n`,
    },
    {
      name: 'src/bootstrap/settings.mjs',
      content:
        `export const settings = {\n    ASSET_PREFIX: 'assets/',\n    SCRIPT_PREFIX: '',\n    SCENE_PATH: ` +
        `'scenes/${sceneFiles.get(spec.scenes[0]?.id ?? -1) ?? ''}',\n    CONFIG_FILENAME: ` +
        `'config.json',\n    SCRIPTS: [${scripts.map((s) => s.id).join(', ')}],\n};\n`,
    },
    { name: 'src/bootstrap/modules.mjs', content: template('__modules__.js') },
    { name: 'src/bootstrap/start.mjs', content: template('__start__.js') },
    { name: 'src/bootstrap/loading.mjs', content: template('__loading__.js') },
    { name: 'public/manifest.json', content: manifestDocument(spec) },
    { name: 'public/styles.css', content: template('styles.css') },
    { name: 'public/thumbs/logo.png', content: LOGO },
  ];
  for (const s of scripts) {
    const name = `src/scripts/${s.filename.replace(/\.js$/, '.mjs')}`;
    const { code } = await compileScripts({ [s.filename]: scriptSource(s) }, s.filename, {
      ...spec,
      minify: false,
      sourcemaps: false,
    });
    entries.push({ name, content: code, mode: s.mode });
    records.push(scriptConfigAsset(s, name, code));
  }
  const userScripts = new Set(scripts.map((s) => s.id));
  for (const asset of assetsOf(spec.project)) {
    if (userScripts.has(asset.id)) continue;
    const output = assetOutput(asset, spec.project);
    for (const file of output.files)
      entries.push({ name: `public/assets/${file.path}`, content: file.content, mode: asset.mode });
    records.push(outputConfigAsset(asset, output, ''));
  }
  const firstTexture = floorTextureOf(spec.project);
  const generated = firstTexture
    ? undefined
    : { url: `${GENERATED.checker}/1/checker.png`, content: checker([230, 230, 230], [60, 140, 220]) };
  if (generated) entries.push({ name: `public/assets/${generated.url}`, content: generated.content });
  const texture = generated ? { id: GENERATED.checker, generated } : { id: (firstTexture as { id: number }).id };
  entries.push({
    name: 'src/data/config.json',
    content: JSON.stringify(configDocument(spec, records, (id) => `scenes/${sceneFiles.get(id)}`, texture)),
  });
  for (const scene of spec.scenes) {
    entries.push({
      name: `src/data/scenes/${sceneFiles.get(scene.id)}`,
      content: JSON.stringify(
        sceneDocument(scene, scripts.map(scriptName), SCENE_MATERIALS, spec.date, assetsOf(spec.project)),
      ),
    });
  }
  return entries;
}
