import { BuildCheckError, type Checker, type Problem, serveBuild } from '@gulp-playcanvas/playcanvas-build-check';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import {
  BROWSER,
  browserTest,
  buildFiles,
  EDITOR_LAYOUTS,
  layoutFixtures,
  openSharedChecker,
  SCRIPTS_RAN,
  startMock,
} from 'test-support';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { assetPrefixStep, cspStep, processFiles, stampVersionStep } from '../src/index.js';
import { QUICK } from './helpers.js';

let server: MockServer;
let checker: Checker;
beforeAll(async () => {
  server = await startMock({ fixtures: layoutFixtures(), pollsToComplete: 1, rateLimits: { strict: 1000 } });
  if (BROWSER) checker = await openSharedChecker();
});
afterAll(async () => {
  await checker?.close();
  await server?.close();
});

/**
 * The scripts each layout project registers (each pushes its name to window.__scriptsRan), and its WebAssembly module
 * ran.
 */
const SCRIPTS: Record<number, string[]> = {
  1002: ['gallerySpin', 'cameraOrbit'],
  1003: ['gardenSpin', 'orbitCamera', 'leafSway'],
  1004: ['harbourLights', 'buoyBob', 'craneLift', 'tideGauge'],
};
const readyWhen = (project: number) =>
  `window.__wasmLoaded === 'wasm:5' && ${JSON.stringify(SCRIPTS[project])}.every((s) ` +
  `=> (window.__scriptsRan || []).includes(s))`;

/**
 * What the check finds wrong in a boot: the policy's violations, errors, failed requests; a timeout naming how far it
 * got.
 */
async function problems(files: ReadonlyMap<string, Buffer>, until: string, timeout = 40_000): Promise<Problem[]> {
  try {
    await checker.check(files, { ...QUICK, timeout, until });
    return [];
  } catch (error) {
    if (!(error instanceof BuildCheckError)) throw error;
    return error.problems;
  }
}

describe('every transform boots on every layout', () => {
  browserTest(
    'csp(): a classic build whose index.html fills its first <style> (as a real 2.13 ' +
      "export's does) boots under its policy",
    async () => {
      const build = await buildFiles(server);
      const html = build.get('index.html')?.toString() ?? '';
      expect(html).toContain('<style></style>');
      // __start__.js appends the media query with innerHTML +=, which empties this <style> for a moment in Chromium
      build.set(
        'index.html',
        Buffer.from(html.replace('<style></style>', '<style>\n        html, body { background: #000; }\n    </style>')),
      );
      const { files } = await processFiles(cspStep(), build);
      expect(await problems(files, SCRIPTS_RAN)).toEqual([]);
    },
  );

  // one boot per layout: stamped, its assets from a second origin, under the policy derived last (each step's output is
  // the next one's input)
  for (const layout of EDITOR_LAYOUTS) {
    browserTest(
      `${layout.name}: stampVersion(), assetPrefix() to another origin, then csp(): boots with no violation`,
      async () => {
        const build = await buildFiles(server, layout.body);
        const cdn = await serveBuild(build, { 'Access-Control-Allow-Origin': '*' });
        try {
          const stamped = await processFiles(stampVersionStep('3.1.4'), build);
          const prefixed = await processFiles(assetPrefixStep(cdn.url), stamped.files);
          const { files, report } = await processFiles(cspStep(), prefixed.files);
          expect(report.policy).not.toContain("'unsafe-inline'");
          const until = readyWhen(layout.body.project_id as number);
          expect(await problems(files, until)).toEqual([]);
        } finally {
          await cdn.close();
        }
      },
      90_000,
    );
  }

  browserTest(
    'esm: what the boot sees when a source is missing (the import map hash), ' +
      'and when the prefixed scripts get a second engine',
    async () => {
      const build = await buildFiles(server, EDITOR_LAYOUTS.find((l) => l.name === 'esm')?.body);
      const { files, report } = await processFiles(cspStep(), build);
      const mapHash = report.sources.find((s) => s.why === 'the inline import map of index.html')?.source as string;
      const html = files.get('index.html')?.toString() ?? '';
      const without = new Map(files).set('index.html', Buffer.from(html.replace(` ${mapHash}`, '')));
      expect(await problems(without, readyWhen(1003))).toContainEqual(
        expect.objectContaining({ kind: 'csp-violation', directive: 'script-src-elem', blocked: 'inline' }),
      );
      // the prefix without the import-map entry that gives the page's engine back: the scripts never register
      const cdn = await serveBuild(build, { 'Access-Control-Allow-Origin': '*' });
      try {
        const prefixed = await processFiles(assetPrefixStep(cdn.url), build);
        const unmapped = new Map(prefixed.files).set('index.html', build.get('index.html') as Buffer);
        expect((await problems(unmapped, readyWhen(1003), 12_000)).at(-1)).toMatchObject({ kind: 'timeout' });
      } finally {
        await cdn.close();
      }
    },
    120_000,
  );
});
