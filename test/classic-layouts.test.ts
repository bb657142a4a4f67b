import { deflateRawSync } from 'node:zlib';
import type { Checker, CheckResult } from '@gulp-playcanvas/playcanvas-build-check';
import { LEGACY_ENGINE_VERSION, type MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import {
  BROWSER,
  browserTest,
  buildFiles,
  EDITOR_LAYOUTS,
  fixturesWith,
  layoutFixtures,
  openSharedChecker,
  startMock,
  writeFolder,
} from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The mock's classic layouts (project 1002 "Asset Gallery") against what real Editor exports contain. The
 * expectations come from builds read for docs/research/editor-builds.md (cited per expectation); none of their files
 * is copied here. Each layout is built once and booted once.
 */

const CLASSIC = EDITOR_LAYOUTS.filter((l) => l.name.startsWith('classic'));
const FAST = { viewport: { width: 320, height: 180 }, frames: 5, timeout: 30_000 };
/** The module ran its wasm (not the fallback), and the project's two scripts initialised. */
const READY =
  "window.__wasmLoaded === 'wasm:5' && ['gallerySpin', 'cameraOrbit'].every((s) " +
  '=> (window.__scriptsRan || []).includes(s))';

let server: MockServer;
let checker: Checker | undefined;
const builds = new Map<string, Map<string, Buffer>>();
beforeAll(async () => {
  server = await startMock({ fixtures: layoutFixtures(), pollsToComplete: 1 });
  for (const layout of CLASSIC) builds.set(layout.name, await buildFiles(server, layout.body));
  if (BROWSER) checker = await openSharedChecker();
}, 60_000);
afterAll(async () => {
  await checker?.close();
  await server?.close();
});

const filesOf = (name: string) => builds.get(name) as Map<string, Buffer>;
const text = (name: string, file: string) => {
  const content = filesOf(name).get(file);
  if (!content) throw new Error(`${name}: no ${file} in the build`);
  return content.toString('utf8');
};
const config = (name: string) => JSON.parse(text(name, 'config.json'));

describe('each classic layout boots in Chromium with every asset it fetches', () => {
  for (const layout of CLASSIC) {
    browserTest(
      layout.name,
      async () => {
        const files = filesOf(layout.name);
        const result: CheckResult = await (checker as Checker).check(await writeFolder(files), {
          ...FAST,
          until: READY,
        });
        expect(result.problems).toEqual([]);
        expect(result.engineVersion).toBe(layout.name === 'classic 1.x' ? LEGACY_ENGINE_VERSION : '2.23.3');
        const failed = result.requests.filter((r) => r.status !== 200 && !r.url.endsWith('/favicon.ico'));
        expect(failed).toEqual([]);
        const fetched = new Set(result.requests.map((r) => new URL(r.url).pathname.slice(1)));
        // every preloaded asset with a file, the second atlas page of the two-page font, the wasm module and its glue
        const doc = config(layout.name);
        const preloaded = Object.values<any>(doc.assets).filter((a) => a.preload && a.file && a.type !== 'script');
        expect(preloaded.length).toBeGreaterThan(12);
        for (const asset of preloaded) expect(fetched, asset.file.url).toContain(asset.file.url);
        expect(fetched).toContain('files/assets/5000/1/Gallery%20Sans1.png');
        expect(files.has('files/assets/5000/1/Gallery Sans1.png')).toBe(true);
        expect(fetched).toContain('files/assets/5015/1/adder.wasm.wasm');
        expect(fetched).toContain('files/assets/5016/1/adder.wasm.js');
        expect(fetched).toContain('2200.json');
      },
      90_000,
    );
  }
});

describe('the classic layouts have the files and bootstrap of real exports', () => {
  // root files of real classic exports: C2 FITFUNS/ssq-rf-house @e7c61c6 (1.58.2), C6 208model/testviewar @0808520
  // (2.12.4), both not concatenated; C7 Kabutuarne/LiepajasRAS_3D_Spele @6f51ff5 (2.13.2) adds __game-scripts.js
  const ROOT = [
    '__loading__.js',
    '__modules__.js',
    '__settings__.js',
    '__start__.js',
    'config.json',
    'index.html',
    'logo.png',
    'manifest.json',
  ];
  it.each(CLASSIC.map((l) => [l.name]))('%s: the file list', (name) => {
    const root = [...filesOf(name).keys()].filter((f) => !f.includes('/')).sort();
    const expected = [...ROOT, 'playcanvas-stable.min.js', 'styles.css', '2200.json', '2201.json', '2202.json'];
    if (name === 'classic concatenated') expected.push('__game-scripts.js');
    expect(root).toEqual(expected.sort());
    expect([...filesOf(name).keys()].filter((f) => f.includes('/')).every((f) => f.startsWith('files/assets/'))).toBe(
      true,
    );
  });

  it('classic (2.x): window. settings with deviceTypes, new pc.AppBase, __modules__.js via the engine (C6, C7)', () => {
    const settings = text('classic', '__settings__.js');
    expect(settings).toMatch(/^window\.ASSET_PREFIX = "";$/m);
    expect(settings).toContain("'deviceTypes': [`webgl2`, `webgl1`],");
    expect(settings).not.toContain('preferWebGl2');
    expect(text('classic', '__start__.js')).toContain('var app = new pc.AppBase(canvas);');
    expect(text('classic', '__start__.js')).toContain(
      'loadModules(window.PRELOAD_MODULES, window.ASSET_PREFIX, () => {',
    );
    expect(text('classic', '__modules__.js')).toContain('pc.WasmModule.setConfig(m.moduleName, {');
    expect(text('classic', 'playcanvas-stable.min.js')).toMatch(
      /^\/\*\*\n \* @license\n \* PlayCanvas Engine v2\.23\.3/,
    );
  });

  it(
    'classic 1.x: bare globals with preferWebGl2, new pc.Application, ' +
      'the media query concatenated, the old loader (C1, C2)',
    () => {
      const settings = text('classic 1.x', '__settings__.js');
      expect(settings).toMatch(/^ASSET_PREFIX = "";$/m);
      expect(settings).toMatch(/^PRELOAD_MODULES = \[$/m);
      expect(settings).not.toMatch(/^window\./m);
      expect(settings).toContain("'preferWebGl2': true,");
      const start = text('classic 1.x', '__start__.js');
      expect(start).toContain('app = new pc.Application(canvas, {');
      expect(start).toContain('var css  = "@media screen and (min-aspect-ratio: " + width + "/" + height + ") {";');
      expect(start).toContain('loadModules(PRELOAD_MODULES, ASSET_PREFIX, configure);');
      expect(start).not.toContain('AppBase');
      const modules = text('classic 1.x', '__modules__.js');
      expect(modules).toContain('new WebAssembly.Module(Uint8Array.of(0x0, 0x61, 0x73, 0x6d');
      expect(modules).not.toContain('pc.WasmModule');
      expect(text('classic 1.x', 'playcanvas-stable.min.js')).toContain(`"${LEGACY_ENGINE_VERSION}"`);
      // C2's 1.58.2 export carries its prefiltered cubemap as a .dds
      expect(config('classic 1.x').assets['5010'].file.url).toBe('files/assets/5010/1/sky.dds');
    },
  );

  it.each(CLASSIC.map((l) => [l.name]))(
    '%s: the PRELOAD_MODULES line and the module as three assets (C2, C7)',
    (name) => {
      // one line per module, single-quoted keys, spaces around ':', a trailing comma; glue, wasm, fallback three ids
      const line =
        "    {'moduleName' : 'Adder', 'glueUrl' : 'files/assets/5016/1/adder.wasm.js', 'wasmUrl' : " +
        "'files/assets/5015/1/adder.wasm.wasm', " +
        "'fallbackUrl' : 'files/assets/5017/1/adder.js', 'preload' : true},\n];";
      expect(text(name, '__settings__.js')).toContain(line);
      expect(text(name, 'index.html')).toMatch(
        /<body>\n {4}<script src="__modules__.js"><\/script>\n {4}<script src="__start__.js"><\/script>/,
      );
      const { assets, application_properties: app } = config(name);
      expect(assets['5015']).toMatchObject({
        type: 'wasm',
        preload: false,
        data: { moduleName: 'Adder', glueScriptId: 5016, fallbackScriptId: 5017, loadingType: 0 },
      });
      for (const id of ['5016', '5017']) {
        expect(assets[id]).toMatchObject({
          type: 'script',
          preload: false,
          data: { order: 100, loadingType: 0, loading: false },
        });
        expect(assets[id].file.url).toBe(`files/assets/${id}/1/${assets[id].file.filename}`);
      }
      expect(app.scripts).toEqual([5100, 5101]);
    },
  );

  it.each(CLASSIC.map((l) => [l.name]))('%s: config.json as real ones (§2.7)', (name) => {
    const raw = filesOf(name).get('config.json') as Buffer;
    // over 1 MB, as real builds with CJK fonts: here 7000 glyphs of "Mincho 明朝" inline
    expect(raw.length).toBeGreaterThan(1_048_576);
    const { assets, application_properties: app } = config(name);
    expect(app).not.toHaveProperty('engineVersion');
    if (name === 'classic 1.x') expect(app).toMatchObject({ preferWebGl2: true, useModelV2: false, vr: false });
    else expect(app).toMatchObject({ engineV2: true, editor: {}, enableSharedArrayBuffer: false });
    // fonts: the PNG atlas is the file, glyphs inline, page 2 beside it as <Face>1.png
    expect(assets['5000'].file.url).toBe('files/assets/5000/1/Gallery%20Sans.png');
    expect(assets['5000'].data).toMatchObject({
      version: 2,
      info: { face: 'Gallery Sans', maps: [{ width: 256 }, { width: 256 }] },
    });
    expect(assets['5000'].data.chars['223']).toMatchObject({ letter: 'ß', map: 1 });
    expect(Object.keys(assets['5001'].data.chars)).toHaveLength(7000);
    // file.url percent-encoded, the zip entry raw (C2 "Bboy%20Hip%20Hop%20Move.glb"; §2.7 "Armature%7C…", "%C3%B6")
    const raw_ = (id: string) => decodeURIComponent(assets[id].file.url);
    expect(assets['5001'].file.url).toBe('files/assets/5001/1/Mincho%20%E6%98%8E%E6%9C%9D.png');
    expect(assets['5011'].file.url).toBe('files/assets/5011/1/Kl%C3%A4nge.wav');
    expect(assets['5014'].file.url).toBe('files/assets/5014/1/Armature%7CSpin.glb');
    for (const id of ['5000', '5001', '5011', '5014']) expect(filesOf(name).has(raw_(id)), raw_(id)).toBe(true);
    // sprites and render assets have no file; atlases carry frames; cubemaps name six faces (C7)
    expect(assets['5003']).toMatchObject({
      type: 'sprite',
      file: null,
      data: { textureAtlasAsset: 5002, frameKeys: ['1'] },
    });
    expect(assets['5002'].data.frames['1']).toMatchObject({ name: 'Frame 1', rect: [0, 0, 32, 32] });
    expect(assets['5013']).toMatchObject({
      type: 'render',
      file: null,
      data: { containerAsset: 5012, renderIndex: 0 },
    });
    expect(assets['5010'].data).toMatchObject({ textures: [5004, 5005, 5006, 5007, 5008, 5009], rgbm: true });
    expect(assets['5014']).toMatchObject({ type: 'animation', data: null });
    for (const asset of Object.values<any>(assets))
      if (asset.file)
        expect(filesOf(name).has(decodeURIComponent(asset.file.url)) || asset.file.url === '__game-scripts.js').toBe(
          true,
        );
  });

  it('scripts: the original source when separate (C6), minified into __game-scripts.js when concatenated (C7)', () => {
    expect(text('classic', 'files/assets/5101/3/Camera Orbit.js')).toMatch(/^\/\/ Camera Orbit\.js: generated/);
    expect(config('classic').assets['5101'].file.url).toBe('files/assets/5101/3/Camera%20Orbit.js');
    const concatenated = config('classic concatenated').assets;
    expect(concatenated['5100'].file.url).toBe('__game-scripts.js');
    expect(text('classic concatenated', '__game-scripts.js')).toMatch(
      /^var GallerySpin=pc\.createScript\("gallerySpin"\)/,
    );
    // module glue and fallback stay separate files (C7: ammo.wasm.js, ammo.js)
    expect(concatenated['5016'].file.url).toBe('files/assets/5016/1/adder.wasm.js');
  });

  it(
    'the scenes use the mix: a label per font drawing from its last page, ' +
      'sprite, sound, render + animation, skybox',
    () => {
      const { assets } = config('classic');
      for (const sceneFile of ['2200.json', '2201.json', '2202.json']) {
        const scene = JSON.parse(text('classic', sceneFile));
        const components = Object.values<any>(scene.entities).map((e) => e.components);
        const label = components.find((c) => c.element?.fontAsset === 5000).element;
        const pages = [...label.text]
          .filter((c) => c !== ' ')
          .map((c) => assets['5000'].data.chars[String(c.codePointAt(0))].map);
        expect(pages).toContain(1);
        expect(components.some((c) => c.element?.fontAsset === 5001)).toBe(true);
        expect(components.some((c) => c.sprite?.spriteAsset === 5003)).toBe(true);
        expect(components.some((c) => c.sound?.slots['1'].asset === 5011)).toBe(true);
        expect(components.some((c) => c.render?.asset === 5013 && c.animation?.assets[0] === 5014)).toBe(true);
        expect(scene.settings.render.skybox).toBe(5010);
      }
    },
  );

  it('manifest.json: name and short_name are the project name, not cut (C5, C6)', () => {
    expect(JSON.parse(text('classic', 'manifest.json'))).toMatchObject({
      name: 'Asset Gallery',
      short_name: 'Asset Gallery',
    });
  });

  it('the build stays small: under 1.5 MB deflated besides the engine', () => {
    for (const layout of CLASSIC) {
      let bytes = 0;
      for (const [name, content] of filesOf(layout.name))
        if (name !== 'playcanvas-stable.min.js') bytes += deflateRawSync(content).length;
      expect(bytes, layout.name).toBeLessThan(1_500_000);
    }
  });
});

describe('engine versions', () => {
  it('a project with ES module scripts asked for the 1.x engine: the job fails, saying why', async () => {
    const mock = await startMock({
      fixtures: fixturesWith({
        id: 1300,
        assets: [{ id: 3000, name: 'player.mjs', type: 'script', filename: 'player.mjs' }],
      }),
      pollsToComplete: 1,
    });
    try {
      const body = { project_id: 1300, name: 'Modules', scenes: [2000], engine_version: LEGACY_ENGINE_VERSION };
      await expect(buildFiles(mock, body)).rejects.toThrow(
        `Project 1300 has ES module scripts (player.mjs), which need engine 2: ` +
          `it cannot be built with engine ${LEGACY_ENGINE_VERSION}`,
      );
    } finally {
      await mock.close();
    }
  });
});
