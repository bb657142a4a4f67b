import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { browserTest, FAST, runProcess, startMock, TOKEN, tempDir } from 'test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The playable option, run by the real grunt-cli in a project of its own (as grunt.test.ts does). */
const require = createRequire(import.meta.url);
const gruntCli = join(dirname(require.resolve('grunt-cli/package.json')), 'bin', 'grunt');
const gruntPackage = dirname(require.resolve('grunt/package.json'));
const thisPackage = fileURLToPath(new URL('..', import.meta.url));

let server: MockServer;
beforeAll(async () => {
  server = await startMock({ pollsToComplete: 1 });
});
afterAll(() => server.close());

const BUILD = { projectId: 1000, name: 'Space Race', scenes: ['Main'], engineVersion: '2.23.3', poll: FAST.poll };

async function project(targets: Record<string, unknown>): Promise<string> {
  const dir = await tempDir('grunt-playable-');
  await mkdir(join(dir, 'node_modules', '@gulp-playcanvas'), { recursive: true });
  await symlink(gruntPackage, join(dir, 'node_modules', 'grunt'), 'dir');
  await symlink(thisPackage, join(dir, 'node_modules', '@gulp-playcanvas', 'grunt-playcanvas'), 'dir');
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'game', version: '1.0.0', private: true }));
  const config = JSON.stringify({ playcanvas: { options: BUILD, ...targets } }, null, 2);
  await writeFile(
    join(dir, 'Gruntfile.js'),
    `module.exports = (grunt) => {\n  grunt.initConfig(${config});\n` +
      "  grunt.loadNpmTasks('@gulp-playcanvas/grunt-playcanvas');\n};\n",
  );
  return dir;
}

const grunt = (cwd: string, args: string[]) =>
  runProcess(process.execPath, [gruntCli, '--no-color', ...args], {
    cwd,
    env: { PLAYCANVAS_API_KEY: TOKEN, PLAYCANVAS_BASE_URL: server.url },
  });

describe('grunt-playcanvas: playable', () => {
  browserTest(
    "a Vungle target: ad.html in dest, the report in the log, checked under Vungle's stand-in",
    async () => {
      const dir = await project({ vungle: { dest: 'ads/vungle', options: { playable: 'vungle', check: true } } });
      const run = await grunt(dir, ['playcanvas:vungle']);
      expect(run.code, run.output).toBe(0);
      expect(await readdir(join(dir, 'ads', 'vungle'))).toEqual(['ad.html']);
      expect(run.output).toMatch(/Liftoff \/ Vungle: ad\.html, [\d.]+ KB of 5120\.0 KB/);
      expect(run.output).toMatch(/\n {2}engine +1 file +[\d.]+ KB → +[\d.]+ KB\n/);
      expect(run.output).toContain('check: the vungle playable a tap called');
      const html = await readFile(join(dir, 'ads', 'vungle', 'ad.html'), 'utf8');
      expect(html).toContain('postMessage');
    },
    120_000,
  );

  it('over maxBytes: fails with the report, dest as it was; refuses singleFile with it, a typo', async () => {
    const dir = await project({
      small: { dest: 'ads/meta', options: { playable: { network: 'meta', maxBytes: 100_000 } } },
      withSingle: { dest: 'ads/x', options: { playable: 'meta', singleFile: true } },
      misspelt: { dest: 'ads/x', options: { playable: { network: 'tiktock' } } },
    });
    await mkdir(join(dir, 'ads', 'meta'), { recursive: true });
    await writeFile(join(dir, 'ads', 'meta', 'index.html'), 'the last good ad\n');
    const run = await grunt(dir, ['playcanvas:small', 'playcanvas:withSingle', 'playcanvas:misspelt', '--force']);
    expect(run.output).toMatch(
      /Warning: The Meta \([\w ,]+\) playable is \d+ bytes, over the 100000 allowed \(playable\.maxBytes\)/,
    );
    expect(run.output).toMatch(/\n {2}engine +1 file +[\d.]+ KB → +[\d.]+ KB\n/);
    expect(await readFile(join(dir, 'ads', 'meta', 'index.html'), 'utf8')).toBe('the last good ad\n');
    expect(await readdir(join(dir, 'ads'))).toEqual(['meta']);
    expect(run.output).toContain(
      'Warning: playable and singleFile do not go together: a playable is a single file already',
    );
    expect(run.output).toMatch(
      /Warning: playable\.network must be one of meta, google, .*; got tiktock: did you mean tiktok\?/,
    );
  }, 120_000);
});
