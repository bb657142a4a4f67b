import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { buildFiles, plantedCode, startMock, tempDir } from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetPrefixStep, cspStep, PostprocessError, processFiles, singleFileStep } from '../src/index.js';

let server: MockServer;
let build: Map<string, Buffer>;
beforeAll(async () => {
  server = await startMock({ pollsToComplete: 1 });
  build = await buildFiles(server);
});
afterAll(() => server?.close());

const steps = [
  ['csp()', () => cspStep()],
  ['singleFile()', () => singleFileStep()],
  ['assetPrefix()', () => assetPrefixStep('https://cdn.example.com/game/')],
] as const;

/** The step's result, or its refusal's message. */
async function outcome(step: () => Parameters<typeof processFiles>[0], files: Map<string, Buffer>) {
  try {
    return { result: await processFiles(step(), files) };
  } catch (error) {
    expect(error).toBeInstanceOf(PostprocessError);
    return { refusal: (error as PostprocessError).message, file: (error as PostprocessError).file };
  }
}

describe('code from the build never runs in Node', () => {
  for (const [name, step] of steps) {
    it(`${name}: a loading screen's planted code does not run; the step does its job`, async () => {
      const dir = await tempDir();
      for (const [kind, code] of plantedCode(join(dir, 'marker'))) {
        const files = new Map(build);
        files.set('__loading__.js', Buffer.from(`${code}\n${build.get('__loading__.js')}\n${code}\n`));
        const { result, refusal } = await outcome(step, files);
        expect(refusal, kind).toBeUndefined();
        if (name === 'csp()')
          expect(
            ((result?.report ?? { sources: [] }) as { sources: Array<{ why: string }> }).sources.map((s) => s.why),
            kind,
          ).toContain('a <style> that __loading__.js inserts');
        await new Promise((resolve) => setTimeout(resolve, 20)); // a promise callback would have run by now
        expect(existsSync(join(dir, 'marker')), kind).toBe(false);
      }
    });

    it(`${name}: settings with planted code are refused, naming the file and the line`, async () => {
      const dir = await tempDir();
      for (const [kind, code] of plantedCode(join(dir, 'marker'))) {
        const files = new Map(build);
        files.set('__settings__.js', Buffer.from(`${build.get('__settings__.js')}\n${code}\n`));
        const { refusal, file } = await outcome(step, files);
        expect(file, kind).toBe('__settings__.js');
        expect(refusal, kind).toMatch(
          new RegExp(
            String.raw`^__settings__\.js line 2\d is not a plain setting, ` +
              String.raw`so what it changes cannot be told \(.+\): post-processing reads the settings ` +
              String.raw`without running them; the Editor writes only lines like window\.ASSET_PREFIX = ` +
              String.raw`"\.\.\."; set plain values there and move other code into a script of the project$`,
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(existsSync(join(dir, 'marker')), kind).toBe(false);
      }
    });
  }

  it('a settings value computed at run time is refused, naming the global and the line', async () => {
    const files = new Map(build);
    const settings = build.get('__settings__.js')?.toString() ?? '';
    files.set(
      '__settings__.js',
      Buffer.from(settings.replace('window.ASSET_PREFIX = "";', 'window.ASSET_PREFIX = location.hostname + "/";')),
    );
    const { refusal } = await outcome(() => cspStep(), files);
    expect(refusal).toBe(
      '__settings__.js line 1 sets ASSET_PREFIX to a value only known when the page runs ' +
        '(window.ASSET_PREFIX = location.hostname + "/";): post-processing reads the settings without running ' +
        'them; the Editor writes only lines like window.ASSET_PREFIX = "..."; ' +
        'set plain values there and move other code into a script of the project',
    );
  });
});
