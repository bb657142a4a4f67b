import { createHash } from 'node:crypto';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { buildFiles, startMock } from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetPrefixStep, cspStep, processFiles, singleFileStep } from '../src/index.js';
import { refusal } from './helpers.js';

let server: MockServer;
let build: Map<string, Buffer>;
beforeAll(async () => {
  server = await startMock({ pollsToComplete: 1 });
  build = await buildFiles(server);
});
afterAll(() => server?.close());

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const CSS = '#splash { background: #283538; }\n#bar { width: 0%; }';

/** A loading screen in the shapes custom ones take; each inserts CSS (its text) after an await, as async ones do. */
const LOADING_SCREENS: Array<[string, string]> = [
  [
    'innerHTML from a template literal with a variable in it',
    "var color = '#283538';\nvar style = document.createElement('style');\n" +
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the loading screen's own template literal
      'style.innerHTML = `#splash { background: ${color}; }\\n#bar { width: 0%; }`;\ndocument.head.appendChild(style);',
  ],
  [
    'textContent from concatenated strings',
    "const style = document.createElement('style');\nstyle.textContent = '#splash { background: #283538; " +
      "}' + '\\n' + '#bar { width: ' + 0 + '%; }';\ndocument.head.appendChild(style);",
  ],
  [
    "an array's join, through createTextNode",
    "var css = ['#splash { background: #283538; }', '#bar { width: 0%; " +
      "}'].join('\\n');\nvar style = document.createElement('style');\nstyle.type = 'text/css';\nif " +
      '(style.styleSheet) { style.styleSheet.cssText = css; } else { ' +
      'style.appendChild(document.createTextNode(css)); }\ndocument.head.appendChild(style);',
  ],
  [
    'built up with +=, appended before it is filled',
    "let css = '#splash { background: #283538; }';\ncss += '\\n';\ncss += '#bar { width: 0%; " +
      "}';\nconst style = document.head.appendChild(document.createElement('style'));\nstyle.textContent = css;",
  ],
];

const withLoadingScreen = (body: string) =>
  new Map(build).set(
    '__loading__.js',
    Buffer.from(
      `pc.script.createLoadingScreen(async function (app) {\n  await fetch(ASSET_PREFIX + ` +
        `'logo.png');\n  ${body}\n});\n`,
    ),
  );

describe("csp() reads the loading screen's styles from its code, never running it", () => {
  for (const [shape, body] of LOADING_SCREENS) {
    it(`${shape}: the <style> it inserts is hashed`, async () => {
      const { report } = await processFiles(cspStep(), withLoadingScreen(body));
      const inserted = report.sources
        .filter((s) => s.why === 'a <style> that __loading__.js inserts')
        .map((s) => s.source);
      // appended before it is filled, the <style> is checked empty first (the page's own empty <style> has that hash
      // too)
      expect(inserted).toEqual(shape.includes('appended before') ? [hash(''), hash(CSS)] : [hash(CSS)]);
    });
  }

  it('a boot script of type module is read as a module', async () => {
    const page = build.get('index.html')?.toString() ?? '';
    const files = new Map(build)
      .set(
        'boot.js',
        Buffer.from(
          "import { x } from './x.js';\nconst s = document.createElement('style');\ns.textContent = " +
            "'a{}';\ndocument.head.append(s);\n",
        ),
      )
      .set(
        'index.html',
        Buffer.from(page.replace('</body>', '<script type="module" src="boot.js"></script>\n</body>')),
      );
    const { report } = await processFiles(cspStep(), files);
    expect(report.sources).toContainEqual({
      directive: 'style-src',
      source: hash('a{}'),
      why: 'a <style> that boot.js inserts',
    });
  });

  it('a style whose text only the running page knows is refused, naming the file, the line and the fix', async () => {
    const files = withLoadingScreen(
      "var style = document.createElement('style');\nstyle.innerHTML = " +
        'buildCss(app);\ndocument.head.appendChild(style);',
    );
    expect(await refusal(() => processFiles(cspStep(), files))).toBe(
      "csp() reads the build's scripts without running them and cannot tell the text of every <style> they " +
        'insert (a classic build): __loading__.js line 4 (style.innerHTML = buildCss(app)) ' +
        'sets the text of the <style> it creates to a value only known when the page runs. ' +
        'Write it as plain text in the script, or give their hashes (check() reports each style it blocks) ' +
        "or 'unsafe-inline' with the style option and add byHand: ['styles'] to say they are covered",
    );
    const { report, notes } = await processFiles(cspStep({ style: ["'sha256-AAAA'"], byHand: ['styles'] }), files);
    expect(report.policy).toContain("'sha256-AAAA'");
    expect(notes).toContain(
      '__loading__.js line 4 (style.innerHTML = buildCss(app)) sets the text of the <style> it creates to a ' +
        'value only known when the page runs: covered by hand in the style option (byHand)',
    );
    expect(await refusal(() => cspStep({ byHand: ['styles'] }))).toBe(
      "csp option byHand: ['styles'] says the style option covers them, but it lists nothing: give their sources there",
    );
  });

  it('an image whose URL only the running page knows is refused too; a known one is allowed', async () => {
    const shown = withLoadingScreen(
      "var logo = new Image();\nlogo.src = ASSET_PREFIX + 'logo.png';\nvar other = " +
        "document.createElement('img');\nother.src = pick();",
    );
    expect(await refusal(() => processFiles(cspStep(), shown))).toMatch(
      new RegExp(
        String.raw`^csp\(\) reads the build's scripts without running them and cannot tell every image ` +
          String.raw`they insert \(a classic build\): __loading__\.js line 6 \(other\.src = pick\(\)\) ` +
          String.raw`shows an image whose URL is only known when the page runs\. ` +
          String.raw`.* give the origins they load from with the img option and add byHand: \['images'\]`,
      ),
    );
    const { report } = await processFiles(cspStep({ img: ['https://images.example.com'], byHand: ['images'] }), shown);
    expect(report.sources).toContainEqual({
      directive: 'img-src',
      source: "'self'",
      why: 'the loading screen shows logo.png',
    });
  });
});

describe('the settings, read without running them', () => {
  /** `__settings__.js` as engine 1.x builds write it: globals without `window.`, preferWebGl2. */
  const ENGINE_1 =
    `ASSET_PREFIX = "";
SCRIPT_PREFIX = "";
var SCENE_PATH = "2000.json";
CONTEXT_OPTIONS = {
    'antialias': true,
    'alpha': false,
    'preserveDrawingBuffer': false,
    'preferWebGl2': true,
    'powerPreference': "default"
};
SCRIPTS = [ 3000 ];
CONFIG_FILENAME = "config.json";
INPUT_SETTINGS = { useKeyboard: true, useMouse: true, useGamepads: false, useTouch: true };
pc.script.legacy = false;
PRELOAD_MODULES = [
    {'moduleName' : 'Ammo', 'glueUrl' : 'files/assets/7/1/ammo.wasm.js',` +
    ` 'wasmUrl' : 'files/assets/7/1/ammo.wasm.wasm', 'fallbackUrl' : 'files/assets/7/1/ammo.js', 'preload' : true},
];
`;

  it('the engine 1.x form: the same policy as the window. form, the prefixes rewritten in place', async () => {
    const files = new Map(build).set('__settings__.js', Buffer.from(ENGINE_1));
    const { report } = await processFiles(cspStep(), files);
    expect(report.sources).toContainEqual({
      directive: 'script-src',
      source: "'wasm-unsafe-eval'",
      why: 'the build preloads WebAssembly module Ammo',
    });
    expect(report.sources).toContainEqual({
      directive: 'connect-src',
      source: "'self'",
      why: 'the engine fetches the scene 2000.json',
    });
    const { files: prefixed } = await processFiles(assetPrefixStep('https://cdn.example.com/'), files);
    expect(prefixed.get('__settings__.js')?.toString()).toBe(
      ENGINE_1.replace('ASSET_PREFIX = ""', 'ASSET_PREFIX = "https://cdn.example.com/"')
        .replace('SCRIPT_PREFIX = ""', 'SCRIPT_PREFIX = "https://cdn.example.com/"')
        .replace('CONFIG_FILENAME = "config.json"', 'CONFIG_FILENAME = "https://cdn.example.com/config.json"'),
    );
  });

  it('a single file of the 1.x form empties the prefixes and names the preloaded module it cannot embed', async () => {
    const files = new Map(build).set(
      '__settings__.js',
      Buffer.from(ENGINE_1.replace('ASSET_PREFIX = ""', 'ASSET_PREFIX = "https://cdn/"')),
    );
    const { files: single, notes } = await processFiles(singleFileStep(), files);
    expect(single.get('index.html')?.toString()).toContain('ASSET_PREFIX = "";');
    expect(notes).toContain(
      'module Ammo (files/assets/7/1/ammo.wasm.js) is not in the build: the single file cannot embed it',
    );
  });
});

describe('a boot script nested deeper than the parser reaches', () => {
  // acorn gives up at about 700 nested parentheses (its "Not enough stack space to parse input" is a
  // SyntaxError); Chromium runs 20,000. Such a script runs in the page, so what it inserts is unknown.
  const deep = (n: number) => `var deep = ${'('.repeat(n)}1${')'.repeat(n)};`;

  it(
    'a loading screen with 2,000 nested parentheses is refused as too deep, ' +
      'not passed over as "does nothing in the page"',
    async () => {
      const files = withLoadingScreen(
        `${deep(2000)}\nvar s = document.createElement('style');\ns.textContent = 'a{}';\ndocument.head.append(s);`,
      );
      const message = await refusal(() => processFiles(cspStep(), files));
      expect(message).toContain('__loading__.js nests too deeply to be read');
      expect(message).not.toContain('does nothing in the page');
    },
  );

  it('a loading screen with a real syntax error still does nothing, and the note keeps the reason', async () => {
    const { notes } = await processFiles(cspStep(), withLoadingScreen('var = ;'));
    expect(notes.join('\n')).toMatch(
      new RegExp(
        String.raw`__loading__\.js is not JavaScript a browser can run \(Unexpected token ` +
          String.raw`\(\d+:\d+\)\): it does nothing in the page`,
      ),
    );
  });
});
