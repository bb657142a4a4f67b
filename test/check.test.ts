import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import playcanvas, { check } from '@gulp-playcanvas/gulp-playcanvas';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import gulp from 'gulp';
import PluginError from 'plugin-error';
import { BLANK_PROJECT, browserTest, fixturesWith, fixturesWithBrokenProject, runProcess } from 'test-support';
import type Vinyl from 'vinyl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST, filesUnder, startMock, TOKEN, tempDir } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const gulpBin = join(dirname(createRequire(import.meta.url).resolve('gulp')), 'bin', 'gulp.js');
const QUICK = { viewport: { width: 320, height: 180 }, frames: 5, timeout: 20_000 };

let server: MockServer;
beforeAll(async () => {
  server = await startMock({ fixtures: fixturesWithBrokenProject(), pollsToComplete: 1, rateLimits: { strict: 1000 } });
});
afterAll(() => server.close());

async function gulpRun(env: Record<string, string>): Promise<{ code: number | null; output: string; out: string }> {
  const out = await tempDir('check-out-');
  const file = join(here, 'fixtures', 'check', 'gulpfile.mjs');
  const run = await runProcess(
    process.execPath,
    [gulpBin, '--gulpfile', file, '--cwd', dirname(file), 'build', '--no-color'],
    {
      env: { PLAYCANVAS_API_KEY: TOKEN, PLAYCANVAS_BASE_URL: server.url, OUT_DIR: out, ...env },
    },
  );
  return { code: run.code, output: run.output, out };
}

describe('check() in a real gulp run: playcanvas().pipe(check()).pipe(gulp.dest())', () => {
  browserTest('a build that boots is checked, then written', async () => {
    const run = await gulpRun({});
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/gulp-playcanvas: check: the build booted in [\d.]+ s \(\d+ frames, engine 2\.23\.3\)/);
    expect((await filesUnder(run.out)).has('index.html')).toBe(true);
  });

  browserTest('a build that does not boot fails the task, says why, and writes nothing', async () => {
    const run = await gulpRun({ PROJECT_ID: '1200' });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/The build did not boot cleanly \(\d+ problems?\):/);
    expect(run.output).toMatch(/- uncaught exception: player\.js failed to load/);
    expect(await readdir(run.out)).toEqual([]);
  });

  browserTest('streamed contents are checked too, and handed on as they were', async () => {
    const run = await gulpRun({ BUFFER: 'false' });
    expect(run.code, run.output).toBe(0);
    const written = await filesUnder(run.out);
    expect(written.get('playcanvas-stable.min.js')?.bytes.length).toBeGreaterThan(1_000_000);
  });
});

describe('check() as a transform', () => {
  browserTest('passes every file on: the same objects, in the same order', async () => {
    const seen: Vinyl[] = [];
    const passed: Vinyl[] = [];
    const { Transform } = await import('node:stream');
    const tap = (list: Vinyl[]) =>
      new Transform({
        objectMode: true,
        transform(file: Vinyl, _e, cb) {
          list.push(file);
          cb(null, file);
        },
      });
    await pipeline(
      playcanvas({ token: TOKEN, baseUrl: server.url, ...FAST, projectId: 1000, name: 'Space Race', scenes: [2000] }),
      tap(seen),
      check(QUICK),
      tap(passed),
    );
    expect(passed.length).toBe(seen.length);
    expect(passed.every((file, i) => file === seen[i])).toBe(true);
  });

  it('throws a PluginError at once for a wrong option', () => {
    expect(() => check({ frames: -1 })).toThrow(PluginError);
    expect(() => check({ frames: -1 })).toThrow(/^check\(\): Check option frames must be a positive number; got -1$/);
  });

  browserTest('says what to do when the files are not an extracted build', async () => {
    const zip = new (await import('vinyl')).default({
      cwd: '/',
      base: '/',
      path: '/space-race.zip',
      contents: Buffer.from('PK'),
    });
    const error = await pipeline(Readable.from([zip]), check(QUICK), gulp.dest(await tempDir())).catch(
      (e: unknown) => e as PluginError,
    );
    expect(error).toBeInstanceOf(PluginError);
    expect((error as Error).message).toBe(
      'check() found no index.html among the 1 files it was given (space-race.zip): ' +
        "it boots an extracted static build; use playcanvas() with extract: true and format 'static'",
    );
  });
});

describe("check()'s problems as gulp shows them", () => {
  let blankServer: MockServer;
  beforeAll(async () => {
    blankServer = await startMock({ fixtures: fixturesWith(BLANK_PROJECT), pollsToComplete: 1 });
  });
  afterAll(() => blankServer.close());

  const blankBuild = () =>
    playcanvas({
      token: TOKEN,
      baseUrl: blankServer.url,
      ...FAST,
      projectId: BLANK_PROJECT.id,
      name: 'Space Race',
      scenes: [2000],
    });

  browserTest(
    'a blank first frame: a PluginError in words, naming the allowBlank option, which lets it pass',
    async () => {
      const out = await tempDir('check-blank-');
      const error = await pipeline(blankBuild(), check(QUICK), gulp.dest(out)).catch((e: unknown) => e as PluginError);
      expect(error).toBeInstanceOf(PluginError);
      expect((error as PluginError).message).toContain(
        '- blank first frame: the canvas (320×180) shows one colour, rgb(41, 51, 66), everywhere: ' +
          'nothing was drawn (nothing in view of a camera?) or WebGL drew nothing; ' +
          'if the game starts blank on purpose, allow it with the allowBlank option',
      );
      expect(String(error)).not.toContain('[object Object]');
      expect(await readdir(out)).toEqual([]);
      await pipeline(blankBuild(), check({ ...QUICK, allowBlank: true }), gulp.dest(out));
      expect((await filesUnder(out)).has('index.html')).toBe(true);
    },
  );
});
