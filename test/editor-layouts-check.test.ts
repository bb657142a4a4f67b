import type { Checker } from '@gulp-playcanvas/playcanvas-build-check';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { cspStep, processFiles, singleFileStep } from '@gulp-playcanvas/playcanvas-postprocess';
import { BROWSER, browserTest, buildFiles, buildFolder, EDITOR_LAYOUTS, layoutFixtures, openSharedChecker, startMock } from 'test-support';
import { afterAll, beforeAll, describe, expect } from 'vitest';

let server: MockServer;
let checker: Checker;
beforeAll(async () => {
  server = await startMock({ pollsToComplete: 1, rateLimits: { strict: 1000 }, fixtures: layoutFixtures() });
  if (BROWSER) checker = await openSharedChecker();
});
afterAll(async () => {
  await checker?.close();
  await server.close();
});

const FAST = { viewport: { width: 320, height: 180 }, frames: 5, timeout: 30_000 };

/** The engine each layout ships and whether the page says it: builds of module scripts only set no window.pc. */
const ENGINE: Record<string, string | undefined> = {
  classic: '2.23.3',
  'classic concatenated': '2.23.3',
  'classic 1.x': '1.58.2',
  esm: undefined,
  'esm concatenated': undefined,
  mixed: '2.23.3',
  'mixed concatenated': '2.23.3',
};

describe('check() tells the truth about every layout the mock exports', () => {
  for (const { name, body } of EDITOR_LAYOUTS) {
    browserTest(
      `${name}: boots, draws, every request answered`,
      async () => {
        const dir = await buildFolder(server, body);
        const result = await checker.check(dir, FAST);
        expect(result.problems).toEqual([]);
        expect(result.ok).toBe(true);
        expect(result.frames).toBeGreaterThanOrEqual(5);
        expect(result.engineVersion).toBe(ENGINE[name]);
        expect(result.requests.filter((r) => r.status >= 400 && !r.url.endsWith('/favicon.ico'))).toEqual([]);
      },
      120_000,
    );
  }
});

/** The scripts each layout project registers (each pushes its name to window.__scriptsRan). */
const SCRIPTS: Record<number, string[]> = {
  1002: ['gallerySpin', 'cameraOrbit'],
  1003: ['gardenSpin', 'orbitCamera', 'leafSway'],
  1004: ['harbourLights', 'buoyBob', 'craneLift', 'tideGauge'],
};

/**
 * The app ran what a single file carries: its WebAssembly module, every script, and (where window.pc lets the
 * page be read) both atlas pages of the two-page font, as the engine loaded them.
 */
const carried = (project: number) => `(() => {
  const ran = window.__scriptsRan || [];
  const scripts = ${JSON.stringify(SCRIPTS[project])};
  if (window.__wasmLoaded !== 'wasm:5' || !scripts.every((s) => ran.includes(s))) return false;
  if (!window.pc) return true;
  const font = (window.pc.AppBase ?? window.pc.Application).getApplication()?.assets.find('Gallery Sans.ttf', 'font');
  return font?.resource?.textures?.length === 2;
})()`;

// The one boot of each single file (test/single-file-layouts.test.ts checks how the page is made, without booting it).
describe('check() on every layout made one file by singleFile(), under its csp()', () => {
  for (const { name, body } of EDITOR_LAYOUTS) {
    browserTest(
      `${name}: one page, no other request, boots and draws under a hash-only policy, runs its module and scripts`,
      async () => {
        const single = await processFiles(singleFileStep(), await buildFiles(server, body));
        const { files } = await processFiles(cspStep(), single.files);
        expect([...files.keys()]).toEqual(['index.html']);
        const policy = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec((files.get('index.html') as Buffer).toString())?.[1];
        // hashes only (the module loader's blob: for the wasm of ES module builds): no 'self', no 'unsafe-inline'
        expect(policy).toMatch(/script-src( 'sha256-[A-Za-z0-9+/=]+')+ 'wasm-unsafe-eval'( blob:)?;/);
        expect(policy).not.toContain('unsafe-inline');
        const result = await checker.check(files, { ...FAST, until: carried(body.project_id as number) });
        expect(result.problems).toEqual([]);
        expect(result.frames).toBeGreaterThanOrEqual(5);
        expect(result.engineVersion).toBe(ENGINE[name]);
        // the module's glue and bytes are handed to the engine as blob: URLs (memory); nothing else is requested
        const fetched = result.requests.map((r) => new URL(r.url)).filter((u) => u.protocol !== 'blob:' && u.pathname !== '/favicon.ico');
        expect(fetched.map((u) => `${u.protocol}${u.pathname}`)).toEqual(['http:/index.html']);
      },
      120_000,
    );
  }
});
