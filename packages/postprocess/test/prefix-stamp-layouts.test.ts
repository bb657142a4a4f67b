import { describe, expect, it } from 'vitest';
import { assetPrefixStep, stampVersionStep } from '../src/index.js';
import { refusal } from './helpers.js';
import { esmConcatenatedFiles, esmFiles, runAsAdapter } from './layout-shapes.js';

const text = (files: ReadonlyMap<string, Buffer>, path: string) => files.get(path)?.toString() ?? '';
const CDN = 'https://cdn.example.com/game/';

const withModuleScript = (files: Map<string, Buffer>) => {
  const config = {
    application_properties: { width: 1280, height: 720 },
    scenes: [],
    assets: {
      7: { name: 'spin.mjs', type: 'script', file: { url: './js/esm-scripts/Scripts Folder/spin.mjs' }, data: {} },
    },
  };
  files.set('config.json', Buffer.from(JSON.stringify(config)));
  return files;
};

describe('assetPrefix() on the ES module layouts', () => {
  it(
    'sets the ES exports of js/__settings__.mjs, ' +
      'and maps the prefixed engine back to the page engine in the import map',
    async () => {
      const build = withModuleScript(esmFiles());
      const { files, changes, notes } = await runAsAdapter(assetPrefixStep(CDN), build);
      expect([...changes.keys()].sort()).toEqual(['index.html', 'js/__settings__.mjs']);
      const settings = text(files, 'js/__settings__.mjs');
      expect(settings).toContain(`const ASSET_PREFIX = "${CDN}";`);
      expect(settings).toContain(`const SCRIPT_PREFIX = "${CDN}";`);
      expect(settings).toContain(`const CONFIG_FILENAME = "${CDN}config.json";`);
      const map = JSON.parse(
        /<script type="importmap">([\s\S]*?)<\/script>/.exec(text(files, 'index.html'))?.[1] ?? '',
      );
      expect(map.imports).toEqual({
        playcanvas: './js/playcanvas-stable.min.mjs',
        tween: 'https://cdn.example.org/npm/tween@1.0.0/tween.mjs',
        [`${CDN}js/playcanvas-stable.min.mjs`]: './js/playcanvas-stable.min.mjs',
      });
      expect(notes.join('\n')).toContain('so there is one engine; host js/ with the page too');
    },
  );

  it('without ES module scripts in config.json the import map stays as it is', async () => {
    const { changes } = await runAsAdapter(assetPrefixStep(CDN), esmFiles());
    expect([...changes.keys()]).toEqual(['js/__settings__.mjs']);
  });

  it(
    'sets the minified constants inside a concatenated js/index.mjs (its scripts are in js/esm.mjs, ' +
      'not under the prefix)',
    async () => {
      const build = withModuleScript(esmConcatenatedFiles());
      const { files, changes } = await runAsAdapter(assetPrefixStep(CDN), build);
      expect([...changes.keys()]).toEqual(['js/index.mjs']);
      const bundle = text(files, 'js/index.mjs');
      expect(bundle).toContain(`const ASSET_PREFIX="${CDN}";const SCRIPT_PREFIX="${CDN}";`);
      expect(bundle).toContain(`const CONFIG_FILENAME="${CDN}config.json";`);
      expect(bundle.replaceAll(CDN, '')).toBe(text(build, 'js/index.mjs'));
    },
  );

  it('refuses an ES module build whose engine file is missing, naming the layout', async () => {
    const build = withModuleScript(esmFiles());
    build.delete('js/playcanvas-stable.min.mjs');
    expect(await refusal(() => runAsAdapter(assetPrefixStep(CDN), build))).toMatch(
      /^assetPrefix\(\) on an ES module build: the build has no js\/playcanvas\*\.mjs/,
    );
  });
});

describe('stampVersion() on the ES module layouts', () => {
  it('stamps the entry module and the settings module, never the engine or another import of it', async () => {
    const build = esmFiles();
    const { files, notes } = await runAsAdapter(stampVersionStep('2.0.1'), build);
    const html = text(files, 'index.html');
    expect(html).toContain('src="js/index.mjs?v=2.0.1"');
    expect(html).toContain('href="styles.css?v=2.0.1"');
    expect(html).toContain('"playcanvas": "./js/playcanvas-stable.min.mjs"'); // the import map untouched
    const settings = text(files, 'js/__settings__.mjs');
    expect(settings).toContain('const CONFIG_FILENAME = "config.json?v=2.0.1";');
    expect(settings).toContain('const SCENE_PATH = "1003.json?v=2.0.1";');
    expect(settings.endsWith('window.BUILD_VERSION = "2.0.1";\n')).toBe(true);
    expect(text(files, 'js/index.mjs')).toBe(text(build, 'js/index.mjs'));
    expect(notes.join('\n')).toContain('the engine above all, is loaded once');
  });

  it(
    'a concatenated build: js/index.mjs keeps its URL (js/esm.mjs imports it), ' +
      'the version goes after its settings',
    async () => {
      const { files, notes } = await runAsAdapter(stampVersionStep('2.0.1'), esmConcatenatedFiles());
      const html = text(files, 'index.html');
      expect(html).toContain('src="js/index.mjs"');
      expect(notes[0]).toBe(
        'js/index.mjs keeps its URL: js/esm.mjs imports it by that URL, and a second URL would run a second engine',
      );
      const bundle = text(files, 'js/index.mjs');
      expect(bundle).toContain('const CONFIG_FILENAME="config.json?v=2.0.1";');
      expect(bundle).toContain('const PRELOAD_MODULES=[];window.BUILD_VERSION = "2.0.1";script.legacy=false;');
      const again = await runAsAdapter(stampVersionStep('2.0.2'), files);
      const restamped = text(again.files, 'js/index.mjs');
      expect(restamped.match(/BUILD_VERSION/g)).toHaveLength(1);
      expect(restamped).toContain('window.BUILD_VERSION = "2.0.2";');
      expect(restamped).toContain('const CONFIG_FILENAME="config.json?v=2.0.2";');
    },
  );
});
