import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { browserTest, fixturesWithBrokenProject, startMock, tempDir } from 'test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BUILD_ARGS, runCli } from './run-cli.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMock({ fixtures: fixturesWithBrokenProject() });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const FAST = ['--poll-initial-delay-ms', '5', '--poll-max-delay-ms', '20', '--retry-base-delay-ms', '10'];
const CHECK = ['--check', '--frames', '5', '--viewport', '320x180'];
const build = (args: string[], cwd: string) =>
  runCli([...BUILD_ARGS, ...FAST, ...args], { cwd, env: { PLAYCANVAS_BASE_URL: server.url } });

/** A project folder `game` with src/ and package.json, in a folder of its own. */
async function project(): Promise<{ parent: string; cwd: string }> {
  const parent = await tempDir('cli-links-');
  const cwd = join(parent, 'game');
  await mkdir(join(cwd, 'src'), { recursive: true });
  await writeFile(join(cwd, 'src', 'main.js'), '');
  await writeFile(join(cwd, 'package.json'), '{}');
  return { parent, cwd };
}

describe('--out reaching the working folder through a symbolic link', () => {
  it(
    'a link to "." is refused exactly as --out . is, ' +
      'with or without --replace-outside; nothing touched, no request',
    async () => {
      const { cwd } = await project();
      await symlink('.', join(cwd, 'here'));
      const dot = await build(['--out', '.'], cwd);
      expect(dot.code).toBe(2);
      for (const extra of [[], ['--replace-outside']]) {
        const run = await build(['--out', 'here', ...extra], cwd);
        expect([run.code, run.stderr]).toEqual([2, dot.stderr.replace('"."', '"here"')]);
      }
      expect(dot.stderr).toBe(
        `playcanvas-build: error: --out "." is the working folder, and it is replaced as a whole: ` +
          `give a folder of its own, e.g. 'build'\n`,
      );
      expect(server.journal()).toEqual([]);
      expect((await readdir(cwd)).sort()).toEqual(['here', 'package.json', 'src']);
    },
  );

  it('--replace-outside never replaces the working folder or a folder above it, reached through a link', async () => {
    const { parent, cwd } = await project();
    const links = await tempDir('cli-links-elsewhere-');
    await symlink(cwd, join(links, 'game'));
    await symlink(parent, join(links, 'parent'));
    for (const [out, what] of [
      [join(links, 'game'), 'is the working folder'],
      [join(links, 'parent', 'game'), 'is the working folder'],
      [join(links, 'parent'), 'is a folder that holds the working folder'],
    ]) {
      const run = await build(['--out', out as string, '--replace-outside'], cwd);
      expect([run.code, run.stderr]).toEqual([
        2,
        `playcanvas-build: error: --out ${JSON.stringify(out)} ${what}, and it is replaced as a whole: ` +
          `give a folder of its own, e.g. 'build'\n`,
      ]);
    }
    expect(server.journal()).toEqual([]);
    expect((await readdir(cwd)).sort()).toEqual(['package.json', 'src']);
    expect(await readdir(parent)).toEqual(['game']);
  });
});

describe('--screenshot inside --out', () => {
  browserTest('is written into the new build, so the swap keeps it; the old files go', async () => {
    const cwd = await tempDir('cli-shot-');
    await mkdir(join(cwd, 'out'));
    await writeFile(join(cwd, 'out', 'old.txt'), 'the previous build\n');
    const run = await build(['--out', 'out', ...CHECK, '--screenshot', 'out/shots/boot.png'], cwd);
    expect(run.code, run.stderr).toBe(0);
    const png = await readFile(join(cwd, 'out', 'shots', 'boot.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const files = await readdir(join(cwd, 'out'));
    expect(files).toContain('index.html');
    expect(files).not.toContain('old.txt');
    expect(await readdir(cwd)).toEqual(['out']);
  });

  browserTest(
    'that would replace a file of the build, or is --out itself, is refused; --out left as it was',
    async () => {
      const cwd = await tempDir('cli-shot-');
      await mkdir(join(cwd, 'out'));
      await writeFile(join(cwd, 'out', 'old.txt'), 'the previous build\n');
      for (const [shot, why] of [
        ['out/index.html', 'would replace index.html of the build'],
        ['out', 'is the output folder itself'],
      ]) {
        const run = await build(['--out', 'out', ...CHECK, '--screenshot', shot as string], cwd);
        expect(run.code, run.stderr).toBe(2);
        expect(run.stderr).toContain(
          `playcanvas-build: error: --screenshot ${JSON.stringify(shot)} ${why}: name a file of its own`,
        );
        expect(await readdir(cwd)).toEqual(['out']);
        expect(await readdir(join(cwd, 'out'))).toEqual(['old.txt']);
      }
    },
  );

  browserTest(
    'when the check fails, is not kept (the old --out is left as it was), and a warning says so',
    async () => {
      const cwd = await tempDir('cli-shot-');
      await mkdir(join(cwd, 'out'));
      await writeFile(join(cwd, 'out', 'old.txt'), 'the previous build\n');
      const broken = BUILD_ARGS.map((arg) => (arg === '1000' ? '1200' : arg));
      const run = await runCli(
        [...broken, ...FAST, '--out', 'out', ...CHECK, '--check-timeout', '8000', '--screenshot', 'out/boot.png'],
        {
          cwd,
          env: { PLAYCANVAS_BASE_URL: server.url },
        },
      );
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain(
        'playcanvas-build: warning: the screenshot was not kept: it is inside --out, ' +
          'which is left as it was (name a file outside --out to keep it)',
      );
      expect(await readdir(join(cwd, 'out'))).toEqual(['old.txt']);
      expect(await readdir(cwd)).toEqual(['out']);
    },
  );
});
