import type { Checker } from '@gulp-playcanvas/playcanvas-build-check';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { cspStep, PostprocessError, processFiles, singleFileStep } from '@gulp-playcanvas/playcanvas-postprocess';
import {
  BROWSER,
  browserTest,
  buildFiles,
  EDITOR_LAYOUTS,
  LAYOUT_ENGINE,
  layoutFixtures,
  openSharedChecker,
  startMock,
} from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * singleFile() on every layout the mock exports (EDITOR_LAYOUTS: classic, concatenated, 1.x, ES modules,
 * concatenated ES modules, mixed), each with the realistic asset mix: a font with two atlas pages, sprites, a
 * cubemap, audio, a GLB, a WebAssembly module (glue, wasm, fallback). Each is made a single file once, given its
 * csp(), read, and booted once through check() in the run's browser, which records every request.
 */

/** The scripts each layout project registers (each pushes its name to window.__scriptsRan), its first asset id. */
const PROJECTS: Record<number, { scripts: string[]; firstAsset: number }> = {
  1002: { scripts: ['gallerySpin', 'cameraOrbit'], firstAsset: 5000 },
  1003: { scripts: ['gardenSpin', 'orbitCamera', 'leafSway'], firstAsset: 6000 },
  1004: { scripts: ['harbourLights', 'buoyBob', 'craneLift', 'tideGauge'], firstAsset: 7000 },
};
const projectOf = (body: Record<string, unknown>) => PROJECTS[body.project_id as number] as (typeof PROJECTS)[number];

let server: MockServer;
let checker: Checker | undefined;
const singles = new Map<string, Map<string, Buffer> | Error>();
const builds = new Map<string, Map<string, Buffer>>();
beforeAll(async () => {
  server = await startMock({ fixtures: layoutFixtures(), pollsToComplete: 1 });
  for (const layout of EDITOR_LAYOUTS) {
    try {
      builds.set(layout.name, await buildFiles(server, layout.body));
      const single = await processFiles(singleFileStep(), builds.get(layout.name) as Map<string, Buffer>);
      singles.set(layout.name, (await processFiles(cspStep(), single.files)).files);
    } catch (error) {
      singles.set(layout.name, error as Error);
    }
  }
  if (BROWSER) checker = await openSharedChecker();
}, 300_000);
afterAll(async () => {
  await checker?.close();
  await server?.close();
});

function single(name: string): Map<string, Buffer> {
  const files = singles.get(name);
  if (files instanceof Error) throw files;
  if (!files) throw new Error(`no single file for ${name}`);
  return files;
}

describe('singleFile() on every layout: one page with every file the engine asks for', () => {
  it.each(EDITOR_LAYOUTS.map((l) => [l.name, l.body] as const))(
    '%s: the font pages, the module, the scenes are blocks of the page',
    (name, body) => {
      const html = single(name).get('index.html')?.toString() ?? '';
      expect([...single(name).keys()]).toEqual(['index.html']);
      const first = projectOf(body).firstAsset;
      const scene = `${(body.scenes as number[])[0]}.json`;
      const wanted = [
        `files/assets/${first}/1/Gallery Sans1.png`,
        `files/assets/${first}/1/Gallery Sans.png`,
        `files/assets/${first + 15}/1/adder.wasm.wasm`,
        scene,
        'config.json',
      ];
      for (const path of wanted)
        expect(html.includes(`data-pc-file="${path}"`), `${path} is a block of the page`).toBe(true);
      // nothing is loaded from a URL: no src, no stylesheet link, no import map left to resolve
      expect(
        /<script[^>]*\ssrc=|<link[^>]*stylesheet|type="importmap"/.test(html),
        'a script, stylesheet or import map',
      ).toBe(false);
      // ES module builds are one module; a hash-only script policy
      if (!name.startsWith('classic')) expect(html.match(/<script type="module"/g)?.length).toBe(1);
      const policy = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
      expect(policy).toMatch(/script-src [^;]*'sha256-/);
      expect(policy).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
    },
  );
});

/**
 * The app ran what a single file carries: its WebAssembly module, every script, and (where window.pc lets the
 * page be read) both atlas pages of the two-page font, as the engine loaded them.
 */
const carried = (body: Record<string, unknown>) => `(() => {
  const ran = window.__scriptsRan || [];
  const scripts = ${JSON.stringify(projectOf(body).scripts)};
  if (window.__wasmLoaded !== 'wasm:5' || !scripts.every((s) => ran.includes(s))) return false;
  if (!window.pc) return true;
  const font = (window.pc.AppBase ?? window.pc.Application).getApplication()?.assets.find('Gallery Sans.ttf', 'font');
  return font?.resource?.textures?.length === 2;
})()`;

const QUICK = { viewport: { width: 320, height: 180 }, frames: 5, timeout: 30_000 };

/** The requests a boot made past blob: URLs (memory) and the favicon Chromium asks for itself, as protocol and path. */
const fetched = (requests: ReadonlyArray<{ url: string }>) =>
  requests
    .map((r) => new URL(r.url))
    .filter((u) => u.protocol !== 'blob:' && u.pathname !== '/favicon.ico')
    .map((u) => `${u.protocol}${u.pathname}`);

describe('check() on every layout made one file by singleFile(), under its csp()', () => {
  for (const { name, body } of EDITOR_LAYOUTS) {
    browserTest(
      `${name}: one page, no other request, boots and draws under a hash-only policy, runs its module and scripts`,
      async () => {
        const policy = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(
          single(name).get('index.html')?.toString() ?? '',
        )?.[1];
        // hashes only (the module loader's blob: for the wasm of ES module builds): no 'self', no 'unsafe-inline'
        expect(policy).toMatch(/script-src( 'sha256-[A-Za-z0-9+/=]+')+ 'wasm-unsafe-eval'( blob:)?;/);
        const result = await (checker as Checker).check(single(name), { ...QUICK, until: carried(body) });
        expect(result.problems).toEqual([]);
        expect(result.frames).toBeGreaterThanOrEqual(5);
        expect(result.engineVersion).toBe(LAYOUT_ENGINE[name]);
        // the module's glue and bytes are handed to the engine as blob: URLs (memory); nothing else is requested
        expect(fetched(result.requests)).toEqual(['http:/index.html']);
      },
      120_000,
    );
  }
});

describe('singleFile() refuses what a playable cannot carry, naming it and the fix', () => {
  async function refusal(files: Map<string, Buffer>, options = {}): Promise<string> {
    const error = await processFiles(singleFileStep(options), files).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PostprocessError);
    return (error as Error).message;
  }

  it('a module the import map sends to another origin, a bare import it does not name', async () => {
    const build = new Map(builds.get('esm'));
    const page = (build.get('index.html') as Buffer).toString();
    const mapped = page.replace(
      '"playcanvas": "./js/playcanvas-stable.min.mjs"',
      '"playcanvas": "./js/playcanvas-stable.min.mjs",\n    "tween": "https://cdn.example.com/tween.mjs"',
    );
    expect(mapped).not.toBe(page);
    const index = (build.get('js/index.mjs') as Buffer).toString();
    build.set('index.html', Buffer.from(mapped));
    build.set('js/index.mjs', Buffer.from(`import { Tween } from 'tween';\n${index}`));
    expect(await refusal(build)).toBe(
      'js/index.mjs imports "tween", from https://cdn.example.com, another origin: ' +
        'a single file (a playable) may not fetch; put the module into the project (a script ' +
        'asset) so that the build has it',
    );
    build.set('js/index.mjs', Buffer.from(`import { Tween } from 'tween-lib';\n${index}`));
    expect(await refusal(build)).toBe(
      `js/index.mjs imports "tween-lib", which the page's import map does not name: ` +
        `add it to the project's import map, or import it by a relative path`,
    );
  });
});

describe('singleFile({ compress: true }) on ES module layouts: the module gzipped, run in the page', () => {
  for (const name of ['esm', 'mixed concatenated']) {
    browserTest(
      `${name}: the bundle is a gzipped block, the page well under half the size, boots under its csp()`,
      async () => {
        const build = builds.get(name) as Map<string, Buffer>;
        const body = EDITOR_LAYOUTS.find((l) => l.name === name)?.body as Record<string, unknown>;
        const compressed = await processFiles(singleFileStep({ compress: true }), build);
        const { files } = await processFiles(cspStep(), compressed.files);
        const html = files.get('index.html')?.toString() ?? '';
        expect(html).not.toMatch(/<script type="module"/);
        expect(html).toMatch(/<script type="text\/plain" data-pc-file="js\/index\.mjs" data-pc-encoding="gzip-base64"/);
        const plain = single(name).get('index.html')?.length as number;
        expect(html.length).toBeLessThan(plain / 2);
        const result = await (checker as Checker).check(files, { ...QUICK, until: carried(body) });
        expect(result.problems).toEqual([]);
        expect(result.engineVersion).toBe(LAYOUT_ENGINE[name]);
        expect(fetched(result.requests)).toEqual(['http:/index.html']);
      },
      120_000,
    );
  }
});

describe('singleFile() on engine shapes the mock does not ship', () => {
  browserTest(
    "an engine that requires a Node built-in on a path only Node takes (2.13–2.18's splat " +
      'sorter) still bundles and boots',
    async () => {
      const build = new Map(builds.get('esm'));
      const engine = (build.get('js/playcanvas-stable.min.mjs') as Buffer).toString();
      // as those engines have it: a real require() call, reached only where `process` is Node's
      const nodeOnly =
        "function nodeSorterWorker() { return require('node:worker_threads').Worker; " +
        "}\nif (typeof process !== 'undefined' && process.versions?.node) nodeSorterWorker();\n";
      build.set('js/playcanvas-stable.min.mjs', Buffer.from(`${engine}\n${nodeOnly}`));
      const single = await processFiles(singleFileStep(), build);
      const { files } = await processFiles(cspStep(), single.files);
      expect([...files.keys()]).toEqual(['index.html']);
      const scripts = JSON.stringify(projectOf({ project_id: 1003 }).scripts);
      const until = `${scripts}.every((s) => (window.__scriptsRan || []).includes(s))`;
      const result = await (checker as Checker).check(files, { ...QUICK, until });
      expect(result.problems).toEqual([]);
      expect(fetched(result.requests)).toEqual(['http:/index.html']);
    },
    90_000,
  );
});
