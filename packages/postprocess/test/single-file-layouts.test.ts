import { BuildCheckError, type Checker, type CheckResult, openChecker, type Problem } from 'playcanvas-build-check';
import type { MockServer } from 'playcanvas-mock-server';
import { BROWSER, browserTest, buildFiles, EDITOR_LAYOUTS, layoutFixtures, startMock } from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspStep, processFiles, singleFileStep } from '../src/index.js';

/**
 * singleFile() on every layout the mock exports (EDITOR_LAYOUTS: classic, concatenated, 1.x, and the ES module
 * layouts), each with the realistic asset mix: fonts with two atlas pages, sprites, a cubemap, audio, a GLB,
 * a WebAssembly module. Each is made a single file once, given its csp(), and booted once in one browser.
 */

const FAST = { viewport: { width: 320, height: 180 }, frames: 5, timeout: 30_000 };
/** The module ran its wasm, the project's scripts initialised, the two-page font has both pages. */
const READY = [
  "window.__wasmLoaded === 'wasm:5'",
  "['gallerySpin', 'cameraOrbit'].every((s) => (window.__scriptsRan || []).includes(s))",
  "(() => { const app = window.pc ? (pc.AppBase || pc.Application).getApplication() : null; if (!app) return true; const f = app.assets.find('Gallery Sans.ttf', 'font'); return !!f && f.loaded && f.resource.textures.length === 2; })()",
].join(' && ');
const SECOND_PAGE = 'files/assets/5000/1/Gallery Sans1.png';

let server: MockServer;
let checker: Checker | undefined;
const singles = new Map<string, Map<string, Buffer>>();
beforeAll(async () => {
  server = await startMock({ fixtures: layoutFixtures(), pollsToComplete: 1 });
  for (const layout of EDITOR_LAYOUTS) {
    const single = await processFiles(singleFileStep(), await buildFiles(server, layout.body));
    singles.set(layout.name, (await processFiles(cspStep(), single.files)).files);
  }
  if (BROWSER) checker = await openChecker();
}, 240_000);
afterAll(async () => {
  await checker?.close();
  await server?.close();
});

async function boot(files: ReadonlyMap<string, Buffer>): Promise<{ result: CheckResult; problems: Problem[] }> {
  try {
    return { result: await (checker as Checker).check(files, { ...FAST, until: READY }), problems: [] };
  } catch (error) {
    if (!(error instanceof BuildCheckError)) throw error;
    return { result: error.result, problems: error.problems };
  }
}

describe('singleFile() on every layout: one page with every file the engine asks for', () => {
  it.each(EDITOR_LAYOUTS.map((l) => [l.name]))('%s: the font pages, the module, the scenes are blocks of the page', (name) => {
    const html = singles.get(name)?.get('index.html')?.toString() ?? '';
    for (const path of [SECOND_PAGE, 'files/assets/5000/1/Gallery Sans.png', 'files/assets/5015/1/adder.wasm.wasm', '2200.json', 'config.json'])
      expect(html.includes(`data-pc-file="${path}"`), `${path} is a block of the page`).toBe(true);
    // nothing is loaded from a URL: no src, no stylesheet link
    expect(/<script[^>]*\ssrc=|<link[^>]*stylesheet/.test(html), 'a script or stylesheet loaded from a URL').toBe(false);
  });
});

describe('singleFile() on every layout boots under its csp() with no request but the page', () => {
  for (const layout of EDITOR_LAYOUTS) {
    browserTest(
      layout.name,
      async () => {
        const files = singles.get(layout.name) as Map<string, Buffer>;
        const policy = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(files.get('index.html')?.toString() ?? '')?.[1] ?? '';
        // hash-only for scripts: no 'unsafe-inline', no 'unsafe-eval'
        expect(policy).toMatch(/script-src [^;]*'sha256-/);
        expect(policy).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
        const { result, problems } = await boot(files);
        expect(problems).toEqual([]);
        // the module's glue and bytes are handed to the engine as blob: URLs (memory); nothing else is requested
        const network = result.requests.filter((r) => !r.url.startsWith('blob:')).map((r) => new URL(r.url).pathname);
        expect(network).toEqual(['/index.html']);
      },
      90_000,
    );
  }
});
