import type { BuildSource, BuildStep } from '../src/index.js';
import { PostprocessError } from '../src/index.js';

/**
 * Bootstrap text in the shapes of real Editor exports (docs/research/editor-builds.md §2.3, §3, §4), written
 * here: the parts csp() reads (the media query, the loading screen's CSS), around them only what makes the
 * shape (imports from the settings module, the bundle's constants, its `export` list).
 */

/**
 * The media query `initCSS` appends in the ES module bootstrap: 8 spaces less than the classic one, W/H from
 * config.json.
 */
export const esmMediaQuery = (w: number, h: number) => `@media screen and (min-aspect-ratio: ${w}/${h}) {
            #application-canvas.fill-mode-KEEP_ASPECT {
                width: auto;
                height: 100%;
                margin: 0 auto;
            }
        }`;

/** The old "Application" template's media query: string concatenation, no newlines. */
export const applicationMediaQuery = (w: number, h: number) =>
  `@media screen and (min-aspect-ratio: ${w}/${h}) {    #application-canvas.fill-mode-KEEP_ASPECT {        ` +
  `width: auto;        height: 100%;        margin: 0 auto;    }}`;

/** The 2.20+ loading screen's CSS (template literal in `createCss`), shortened. */
export const LOADING_CSS = `
            body {
                background-color: #283538;
            }

            #application-splash-wrapper {
                position: absolute;
                height: 100%;
                width: 100%;
            }
        `;

const INIT_CSS = `function initCSS() {
    if (document.head.querySelector) {
        // css media query for aspect ratio changes
        var css = \`@media screen and (min-aspect-ratio: \${app._width}/\${app._height}) {
            #application-canvas.fill-mode-KEEP_ASPECT {
                width: auto;
                height: 100%;
                margin: 0 auto;
            }
        }\`;
        document.head.querySelector('style').innerHTML += css;
    }
}`;

export const APPLICATION_START = `(function () {
    var canvas = document.getElementById('application-canvas');
    var configureCss = function (fillMode, width, height) {
        if (canvas.classList) {
            canvas.classList.add('fill-mode-' + fillMode);
        }

        // css media query for aspect ratio changes
        var css  = "@media screen and (min-aspect-ratio: " + width + "/" + height + ") {";
        css += "    #application-canvas.fill-mode-KEEP_ASPECT {";
        css += "        width: auto;";
        css += "        height: 100%;";
        css += "        margin: 0 auto;";
        css += "    }";
        css += "}";

        // append css to style
        if (document.head.querySelector) {
            document.head.querySelector('style').innerHTML += css;
        }
    };
    var app = new pc.Application(canvas, {});
    var configure = function () {
        app.configure(CONFIG_FILENAME, function (err) {
            configureCss(app._fillMode, app._width, app._height);
            app.preload(function () {});
        });
    };
    if (PRELOAD_MODULES.length > 0) { loadModules(PRELOAD_MODULES, ASSET_PREFIX, configure); } else { configure(); }
})();
`;

const IMPORT_MAP = `
      {
  "imports": {
    "playcanvas": "./js/playcanvas-stable.min.mjs",
    "tween": "https://cdn.example.org/npm/tween@1.0.0/tween.mjs"
  }
}
    `;

export const esmIndexHtml = (importMap = IMPORT_MAP) => `<!DOCTYPE html>
<html>
<head>
    <meta charset='utf-8'>
    <link rel="stylesheet" type="text/css" href="styles.css">
    <style></style>
    <title>Module Shapes</title>

    <!-- import map -->
    <script type="importmap">${importMap}</script>

</head>
<body>
    <script type='module' src="js/index.mjs"></script>
</body>
</html>
`;

const CONFIG = JSON.stringify({ application_properties: { width: 1280, height: 720 }, scenes: [], assets: {} });

const LOADING = `script.createLoadingScreen((app) => {
    const createCss = () => {
        const css = \`${LOADING_CSS}\`;
        const style = document.createElement('style');
        style.textContent = css;
        document.head.appendChild(style);
    };
    const logo = document.createElement('img');
    logo.src = \`\${ASSET_PREFIX}logo.png\`;
    createCss();
});`;

/** An ES module build (layout B): the files csp() reads, the engine and scripts empty. */
export function esmFiles(): Map<string, Buffer> {
  const files: Record<string, string> = {
    'index.html': esmIndexHtml(),
    'config.json': CONFIG,
    'styles.css': 'body { margin: 0; }',
    'js/__settings__.mjs': `import { script } from './playcanvas-stable.min.mjs';

const ASSET_PREFIX = "";
const SCRIPT_PREFIX = "";
const SCENE_PATH = "1003.json";
const CONTEXT_OPTIONS = {
    'antialias': true,
    'deviceTypes': [
        \`webgl2\`,
        \`webgl1\`
    ]
};
const SCRIPTS = [];
const CONFIG_FILENAME = "config.json";
const PRELOAD_MODULES = [];
script.legacy = false;

export { ASSET_PREFIX, CONFIG_FILENAME, CONTEXT_OPTIONS, PRELOAD_MODULES, SCENE_PATH, SCRIPTS, SCRIPT_PREFIX };
`,
    'js/index.mjs': `import { AppBase } from './playcanvas-stable.min.mjs';
import { ASSET_PREFIX, CONFIG_FILENAME, SCENE_PATH } from './__settings__.mjs';

const canvas = document.createElement('canvas');
const app = new AppBase(canvas);
${INIT_CSS.replace(/^/gm, '')}
function configure() {
    app.configure(CONFIG_FILENAME, () => { initCSS(); app.scenes.loadScene(SCENE_PATH); });
}
configure();
import('./__loading__.mjs');
`,
    'js/__loading__.mjs': `import { script } from './playcanvas-stable.min.mjs';
import { ASSET_PREFIX } from './__settings__.mjs';

${LOADING}
`,
    'js/playcanvas-stable.min.mjs': 'export class AppBase {}',
  };
  return new Map(Object.entries(files).map(([path, text]) => [path, Buffer.from(text)]));
}

/** A concatenated ES module build (layout C): the bundle's settings as minified constants, SCRIPTS in hex. */
export function esmConcatenatedFiles(): Map<string, Buffer> {
  const bundle =
    `class AppBase{}const script={createLoadingScreen(f){f({})}};
const ASSET_PREFIX="";const SCRIPT_PREFIX="";const SCENE_PATH="1003.json";const CONTEXT_OPTIONS={"antialias":true,` +
    `"deviceTypes":[\`webgl2\`,\`webgl1\`]};const SCRIPTS=[0x3e9,0x3ea];const CONFIG_FILENAME="config.json";` +
    `const PRELOAD_MODULES=[];script.legacy=false;
const canvas=document.createElement("canvas");const app=new AppBase(canvas);${INIT_CSS.replace("'style'", '"style"')}
function main(){app.configure(CONFIG_FILENAME,()=>{initCSS();});}main();` +
    `Promise.resolve().then(function () { return __loading__; });window.pc=pc;
${LOADING}
var __loading__ = /*#__PURE__*/Object.freeze({__proto__: null});
export { AppBase as A, script as s };
`;
  const files = esmFiles();
  for (const path of [...files.keys()]) if (path.startsWith('js/')) files.delete(path);
  files.set('index.html', Buffer.from(esmIndexHtml('\n      {\n  "imports": {}\n}\n    ')));
  files.set('js/index.mjs', Buffer.from(bundle));
  files.set('js/esm.mjs', Buffer.from("import { A as AppBase } from './index.mjs';\nexport { AppBase as c };\n"));
  files.set('__game-scripts.js', Buffer.from('var Spin = pc.createScript("spin");'));
  return files;
}

/**
 * Runs a step as the gulp transforms and the CLI do: the step gets only the files it says it needs (the others
 * stream past), so reading any other is "The build has no ...".
 */
export async function runAsAdapter<Report>(step: BuildStep<Report>, files: ReadonlyMap<string, Buffer>) {
  const source: BuildSource = {
    paths: new Set(files.keys()),
    async read(path) {
      const contents = step.needs(path) ? files.get(path) : undefined;
      if (contents === undefined) throw new PostprocessError(`The build has no ${path}`, path);
      return contents;
    },
  };
  const result = await step.run(source);
  const out = new Map(files);
  for (const [path, contents] of result.changes) {
    if (contents === null) out.delete(path);
    else out.set(path, contents);
  }
  return { files: out, ...result };
}
