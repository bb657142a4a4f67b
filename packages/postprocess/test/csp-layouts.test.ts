import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cspStep } from '../src/index.js';
import { bootScriptEffects } from '../src/inline-styles.js';
import { refusal } from './helpers.js';
import {
  APPLICATION_START,
  applicationMediaQuery,
  esmConcatenatedFiles,
  esmFiles,
  esmMediaQuery,
  LOADING_CSS,
  runAsAdapter,
} from './layout-shapes.js';

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const EMPTY = hash('');

describe('csp() on the shapes of every layout (read, never run)', () => {
  it('our shapes hash as the real exports do (1280×720: the hashes read off real 2.13-2.20 and 1.54 builds)', () => {
    expect(hash(esmMediaQuery(1280, 720))).toBe("'sha256-zbcoFDuaa6kF55XtoF58h6xvUu/LB+wZyDoQSd2Bt8Q='");
    expect(hash(applicationMediaQuery(1280, 720))).toBe("'sha256-+dpsAFATA/yP1kinEk3ZekMimaxwLvd3DqzJZ2ydeok='");
  });

  it(
    'the old Application template: the media query concatenated in configureCss(fillMode, ' +
      'width, height), W/H from its one call',
    () => {
      const effects = bootScriptEffects(APPLICATION_START, '__start__.js', {
        globals: () => undefined,
        firstStyleText: '',
        members: { 'app._width': 960, 'app._height': 540 },
      });
      expect(effects.unreadableStyles).toEqual([]);
      expect(effects.styles).toEqual([applicationMediaQuery(960, 540)]);
      // a second call with other values: the width is no longer one value, so the style is unreadable
      const twice = APPLICATION_START.replace(
        'configureCss(app._fillMode, app._width, app._height);',
        '$& configureCss(0, 1, 2);',
      );
      const unknown = bootScriptEffects(twice, '__start__.js', {
        globals: () => undefined,
        firstStyleText: '',
        members: { 'app._width': 960 },
      });
      expect(unknown.unreadableStyles[0]).toMatch(/^__start__\.js line \d+ .* only known when the page runs/);
    },
  );

  it('the 2.10 ES module bootstrap: function initCSS(canvas, fillMode, width, height), called once', async () => {
    const files = esmFiles();
    const index = files.get('js/index.mjs')?.toString() ?? '';
    const older = index
      .replace('function initCSS() {', 'function initCSS(canvas, fillMode, width, height) {')
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholders of the bootstrap's own template literal
      .replace('${app._width}/${app._height}', '${width}/${height}')
      .replace('initCSS();', 'initCSS(canvas, app._fillMode, app._width, app._height);');
    expect(older).not.toBe(index);
    files.set('js/index.mjs', Buffer.from(older));
    const { report } = await runAsAdapter(cspStep(), files);
    expect(report.policy).toContain(hash(esmMediaQuery(1280, 720)));
  });

  it(
    'an ES module build: the import map, the media query and the loading CSS, ' +
      'read through js/index.mjs and its imports',
    async () => {
      const { report } = await runAsAdapter(cspStep(), esmFiles());
      const policy = report.policy;
      const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(
        esmFiles().get('index.html')?.toString() ?? '',
      )?.[1] as string;
      expect(policy).toContain(`script-src ${hash(importMap)} https://cdn.example.org 'self';`);
      expect(policy).toContain(`style-src 'self' ${EMPTY} ${hash(esmMediaQuery(1280, 720))} ${hash(LOADING_CSS)};`);
      expect(policy).not.toMatch(/unsafe-eval|unsafe-inline|blob:/);
      expect(report.sources.find((s) => s.source === hash(LOADING_CSS))?.why).toBe(
        'a <style> that js/__loading__.mjs inserts',
      );
      expect(report.sources.find((s) => s.directive === 'img-src')?.why).toBe('the loading screen shows logo.png');
    },
  );

  it('a concatenated ES module build: the same, read from the settings constants inside js/index.mjs on', async () => {
    const { report } = await runAsAdapter(cspStep(), esmConcatenatedFiles());
    expect(report.policy).toContain(
      `style-src 'self' ${EMPTY} ${hash(esmMediaQuery(1280, 720))} ${hash(LOADING_CSS)};`,
    );
    expect(report.policy).toContain(`script-src ${hash('\n      {\n  "imports": {}\n}\n    ')} 'self';`);
    expect(report.sources.filter((s) => s.why.includes('js/index.mjs inserts'))).toHaveLength(2);
  });

  it(
    "an ES module script needs no 'unsafe-eval' in an ES module build (the engine imports it), " +
      'a classic engine does',
    async () => {
      const files = esmFiles();
      const config = {
        application_properties: { width: 1280, height: 720 },
        scenes: [],
        assets: {
          7: { name: 'spin.mjs', type: 'script', file: { url: './js/esm-scripts/Scripts Folder/spin.mjs' }, data: {} },
        },
      };
      files.set('config.json', Buffer.from(JSON.stringify(config)));
      const { report } = await runAsAdapter(cspStep(), files);
      expect(report.policy).not.toContain('unsafe-eval');
      expect(report.sources.find((s) => s.why === 'the engine loads script spin.mjs')?.source).toBe("'self'");
    },
  );

  it('a loading screen keeping its <style> in a variable set to null first (as custom ones do) is read', async () => {
    const files = esmFiles();
    const custom = `import { script } from './playcanvas-stable.min.mjs';
script.createLoadingScreen(function (app) {
    var css = null;
    function createStyles() {
        css = document.createElement('style');
        css.id = 'loading-screen-styles';
        css.textContent = ['.root{display:grid}', '.bar{height:12px}'].join('');
        document.head.appendChild(css);
    }
    function destroy() {
        if (css && css.parentNode) css.parentNode.removeChild(css);
    }
    createStyles();
    app.on('start', destroy);
});
`;
    files.set('js/__loading__.mjs', Buffer.from(custom));
    const { report } = await runAsAdapter(cspStep(), files);
    expect(report.policy).toContain(hash('.root{display:grid}.bar{height:12px}'));
  });

  it(
    "what a loading screen's CSS and markup load: url() " + 'images and fonts, <img src> in the markup it writes',
    async () => {
      const files = esmFiles();
      const custom =
        `import { script } from './playcanvas-stable.min.mjs';
script.createLoadingScreen(function (app) {
    const style = document.createElement('style');
    style.textContent = "@font-face{font-family:A;src:url('https://fonts.example.net/a.woff2')}" +
        ".root{background:url(https://img.example.com/bg.png) center}.dot{background:url('data:image/png;base64,` +
        `AA==')}";
    document.head.appendChild(style);
    const root = document.createElement('div');
    root.innerHTML = '<div class="box"><img class="logo" src="https://cdn.example.org/logo.png"></div>';
    document.body.appendChild(root);
});
`;
      files.set('js/__loading__.mjs', Buffer.from(custom));
      const { report } = await runAsAdapter(cspStep(), files);
      expect(report.policy).toContain('img-src https://img.example.com data: https://cdn.example.org;');
      expect(report.policy).toContain('font-src https://fonts.example.net;');
      expect(report.sources.find((s) => s.source === 'https://img.example.com')?.why).toBe(
        'a <style> that js/__loading__.mjs inserts loads https://img.example.com/bg.png',
      );
    },
  );

  it('a loading screen whose CSS only the page knows is refused, naming the layout, file and byHand fix', async () => {
    const files = esmFiles();
    const loading = files.get('js/__loading__.mjs')?.toString() ?? '';
    files.set(
      'js/__loading__.mjs',
      Buffer.from(loading.replace('style.textContent = css;', 'style.textContent = css + location.hash;')),
    );
    const message = await refusal(() => runAsAdapter(cspStep(), files));
    expect(message).toMatch(
      /cannot tell the text of every <style> they insert \(an ES module build\): js\/__loading__\.mjs line \d+/,
    );
    expect(message).toContain("byHand: ['styles']");
  });
});
