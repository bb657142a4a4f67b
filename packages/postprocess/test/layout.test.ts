import { describe, expect, it } from 'vitest';
import { type LayoutFiles, readLayout } from '../src/layout.js';
import { layoutSettings } from '../src/settings.js';
import { refusal } from './helpers.js';

/** A file set in memory, shaped like the Editor's downloads (our own text, in the shapes of real exports). */
const filesOf = (files: Record<string, string>): LayoutFiles => ({
  paths: new Set(Object.keys(files)),
  read: async (path) => files[path],
});

const IMPORT_MAP = '\n      {\n  "imports": {\n    "playcanvas": "./js/playcanvas-stable.min.mjs"\n  }\n}\n    ';
const ESM_HTML = `<!doctype html><html><head><style></style>
    <script type="importmap">${IMPORT_MAP}</script>
</head><body><script type='module' src="js/index.mjs"></script></body></html>`;

const BARE_SETTINGS =
  `ASSET_PREFIX = "";
SCRIPT_PREFIX = "";
SCENE_PATH = "1001.json";
CONTEXT_OPTIONS = {
    'antialias': true,
    'preferWebGl2': true,
    'powerPreference': "default"
};
SCRIPTS = [ 11, 12 ];
CONFIG_FILENAME = "config.json";
pc.script.legacy = false;
PRELOAD_MODULES = [
    {'moduleName' : 'Ammo', 'glueUrl' : 'files/assets/3/1/ammo.wasm.js',` +
  ` 'wasmUrl' : 'files/assets/4/1/ammo.wasm.wasm', 'fallbackUrl' : 'files/assets/5/1/ammo.js', 'preload' : true},
];
`;
const WINDOW_SETTINGS = BARE_SETTINGS.replace(/^([A-Z_]+ =)/gm, 'window.$1');

const ESM_SETTINGS = `import { script } from './playcanvas-stable.min.mjs';

const ASSET_PREFIX = "";
const SCRIPT_PREFIX = "";
const SCENE_PATH = "1001.json";
const CONTEXT_OPTIONS = {
    'antialias': false,
    'deviceTypes': [
        \`webgl2\`,
        \`webgl1\`
    ]
};
const SCRIPTS = [
    11
];
const CONFIG_FILENAME = "config.json";
const PRELOAD_MODULES = [];
script.legacy = false;

export { ASSET_PREFIX, CONFIG_FILENAME, CONTEXT_OPTIONS, PRELOAD_MODULES, SCENE_PATH, SCRIPTS, SCRIPT_PREFIX };
`;

/** The end of a concatenated bundle: engine code, then the settings as minified constants (SCRIPTS in hex). */
const BUNDLE =
  `class Script{}function script(){}const ASSET_PREFIX$1=1;
const ASSET_PREFIX="";const SCRIPT_PREFIX="";const SCENE_PATH="1001.json";const CONTEXT_OPTIONS={"antialias":false,` +
  `"deviceTypes":[\`webgl2\`,\`webgl1\`]};const SCRIPTS=[0xb,0xc];const CONFIG_FILENAME="config.json";` +
  `const PRELOAD_MODULES=[{"moduleName":"Ammo","glueUrl":"files/assets/3/1/ammo.wasm.js",` +
  `"wasmUrl":"files/assets/4/1/ammo.wasm.wasm","preload":true}];script.legacy=false;
function main(){}main();window.pc=pc;
export { Script as S };
`;

describe('readLayout(): which layout a build is', () => {
  it('tells the old pc.Application classic build, with bare globals', async () => {
    const layout = await readLayout(
      filesOf({
        'index.html': '<html></html>',
        '__settings__.js': BARE_SETTINGS,
        '__start__.js': 'app = new pc.Application(canvas, {});',
        'playcanvas-stable.min.js': '',
      }),
    );
    expect(layout).toMatchObject({
      name: 'classic-application',
      settingsFile: '__settings__.js',
      settingsForm: 'bare-globals',
      startScript: '__start__.js',
      engineFile: 'playcanvas-stable.min.js',
      mixed: false,
    });
  });

  it('tells the AppBase classic build, with window. globals', async () => {
    const layout = await readLayout(
      filesOf({
        'index.html': '',
        '__settings__.js': WINDOW_SETTINGS,
        '__start__.js': 'var app = new pc.AppBase(canvas);',
        '__loading__.js': '',
      }),
    );
    expect(layout).toMatchObject({ name: 'classic', settingsForm: 'window-globals', loadingScript: '__loading__.js' });
  });

  it('tells the ES module build, mixed when index.mjs sets window.pc, with its import map', async () => {
    const files = {
      'index.html': ESM_HTML,
      'js/index.mjs':
        'import * as playcanvasStable_min from ' +
        "'./playcanvas-stable.min.mjs';\nmain();\nwindow.pc = playcanvasStable_min;\n",
      'js/__settings__.mjs': ESM_SETTINGS,
      'js/__loading__.mjs': '',
      'js/playcanvas-stable.min.mjs': '',
      'js/esm-scripts/fps controller/camera-controls.mjs': '',
    };
    expect(await readLayout(filesOf(files))).toEqual({
      name: 'esm',
      mixed: true,
      settingsFile: 'js/__settings__.mjs',
      settingsForm: 'es-exports',
      startScript: 'js/index.mjs',
      engineFile: 'js/playcanvas-stable.min.mjs',
      loadingScript: 'js/__loading__.mjs',
      modules: ['js/__loading__.mjs', 'js/__settings__.mjs', 'js/index.mjs', 'js/playcanvas-stable.min.mjs'],
      importMap: IMPORT_MAP,
    });
    const pure = await readLayout(filesOf({ ...files, 'js/index.mjs': 'main();\n' }));
    expect(pure.mixed).toBe(false);
  });

  it('tells the concatenated ES module build by the settings constants inside js/index.mjs', async () => {
    const layout = await readLayout(
      filesOf({ 'index.html': ESM_HTML, 'js/index.mjs': BUNDLE, 'js/esm.mjs': '', '__game-scripts.js': '' }),
    );
    expect(layout).toMatchObject({
      name: 'esm-concatenated',
      mixed: true,
      settingsFile: 'js/index.mjs',
      settingsForm: 'bundle-constants',
      engineFile: 'js/index.mjs',
      modules: ['js/esm.mjs', 'js/index.mjs'],
    });
  });

  it('refuses what is none of them, naming what it looked for and what it found', async () => {
    const message = await refusal(() => readLayout(filesOf({ 'index.html': '', 'game.js': '', 'assets/a.png': '' })));
    expect(message).toMatch(
      /looked for __settings__\.js and __start__\.js .*js\/index\.mjs with js\/__settings__\.mjs/,
    );
    expect(message).toContain('The build has assets/, game.js, index.html');
    const half = await refusal(() => readLayout(filesOf({ 'index.html': '', 'js/index.mjs': 'main();' })));
    expect(half).toContain('found js/index.mjs, but neither js/__settings__.mjs nor settings constants');
  });
});

describe('layoutSettings(): the settings in each form', () => {
  const forms = [
    ['bare globals', { settingsFile: '__settings__.js', settingsForm: 'bare-globals' }, BARE_SETTINGS],
    ['window. globals', { settingsFile: '__settings__.js', settingsForm: 'window-globals' }, WINDOW_SETTINGS],
    ['ES exports', { settingsFile: 'js/__settings__.mjs', settingsForm: 'es-exports' }, ESM_SETTINGS],
    ['bundle constants', { settingsFile: 'js/index.mjs', settingsForm: 'bundle-constants' }, BUNDLE],
  ] as const;

  it.each(forms)('reads %s', (_, layout, text) => {
    const { settings } = layoutSettings(layout, text);
    expect(settings).toMatchObject({ assetPrefix: '', scenePath: '1001.json', configFilename: 'config.json' });
    const ammo = text.includes('Ammo') ? ['Ammo'] : [];
    expect(settings.preloadModules.map((m) => m.moduleName)).toEqual(ammo);
  });

  it.each(forms)('changes ASSET_PREFIX and CONFIG_FILENAME in %s and nothing else', (_, layout, text) => {
    const read = layoutSettings(layout, text);
    const changed = read.set(
      read.set(text, 'ASSET_PREFIX', () => 'https://cdn.example.com/g/'),
      'CONFIG_FILENAME',
      (c) => `x/${c}`,
    );
    expect(layoutSettings(layout, changed).settings).toMatchObject({
      assetPrefix: 'https://cdn.example.com/g/',
      configFilename: 'x/config.json',
    });
    expect(changed.replace('"https://cdn.example.com/g/"', '""').replace('"x/config.json"', '"config.json"')).toBe(
      text,
    );
  });

  it('reads hex SCRIPTS and leaves a renamed engine constant (ASSET_PREFIX$1) alone', () => {
    const read = layoutSettings({ settingsFile: 'js/index.mjs', settingsForm: 'bundle-constants' }, BUNDLE);
    expect(read.globals('SCRIPTS')).toEqual([11, 12]);
    expect(read.set(BUNDLE, 'ASSET_PREFIX', () => 'p/')).toContain('const ASSET_PREFIX$1=1;\nconst ASSET_PREFIX="p/";');
  });

  it('refuses a computed setting in an ES settings module, naming the file and line', async () => {
    const text = ESM_SETTINGS.replace('const ASSET_PREFIX = "";', 'const ASSET_PREFIX = location.hash;');
    const message = await refusal(() =>
      layoutSettings({ settingsFile: 'js/__settings__.mjs', settingsForm: 'es-exports' }, text),
    );
    expect(message).toMatch(/^js\/__settings__\.mjs line 3 .*ASSET_PREFIX/);
  });
});
