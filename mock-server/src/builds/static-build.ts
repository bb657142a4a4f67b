import {
  assetContent,
  assetPath,
  assetsOf,
  configDocument,
  engineSource,
  loadingScript,
  manifestDocument,
  modulesScript,
  PNG_1X1,
  STYLES_CSS,
  sceneDocument,
  startScript,
} from './content.js';
import type { BuildEntry, BuildSpec } from './spec.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

function sourceMap(file: string, sources: string[]): string {
  return JSON.stringify({ version: 3, file, sources, names: [], mappings: 'AAAA' });
}

/** The classic `static` download: the layout tools that regex-patch index.html and __settings__.js expect. */
export function staticBuildEntries(spec: BuildSpec): BuildEntry[] {
  const scripts = assetsOf(spec.project).filter((a) => a.type === 'script');
  const first = spec.scenes[0];
  const entries: BuildEntry[] = [
    {
      name: 'index.html',
      content: `<!doctype html>
<html>
<head>
    <meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, minimum-scale=1, user-scalable=no" />
    <meta charset="utf-8">
    <link rel="stylesheet" type="text/css" href="styles.css">
    <link rel="manifest" href="manifest.json">
    <style></style>
    <title>${escapeHtml(spec.name)}</title>
    <script src="playcanvas-stable.min.js"></script>
    <script src="__settings__.js"></script>
    <script src="__modules__.js"></script>
</head>
<body>
    <script src="__start__.js"></script>
    <script src="__loading__.js"></script>
</body>
</html>
`,
    },
    { name: 'playcanvas-stable.min.js', content: engineSource(spec) },
    {
      name: '__settings__.js',
      content: `ASSET_PREFIX = "";
SCRIPT_PREFIX = "";
SCENE_PATH = "${first ? `${first.id}.json` : ''}";
CONTEXT_OPTIONS = {
    'antialias': true,
    'alpha': false,
    'preserveDrawingBuffer': false,
    'deviceTypes': ['webgl2', 'webgl1'],
    'powerPreference': "default"
};
SCRIPTS = [ ${scripts.map((s) => s.id).join(', ')} ];
CONFIG_FILENAME = "config.json";
INPUT_SETTINGS = {
    useKeyboard: true,
    useMouse: true,
    useGamepads: false,
    useTouch: true
};
pc.script.legacy = false;
PRELOAD_MODULES = [
];
`,
    },
    { name: '__modules__.js', content: modulesScript() },
    { name: '__start__.js', content: startScript() },
    { name: '__loading__.js', content: loadingScript() },
    { name: 'config.json', content: configDocument(spec, (s) => `${s.id}.json`, 'files/assets/', scripts) },
    { name: 'manifest.json', content: manifestDocument(spec) },
    { name: 'styles.css', content: STYLES_CSS },
    { name: 'logo.png', content: PNG_1X1 },
  ];
  for (const scene of spec.scenes) entries.push({ name: `${scene.id}.json`, content: sceneDocument(scene, spec) });
  for (const asset of assetsOf(spec.project)) {
    if (asset.type === 'script' && spec.concatenate) continue;
    const name = `files/assets/${assetPath(asset)}`;
    entries.push({ name, content: assetContent(asset, spec), mode: asset.mode });
    if (asset.type === 'script' && spec.sourcemaps) entries.push({ name: `${name}.map`, content: sourceMap(asset.filename, [asset.filename]) });
  }
  if (spec.concatenate && scripts.length > 0) {
    const joined = scripts.map((s) => assetContent(s, spec)).join('\n');
    entries.push({ name: '__game-scripts.js', content: spec.sourcemaps ? `${joined}\n//# sourceMappingURL=__game-scripts.js.map\n` : `${joined}\n` });
    if (spec.sourcemaps)
      entries.push({
        name: '__game-scripts.js.map',
        content: sourceMap(
          '__game-scripts.js',
          scripts.map((s) => s.filename),
        ),
      });
  }
  if (spec.preloadBundle) {
    entries.push({
      name: 'preload.json',
      content: `${JSON.stringify({
        assets: assetsOf(spec.project)
          .filter((a) => a.preload !== false)
          .map((a) => a.id),
      })}\n`,
    });
  }
  return entries;
}
