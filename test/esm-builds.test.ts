import type { BuildFiles } from '@gulp-playcanvas/playcanvas-build-check';
import { serveBuild } from '@gulp-playcanvas/playcanvas-build-check';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { type Browser, chromium } from 'playwright-core';
import { BROWSER, browserTest, buildFiles, EDITOR_LAYOUTS, layoutFixtures, startMock } from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: MockServer;
let browser: Browser;
beforeAll(async () => {
  server = await startMock({ fixtures: layoutFixtures(), pollsToComplete: 1 });
  // the test that needs it reports a failure
  for (const layout of ESM_LAYOUTS) filesOf(layout.name).catch(() => undefined);
  // one browser for every layout; the check's own launch flags (WebGL through SwiftShader)
  if (BROWSER) {
    const args = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-gpu-sandbox', '--no-first-run'];
    if (process.getuid?.() === 0) args.push('--no-sandbox');
    browser = await chromium.launch({ executablePath: BROWSER, headless: true, args });
  }
});
afterAll(async () => {
  await browser?.close();
  await server.close();
});

// the concatenated ones last: their bundles are made on the mock's bundler thread while the others boot
const ESM_LAYOUTS = EDITOR_LAYOUTS.filter((l) => l.name.startsWith('esm') || l.name.startsWith('mixed')).sort(
  (a, b) => Number(!!a.body.scripts_concatenate) - Number(!!b.body.scripts_concatenate),
);

/** Each layout is built once per file. */
const builds = new Map<string, Promise<Map<string, Buffer>>>();
function filesOf(name: string): Promise<Map<string, Buffer>> {
  let files = builds.get(name);
  if (!files) {
    const layout = ESM_LAYOUTS.find((l) => l.name === name);
    if (!layout) throw new Error(`no layout ${name}`);
    files = buildFiles(server, layout.body);
    builds.set(name, files);
  }
  return files;
}

/** The names the layout projects' scripts register (each pushes its name to window.__scriptsRan when initialized). */
const MODULE_SCRIPTS = { 1003: ['gardenSpin', 'orbitCamera', 'leafSway'], 1004: ['harbourLights', 'buoyBob'] } as const;
const CLASSIC_SCRIPTS = { 1003: [], 1004: ['craneLift', 'tideGauge'] } as const;

interface Boot {
  failed: string[];
  errors: string[];
  ran: string[];
  windowPc: boolean;
}

/** Serves the build, opens it and waits until every script named ran; what failed on the way. */
async function boot(files: BuildFiles, scripts: string[]): Promise<Boot> {
  const site = await serveBuild(files);
  const page = await browser.newPage({ viewport: { width: 320, height: 180 } });
  const failed: string[] = [];
  const errors: string[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) failed.push(`${r.url()} ${r.status()}`);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) errors.push(m.text());
  });
  try {
    await page.goto(site.url);
    await page
      .waitForFunction(
        (names) => names.every((n) => ((window as { __scriptsRan?: string[] }).__scriptsRan ?? []).includes(n)),
        scripts,
        {
          timeout: 30_000,
          polling: 50,
        },
      )
      .catch(() => undefined);
    const state = await page.evaluate(() => ({
      ran: (window as { __scriptsRan?: string[] }).__scriptsRan ?? [],
      windowPc: typeof (window as { pc?: { AppBase?: unknown } }).pc?.AppBase === 'function',
    }));
    return { failed, errors, ...state };
  } finally {
    await page.close();
    await site.close();
  }
}

describe('every ES module layout of the mock boots the real engine in Chromium', () => {
  for (const layout of ESM_LAYOUTS) {
    const project = layout.body.project_id as 1003 | 1004;
    browserTest(
      layout.name,
      async () => {
        const files = await filesOf(layout.name);
        const scripts = [...MODULE_SCRIPTS[project], ...CLASSIC_SCRIPTS[project]];
        const result = await boot(files, scripts);
        expect(result).toEqual({
          failed: [],
          errors: [],
          ran: expect.arrayContaining(scripts),
          windowPc: project === 1004,
        });
      },
      90_000,
    );
  }
});

const text = (files: Map<string, Buffer>, name: string) => {
  const file = files.get(name);
  if (!file)
    throw new Error(
      `the build has no ${name}; it has ${[...files.keys()].filter((n) => !n.startsWith('files/')).join(', ')}`,
    );
  return file.toString('utf8');
};
/** The build's files outside files/assets, sorted. */
const layoutOf = (files: Map<string, Buffer>) => [...files.keys()].filter((n) => !n.startsWith('files/')).sort();
type Config = {
  application_properties: Record<string, unknown>;
  assets: Record<string, { file: { url: string } | null }>;
};
const configOf = (files: Map<string, Buffer>) => JSON.parse(text(files, 'config.json')) as Config;

/*
 * Our own expectations, from real Editor exports read file by file (docs/research/editor-builds.md):
 * not concatenated: samborghini17/campus-viewer @cdb6be9 (engine 2.18.1, mixed; folder "fps controller/") and
 * jobendik/ZeroPoint3 @dea787b (2.13.2, mixed); concatenated: akashngb/hackthe6project @7eb5302 (2.20.6, mixed,
 * one ES module script) and leo-mllt/BurgerView @4aa9505 (2.16.2, mixed, nine).
 */
describe('the ES module layouts have what real exports have', () => {
  const MODULE_PATHS = [
    'js/esm-scripts/Scripts/camera rig/orbit-camera.mjs',
    'js/esm-scripts/Scripts/garden-spin.mjs',
    'js/esm-scripts/leaf-sway.mjs',
  ];
  const ROOT = ['2300.json', '2301.json', 'config.json', 'index.html', 'logo.png', 'manifest.json', 'styles.css'];

  it('not concatenated: js/index.mjs, js/__*.mjs, the engine module, each script under its Editor folder', async () => {
    const files = await filesOf('esm');
    const js = [
      'js/__loading__.mjs',
      'js/__modules__.mjs',
      'js/__settings__.mjs',
      'js/index.mjs',
      'js/playcanvas-stable.min.mjs',
    ];
    expect(layoutOf(files)).toEqual([...ROOT, ...js, ...MODULE_PATHS].sort());
    const html = text(files, 'index.html');
    expect(html).toContain(
      '    <!-- import map -->\n    <script type="importmap">\n' +
        '      {\n  "imports": {\n    "playcanvas": "./js/playcanvas-stable.min.mjs"\n  }\n}\n    </script>\n',
    );
    expect(html).toContain(`<body>\n    <script type='module' src="js/index.mjs"></script>\n</body>`);
    expect(html).not.toMatch(/<script src=/);
    // the settings are ES exports, printed one item a line; the Ammo-like module in PRELOAD_MODULES
    const settings = text(files, 'js/__settings__.mjs');
    expect(
      settings.startsWith('import { script } from \'./playcanvas-stable.min.mjs\';\n\nconst ASSET_PREFIX = "";\n'),
    ).toBe(true);
    expect(settings).toContain('const CONFIG_FILENAME = "config.json";\n');
    expect(settings).toContain('const SCRIPTS = [\n    6100,\n    6101,\n    6102\n];\n');
    expect(settings).toMatch(
      new RegExp(
        String.raw`const PRELOAD_MODULES = \[\n {4}\{\n {8}'moduleName': 'Adder',\n {8}'glueUrl': ` +
          String.raw`'files\/assets\/6016\/1\/adder\.wasm\.js',\n`,
      ),
    );
    expect(settings).toContain(
      'export { ASSET_PREFIX, CONFIG_FILENAME, CONTEXT_OPTIONS, INPUT_SETTINGS, PRELOAD_MODULES, ' +
        'SCENE_PATH, SCRIPTS, SCRIPT_PREFIX };',
    );
    // the bootstrap: the media query at module indentation, the loading screen imported last; no window.pc without
    // classic scripts
    const index = text(files, 'js/index.mjs');
    expect(index).toContain("from './__settings__.mjs';\n");
    expect(index).toContain(
      `        var css = \`@media screen and (min-aspect-ratio: \${app._width}/\${app._height}) {\n` +
        '            #application-canvas.fill-mode-KEEP_ASPECT {\n',
    );
    expect(index.endsWith("import('./__loading__.mjs');\n")).toBe(true);
    expect(index).not.toMatch(/window\.pc\s*=/);
    // the engine: the package's ES module, not minified despite its name, the banner first
    const engine = text(files, 'js/playcanvas-stable.min.mjs');
    expect(engine.slice(0, 4096)).toContain('PlayCanvas Engine v2.23.3');
    expect(engine.length).toBeGreaterThan(3_000_000);
    expect(engine.split('\n').length).toBeGreaterThan(50_000);
    // scripts import the engine by a relative path, one ../ per folder
    const gardenSpin = text(files, 'js/esm-scripts/Scripts/garden-spin.mjs');
    expect(gardenSpin).toMatch(/^import \{ Script \} from '\.\.\/\.\.\/playcanvas-stable\.min\.mjs';\n/);
    // a script that extends another one imports it by a relative path across folders
    const orbitCamera = text(files, 'js/esm-scripts/Scripts/camera rig/orbit-camera.mjs');
    expect(orbitCamera).toMatch(/^import \{ GardenSpin \} from '\.\.\/garden-spin\.mjs';\n/);
    expect(text(files, 'js/esm-scripts/leaf-sway.mjs')).toMatch(
      /^import \{ Script \} from '\.\.\/playcanvas-stable\.min\.mjs';\n/,
    );
    const leafSway = text(files, 'js/esm-scripts/leaf-sway.mjs');
    expect(leafSway).toContain('_define_property(LeafSway, "scriptName", \'leafSway\');\n\nexport { LeafSway };');
    // config.json: engine 2 flags, the scripts' URLs with the folder's space raw
    const config = configOf(files);
    expect(config.application_properties).toMatchObject({ engineV2: true, importMap: null });
    expect(config.assets['6101']?.file?.url).toBe('./js/esm-scripts/Scripts/camera rig/orbit-camera.mjs');
    expect(config.assets['6102']?.file?.url).toBe('./js/esm-scripts/leaf-sway.mjs');
  });

  it('mixed: classic scripts stay in files/assets, window.pc is set', async () => {
    const files = await filesOf('mixed');
    expect(layoutOf(files)).toContain('js/esm-scripts/Scripts/night life/harbour-lights.mjs');
    expect(files.has('files/assets/7100/1/crane-lift.js')).toBe(true);
    const index = text(files, 'js/index.mjs');
    expect(index.startsWith("import * as playcanvasStable_min from './playcanvas-stable.min.mjs';\n")).toBe(true);
    expect(index.endsWith("import('./__loading__.mjs');\nwindow.pc = playcanvasStable_min;\n")).toBe(true);
    const config = configOf(files);
    expect(config.assets['7100']?.file?.url).toBe('files/assets/7100/1/crane-lift.js');
    expect(config.assets['7102']?.file?.url).toBe('./js/esm-scripts/Scripts/night life/harbour-lights.mjs');
  });

  it('concatenated: js/index.mjs, one bundle, and js/esm.mjs, its chunk of scripts; an empty import map', async () => {
    const files = await filesOf('esm concatenated');
    expect(layoutOf(files)).toEqual([...ROOT, 'js/esm.mjs', 'js/index.mjs'].sort());
    expect(text(files, 'index.html')).toContain(
      '<script type="importmap">\n      {\n  "imports": {}\n}\n    </script>',
    );
    const index = text(files, 'js/index.mjs');
    expect(
      index.startsWith('function __esmScriptDynamicImportRuntime__(path){const pathname=decodeURIComponent('),
    ).toBe(true);
    expect(index).toContain('case "./esm-scripts/Scripts/camera rig/orbit-camera.mjs":return import(\'./esm.mjs\')');
    // the engine's script loader imports through the switch
    // (real: `__esmScriptDynamicImportRuntime__(/* @vite-ignore */importUrl.toString())`)
    expect(index).toContain('__esmScriptDynamicImportRuntime__(importUrl.toString())');
    expect(index).toContain(' * PlayCanvas Engine v2.23.3');
    expect(index).toContain('const ASSET_PREFIX="";const SCRIPT_PREFIX="";const SCENE_PATH="2300.json";');
    expect(index).toContain('const CONFIG_FILENAME="config.json";');
    expect(index).toContain('main();Promise.resolve().then(function () { return __loading__; });');
    expect(index).not.toMatch(/window\.pc\s*=/);
    const esm = text(files, 'js/esm.mjs');
    expect(esm).toMatch(/^import \{ [^}]*\bS as Script\b[^}]* \} from '\.\/index\.mjs';\n/);
    expect(esm).toMatch(/\nexport \{ [^}]+ \};\n$/);
    // config.json still names the scripts' own URLs: the switch maps them to the chunk
    expect(configOf(files).assets['6101']?.file?.url).toBe('./js/esm-scripts/Scripts/camera rig/orbit-camera.mjs');
  });

  it('mixed concatenated: classic scripts in __game-scripts.js at the root, window.pc set in the bundle', async () => {
    const files = await filesOf('mixed concatenated');
    expect(layoutOf(files)).toEqual(
      ['2400.json', '2401.json', ...ROOT.slice(2), '__game-scripts.js', 'js/esm.mjs', 'js/index.mjs'].sort(),
    );
    expect(text(files, 'js/index.mjs')).toContain(
      'Promise.resolve().then(function () { return __loading__; });window.pc=pc;',
    );
    const config = configOf(files);
    expect(config.assets['7100']?.file?.url).toBe('__game-scripts.js');
    expect(config.assets['7102']?.file?.url).toBe('./js/esm-scripts/Scripts/night life/harbour-lights.mjs');
  });
});
