import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BuildCheckError,
  type Checker,
  type CheckOptions,
  openChecker,
  type Problem,
} from '@gulp-playcanvas/playcanvas-build-check';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { BROWSER, browserTest, buildFolder, drawNothing, openSharedChecker, startMock, tempDir } from 'test-support';
import { afterAll, beforeAll, describe, expect } from 'vitest';

// The check tells the truth about a boot: a frame of one colour is not a game, a browser without WebGL is not a
// timeout, and an error that keeps the app from ever existing is said at once, not after the whole timeout.

let server: MockServer;
let checker: Checker;
beforeAll(async () => {
  server = await startMock({ pollsToComplete: 1, rateLimits: { strict: 1000 } });
  if (BROWSER) checker = await openSharedChecker();
});
afterAll(async () => {
  await checker?.close();
  await server.close();
});

/** Small frames; a timeout far above what a fatal error may take to be reported (a couple of seconds). */
const QUICK = { viewport: { width: 320, height: 180 }, frames: 5, timeout: 20_000 };

/** The check's problems and how long it took, in the shared browser (or the one the options name). */
async function failedCheck(dir: string, options: CheckOptions = {}, run: Checker = checker) {
  const started = performance.now();
  const error = await run.check(dir, { ...QUICK, ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  const ms = Math.round(performance.now() - started);
  expect(error, 'the check passed').toBeInstanceOf(BuildCheckError);
  return { problems: (error as BuildCheckError).problems, message: (error as BuildCheckError).message, ms };
}

describe('a first frame of one colour is a problem, unless the game starts blank', () => {
  browserTest("the mock's build draws its scene: not blank", async () => {
    const result = await checker.check(await buildFolder(server), QUICK);
    expect(result.problems).toEqual([]);
  });

  browserTest('a scene that draws nothing: a blank frame, its colour named, and how to allow it', async () => {
    const dir = await buildFolder(server);
    await drawNothing(dir);
    const { problems, message } = await failedCheck(dir);
    // the camera's clear colour [0.16, 0.2, 0.26], as 8-bit sRGB
    expect(problems).toEqual([
      { kind: 'blank-frame', colour: 'rgb(41, 51, 66)', width: 320, height: 180, allowWith: 'the allowBlank option' },
    ]);
    expect(message).toContain(
      '- blank first frame: the canvas (320×180) shows one colour, rgb(41, 51, 66), everywhere: ' +
        'nothing was drawn (nothing in view of a camera?) or WebGL drew nothing; ' +
        'if the game starts blank on purpose, allow it with the allowBlank option',
    );
    const allowed = await checker.check(dir, { ...QUICK, allowBlank: true });
    expect(allowed.problems).toEqual([]);
  });
});

describe('a browser that cannot create a WebGL context is named as such', () => {
  browserTest('Chromium without WebGL: a webgl problem, said at once, not a timeout', async () => {
    const dir = await tempDir('no-webgl-');
    const browser = join(dir, 'chromium');
    await writeFile(browser, `#!/bin/sh\nexec "${BROWSER}" --disable-webgl "$@"\n`);
    await chmod(browser, 0o755);
    const noWebgl = await openChecker({ browser });
    try {
      const { problems, message, ms } = await failedCheck(await buildFolder(server), {}, noWebgl);
      // Chromium says why (its words vary by version): "disabled by enterprise policy or commandline switch"
      expect(problems).toContainEqual({
        kind: 'webgl',
        asked: ['webgl2'],
        said: [expect.stringMatching(/commandline switch/)],
      });
      expect(problems.at(-1)).toEqual({ kind: 'stopped', stage: 'app', waitedMs: expect.any(Number) });
      expect(problems.filter((p) => p.kind === 'timeout' || p.kind === 'blank-frame')).toEqual([]);
      expect(message).toContain(
        '- no WebGL: the page asked for a webgl2 context, and the browser created none (it said: ' +
          'disabled by enterprise policy or commandline switch): the check renders WebGL in software ' +
          '(SwiftShader), which this browser does not allow; use a Chromium or Chrome that has WebGL',
      );
      expect(ms).toBeLessThan(QUICK.timeout);
    } finally {
      await noWebgl.close();
    }
  });
});

/** The check stopped, naming how far the app got, within a couple of seconds of the navigation. */
function expectStoppedAtOnce(problems: Problem[], stage: 'engine' | 'app', ms: number): void {
  const last = problems.at(-1) as { kind: string; stage: string; waitedMs: number };
  expect(last).toEqual({ kind: 'stopped', stage, waitedMs: expect.any(Number) });
  expect(problems.filter((p) => p.kind === 'timeout')).toEqual([]);
  // "at once" is "long before the timeout", not a speed target (a loaded CI machine took 3.5 s once; a quiet one 1 s):
  // the check stopped on its own, well inside the 20 s it was given
  expect(last.waitedMs).toBeLessThan(QUICK.timeout / 2);
  expect(ms).toBeLessThan(QUICK.timeout);
}

describe('a fatal error before the app exists fails the check at once', () => {
  browserTest('a build without its engine: the 404 and `pc is not defined`, then stopped at the engine', async () => {
    const dir = await buildFolder(server);
    await rm(join(dir, 'playcanvas-stable.min.js'));
    const { problems, message, ms } = await failedCheck(dir);
    expect(problems).toContainEqual(
      expect.objectContaining({
        kind: 'failed-request',
        status: 404,
        url: expect.stringMatching(/\/playcanvas-stable\.min\.js$/),
      }),
    );
    expect(problems).toContainEqual({ kind: 'exception', message: 'pc is not defined' });
    expectStoppedAtOnce(problems, 'engine', ms);
    expect(message).toMatch(
      new RegExp(
        String.raw`- stopped after \d+ ms: the engine \(pc\) never loaded; ` +
          'after the errors above nothing was left loading, ' +
          String.raw`so it never would \(the check did not wait for the timeout\)$`,
      ),
    );
  });

  browserTest('a bootstrap that throws: the exception, then stopped before the app', async () => {
    const dir = await buildFolder(server);
    const start = await readFile(join(dir, '__start__.js'), 'utf8');
    await writeFile(join(dir, '__start__.js'), `throw new Error('boom in the bootstrap');\n${start}`);
    const { problems, ms } = await failedCheck(dir);
    expect(problems[0]).toEqual({ kind: 'exception', message: 'boom in the bootstrap' });
    expectStoppedAtOnce(problems, 'app', ms);
  });

  browserTest('settings that answer 404: the failed request, then stopped before the app', async () => {
    const dir = await buildFolder(server);
    await rm(join(dir, '__settings__.js'));
    const { problems, ms } = await failedCheck(dir);
    expect(problems[0]).toEqual(
      expect.objectContaining({
        kind: 'failed-request',
        status: 404,
        url: expect.stringMatching(/\/__settings__\.js$/),
      }),
    );
    expectStoppedAtOnce(problems, 'app', ms);
  });

  browserTest(
    'an ES module build whose module graph does not load (a missing import): stopped at the engine',
    async () => {
      const dir = await tempDir('esm-');
      await mkdir(join(dir, 'js'));
      await writeFile(
        join(dir, 'index.html'),
        '<!doctype html><html><body><script type="module" src="js/index.mjs"></script></body></html>',
      );
      await writeFile(
        join(dir, 'js/index.mjs'),
        "import * as pc from './playcanvas-stable.min.mjs';\nwindow.pc = pc;\n",
      );
      const { problems, ms } = await failedCheck(dir);
      expect(problems[0]).toEqual(
        expect.objectContaining({
          kind: 'failed-request',
          status: 404,
          url: expect.stringMatching(/\/js\/playcanvas-stable\.min\.mjs$/),
        }),
      );
      expectStoppedAtOnce(problems, 'engine', ms);
    },
  );

  browserTest(
    'an error before the app that the page gets over (a third-party script): reported, the app still boots',
    async () => {
      const dir = await buildFolder(server);
      const html = await readFile(join(dir, 'index.html'), 'utf8');
      await writeFile(
        join(dir, 'index.html'),
        html.replace('<head>', "<head>\n    <script>throw new Error('analytics unavailable');</script>"),
      );
      const { problems } = await failedCheck(dir);
      expect(problems).toEqual([{ kind: 'exception', message: 'analytics unavailable' }]);
    },
  );

  browserTest(
    'an error once the app exists keeps waiting for the timeout: its config missing, the scene never loads',
    async () => {
      const dir = await buildFolder(server);
      await rm(join(dir, 'config.json'));
      const { problems } = await failedCheck(dir, { timeout: 2500 });
      expect(problems[0]).toEqual(
        expect.objectContaining({ kind: 'failed-request', status: 404, url: expect.stringMatching(/\/config\.json$/) }),
      );
      // a stage timeout; on a loaded machine the reads after it may also outlast the grace (then busy, last)
      const timeouts = problems.filter((p) => p.kind === 'timeout');
      expect(timeouts[0]).toEqual({ kind: 'timeout', stage: 'scene', waitedMs: expect.any(Number) });
      expect((timeouts[0] as { waitedMs: number }).waitedMs).toBeGreaterThan(2000);
      expect(problems.filter((p) => p.kind === 'stopped')).toEqual([]);
    },
  );
});
