import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { PIPELINE_OPTIONS } from '@gulp-playcanvas/playcanvas-pipeline';
import { BUILD_OPTIONS, CLIENT_OPTIONS } from '@gulp-playcanvas/playcanvas-rest-client';
import {
  BLANK_PROJECT,
  browserTest,
  FAST,
  fixturesWith,
  type HostNames,
  namesMissing,
  optionsInReadme,
  runProcess,
  startMock,
  TOKEN,
  tempDir,
} from 'test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

/** The real grunt-cli runs a real Gruntfile in a project of its own, which loads this package as users do. */
const require = createRequire(import.meta.url);
const gruntCli = join(dirname(require.resolve('grunt-cli/package.json')), 'bin', 'grunt');
const gruntPackage = dirname(require.resolve('grunt/package.json'));
const thisPackage = fileURLToPath(new URL('..', import.meta.url));

let server: MockServer;
// and BLANK_PROJECT (1201), whose first frame is blank
beforeAll(async () => {
  server = await startMock({ fixtures: fixturesWith(BLANK_PROJECT) });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const BUILD = { projectId: 1000, name: 'Space Race', scenes: ['Main'], poll: FAST.poll, retry: FAST.retry };

/** A project beside others (in a folder of its own), its Gruntfile building `target`; returns its folder. */
async function project(target: Record<string, unknown>): Promise<string> {
  const dir = join(await tempDir('grunt-messages-'), 'game');
  await mkdir(join(dir, 'node_modules'), { recursive: true });
  await symlink(gruntPackage, join(dir, 'node_modules', 'grunt'), 'dir');
  await mkdir(join(dir, 'node_modules', '@gulp-playcanvas'));
  await symlink(thisPackage, join(dir, 'node_modules', '@gulp-playcanvas', 'grunt-playcanvas'), 'dir');
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'game', version: '1.0.0', private: true }));
  const config = { playcanvas: { game: target } };
  await writeFile(
    join(dir, 'Gruntfile.js'),
    `module.exports = function (grunt) {\n  grunt.initConfig(${JSON.stringify(config)});\n  ` +
      `grunt.loadNpmTasks('@gulp-playcanvas/grunt-playcanvas');\n};\n`,
  );
  return dir;
}

function grunt(dir: string, env: Record<string, string | undefined> = {}) {
  const all: Record<string, string | undefined> = {
    PLAYCANVAS_API_KEY: TOKEN,
    PLAYCANVAS_BASE_URL: server.url,
    ...env,
  };
  const defined = Object.fromEntries(
    Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return runProcess(process.execPath, [gruntCli, '--no-color', 'playcanvas:game'], { cwd: dir, env: defined });
}

/** The task's own lines in Grunt's output: its warnings (`>> `) and the failure (`Warning: `). */
const said = (output: string) => output.split('\n').filter((line) => /^(>> |Warning: )/.test(line));

describe("Grunt's log markup does not eat the task's names", () => {
  it('a refusal that lists __loading__.js and __modules__.js prints them as they are (grunt.fail.warn)', async () => {
    const dir = await project({ dest: '../old-build', options: { ...BUILD, engineVersion: '2.23.3' } });
    await mkdir(join(dir, '..', 'old-build'));
    for (const name of ['__loading__.js', '__modules__.js']) await writeFile(join(dir, '..', 'old-build', name), '');
    const run = await grunt(dir);
    expect(run.code, run.output).toBe(6);
    expect(run.output).toContain(
      'Warning: Option dest "../old-build" is outside the project folder and already holds files ' +
        '(__loading__.js, __modules__.js), which would all be replaced: set replaceOutside: ' +
        'true in its options if that is meant, or write inside the project folder. Use --force to continue.',
    );
    expect(server.journal()).toEqual([]);
  });

  it(
    'a warning with underscores prints them as they are (grunt.log.warn): ' +
      "the job's messages and the engine it used",
    async () => {
      const dir = await project({ dest: 'build', options: { ...BUILD, engineVersion: '__next__' } });
      const run = await grunt(dir);
      expect(run.code, run.output).toBe(0);
      expect(said(run.output)).toEqual([
        '>> job 500001 says: Engine __next__ is not available in playcanvas-mock-server: ' +
          'the build uses engine 2.23.3 (the playcanvas package it ships)',
        '>> job 500001 was built with engine 2.23.3, not the __next__ asked for (engineVersion: ' +
          "'__next__'), as the job says: give an engine version the API has, " +
          'or set requireEngineVersion: true to fail such builds',
      ]);
    },
  );

  it('requireEngineVersion makes another engine a failure: exit 6, dest not written', async () => {
    const dir = await project({
      dest: 'build',
      options: { ...BUILD, engineVersion: '9.99.0', requireEngineVersion: true },
    });
    const run = await grunt(dir);
    expect(run.code, run.output).toBe(6);
    expect(run.output).toMatch(
      new RegExp(
        String.raw`Warning: The API built job 500001 with engine 2\.23\.3, ` +
          String.raw`not the 9\.99\.0 asked for \(engineVersion: '9\.99\.0'\), ` +
          String.raw`and requireEngineVersion is set: the build is refused, nothing was written\. ` +
          String.raw`The job says: Engine 9\.99\.0 is not available`,
      ),
    );
    expect(existsSync(join(dir, 'build'))).toBe(false);
  });
});

/** What the task has: the options of its README's table, the check's inside `check`, and Grunt's own flags. */
const TASK: HostNames = {
  flags: new Set(['--force', '--verbose', '--stack']),
  options: new Set([
    ...optionsInReadme(new URL('../README.md', import.meta.url)),
    ...optionsInReadme(new URL('../../check/README.md', import.meta.url)).map((key) => `check.${key}`),
  ]),
  variables: new Set([
    'PLAYCANVAS_API_KEY',
    'PLAYCANVAS_BASE_URL',
    'CHROME_PATH',
    'HTTPS_PROXY',
    'HTTP_PROXY',
    'NO_PROXY',
    'NODE_EXTRA_CA_CERTS',
  ]),
};
const ANY_OPTION = new Set([
  ...TASK.options,
  ...Object.keys({ ...BUILD_OPTIONS, ...PIPELINE_OPTIONS, ...CLIENT_OPTIONS }),
]);

describe("every message names only the task's options", () => {
  it.each<[string, Record<string, unknown>, Record<string, string | undefined>, string[]]>([
    ['no token', {}, { PLAYCANVAS_API_KEY: undefined }, []],
    ['a token the API refuses (401)', {}, { PLAYCANVAS_API_KEY: 'not-the-token' }, []],
    ['a browser path that is not there', { check: { browser: '/nonexistent/chromium' } }, {}, []],
    ['an unknown option', { engineVersoin: '2.23.3' }, {}, ['engineVersoin']],
    ['a base URL with a query', { baseUrl: 'http://127.0.0.1:9/?x=1' }, {}, []],
    ['a base URL that is not one (PLAYCANVAS_BASE_URL)', {}, { PLAYCANVAS_BASE_URL: 'playcanvas.com' }, []],
    ['plain http to another machine', { baseUrl: 'http://api.example.com' }, {}, []],
    ['requireEngineVersion without engineVersion', { requireEngineVersion: true }, {}, []],
    ['no engineVersion (a warning)', {}, {}, []],
    ['another engine (a warning)', { engineVersion: '9.99.0' }, {}, []],
  ])('%s', async (_name, options, env, typed) => {
    const dir = await project({ dest: 'build', options: { ...BUILD, ...options } });
    const lines = said((await grunt(dir, env)).output);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(namesMissing(line, TASK, ANY_OPTION, typed), line).toEqual([]);
  });
});

describe("the check's problems in Grunt's log", () => {
  browserTest(
    'a blank first frame fails the task, the message naming check.allowBlank, which lets it pass',
    async () => {
      const check = { viewport: { width: 320, height: 180 }, frames: 5 };
      const dir = await project({ dest: 'build', options: { ...BUILD, projectId: BLANK_PROJECT.id, check } });
      const run = await grunt(dir);
      expect(run.code, run.output).toBe(6);
      expect(run.output).toContain(
        '- blank first frame: the canvas (320×180) shows one colour, rgb(41, 51, 66), everywhere: ' +
          'nothing was drawn (nothing in view of a camera?) or WebGL drew nothing; ' +
          'if the game starts blank on purpose, allow it with the check.allowBlank option',
      );
      for (const line of said(run.output)) expect(namesMissing(line, TASK, ANY_OPTION), line).toEqual([]);
      expect(existsSync(join(dir, 'build'))).toBe(false);
      const allowed = await grunt(
        await project({
          dest: 'build',
          options: { ...BUILD, projectId: BLANK_PROJECT.id, check: { ...check, allowBlank: true } },
        }),
      );
      expect(allowed.code, allowed.output).toBe(0);
    },
  );
});
