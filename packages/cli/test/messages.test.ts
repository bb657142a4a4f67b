import { fileURLToPath } from 'node:url';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { PIPELINE_OPTIONS } from '@gulp-playcanvas/playcanvas-pipeline';
import { BUILD_OPTIONS, CHECKPOINT_OPTIONS, CLIENT_OPTIONS } from '@gulp-playcanvas/playcanvas-rest-client';
import { flagsAndVariablesIn, type HostNames, namesMissing, runProcess, startMock, TOKEN, tempDir } from 'test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const FAST = [
  '--retry-base-delay-ms',
  '10',
  '--retry-max-delay-ms',
  '40',
  '--poll-initial-delay-ms',
  '5',
  '--poll-max-delay-ms',
  '20',
];
const BUILD = ['build', '--project', '1000', '--name', 'Space Race', '--scenes', 'Main', '--out', 'build', ...FAST];

let server: MockServer;
beforeAll(async () => {
  server = await startMock();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** The CLI as a shell runs it, in a folder of its own; `env` entries set to undefined are left out. */
async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const all: Record<string, string | undefined> = {
    PLAYCANVAS_API_KEY: TOKEN,
    PLAYCANVAS_BASE_URL: server.url,
    ...env,
  };
  const defined = Object.fromEntries(
    Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return runProcess(process.execPath, [BIN, ...args], { cwd: await tempDir('cli-messages-'), env: defined });
}

/** The lines the CLI addresses to the user: its errors and warnings. */
const said = (stderr: string) => stderr.split('\n').filter((line) => /^playcanvas-build: (error|warning): /.test(line));

/** Every option of every table: a camelCase word among these in a message is taken as naming an option. */
const ANY_OPTION = new Set(
  Object.keys({ ...BUILD_OPTIONS, ...PIPELINE_OPTIONS, ...CLIENT_OPTIONS, ...CHECKPOINT_OPTIONS, browser: 1 }),
);

/** What a command has: the flags and environment variables its --help lists (generated from the flags it parses). */
async function hostOf(command: string): Promise<HostNames> {
  const help = (await cli([command, '--help'])).stdout;
  const { flags, variables } = flagsAndVariablesIn(help);
  // --help itself is every command's, though the list leaves it out
  return { flags: new Set([...flags, '--help']), options: new Set(), variables: new Set(variables) };
}

describe("the job's messages, in the CLI's log and its JSON", () => {
  it(
    '--engine-version 9.99.0: each job message and a warning naming both engines, ' +
      'on stderr and in --json warnings',
    async () => {
      const run = await cli([...BUILD, '--engine-version', '9.99.0', '--json']);
      expect(run.code, run.stderr).toBe(0);
      const says =
        'job 500001 says: Engine 9.99.0 is not available in playcanvas-mock-server: ' +
        'the build uses engine 2.23.3 (the playcanvas package it ships)';
      const mismatch =
        'job 500001 was built with engine 2.23.3, not the 9.99.0 asked for (--engine-version 9.99.0), ' +
        'as the job says: give an engine version the API has, ' +
        'or set --require-engine-version to fail such builds';
      expect(said(run.stderr)).toEqual([
        `playcanvas-build: warning: ${says}`,
        `playcanvas-build: warning: ${mismatch}`,
      ]);
      expect(JSON.parse(run.stdout)).toMatchObject({
        ok: true,
        metadata: { engineVersion: '2.23.3' },
        warnings: [says, mismatch],
      });
    },
  );

  it('--require-engine-version makes another engine a failure: exit 1, nothing written, the flags named', async () => {
    const run = await cli([...BUILD, '--engine-version', '9.99.0', '--require-engine-version', '--json']);
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      exitCode: 1,
      error: {
        code: 'ENGINE_MISMATCH',
        message: expect.stringMatching(
          new RegExp(
            String.raw`^The API built job 500001 with engine 2\.23\.3, ` +
              String.raw`not the 9\.99\.0 asked for \(--engine-version 9\.99\.0\), ` +
              String.raw`and --require-engine-version is set: the build is refused, nothing was written\. ` +
              String.raw`The job says: Engine 9\.99\.0 is not available`,
          ),
        ),
      },
    });
  });
});

describe('what the CLI prints is what its help says', () => {
  it('checkpoint without --json prints the id of the checkpoint it made on stdout', async () => {
    const run = await cli(['checkpoint', '--project', '1000', '--description', 'Release 1.4.2', ...FAST]);
    expect(run.code, run.stderr).toBe(0);
    const made = server.journal().find((entry) => entry.route === 'checkpoints.create');
    expect(made).toBeDefined();
    expect(run.stdout).toMatch(/^[\w-]+\n$/);
    expect(run.stderr).toContain(`checkpoint ${run.stdout.trim()} of branch`);
  });

  it('check --help lists only what applies to check: no token, base URL, proxies, --check or exit code 3', async () => {
    const help = (await cli(['check', '--help'])).stdout;
    expect(flagsAndVariablesIn(help).variables).toEqual(['CHROME_PATH']);
    for (const absent of ['--check', '--no-scripts-minify', 'PLAYCANVAS_API_KEY', '\n  3 '])
      expect(help).not.toContain(absent);
    expect(help).toContain('CHROME_PATH           the browser for check, unless --browser names one');
  });
});

describe('every message names only flags and variables the command has', () => {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  it.each<[string, string[], Record<string, string | undefined>, string[]]>([
    ['no token', BUILD, { PLAYCANVAS_API_KEY: undefined }, []],
    ['a token the API refuses (401)', BUILD, { PLAYCANVAS_API_KEY: 'not-the-token' }, []],
    ['a browser path that is not there (check)', ['check', dir, '--browser', '/nonexistent/chromium'], {}, []],
    [
      'a browser path that is not there (build --check)',
      [...BUILD, '--check', '--browser', '/nonexistent/chromium'],
      {},
      [],
    ],
    ['an unknown flag', [...BUILD, '--engine-versoin', '2.23.3'], {}, ['--engine-versoin']],
    ['a base URL with a query (PLAYCANVAS_BASE_URL)', BUILD, { PLAYCANVAS_BASE_URL: 'MOCK/?x=1' }, []],
    ['a base URL that is not one (--base-url)', [...BUILD, '--base-url', 'playcanvas.com'], {}, []],
    ['plain http to another machine', [...BUILD, '--base-url', 'http://api.example.com'], {}, []],
    ['--require-engine-version without --engine-version', [...BUILD, '--require-engine-version'], {}, []],
    ['no --engine-version (a warning)', BUILD, {}, []],
    ['another engine (a warning)', [...BUILD, '--engine-version', '9.99.0'], {}, []],
    ['another engine, refused', [...BUILD, '--engine-version', '9.99.0', '--require-engine-version'], {}, []],
    ['an archive over --max-download-bytes', [...BUILD, '--max-download-bytes', '1000'], {}, []],
    [
      'checkpoint: no token',
      ['checkpoint', '--project', '1000', '--description', 'x'],
      { PLAYCANVAS_API_KEY: undefined },
      [],
    ],
  ])('%s', async (_name, args, env, typed) => {
    // MOCK: the mock's URL, known once it runs (the table is built before)
    const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v?.replace('MOCK', server.url)]));
    const run = await cli(args, resolved);
    const lines = said(run.stderr);
    expect(lines.length, run.stderr).toBeGreaterThan(0);
    const host = await hostOf(args[0] as string);
    for (const line of lines) expect(namesMissing(line, host, ANY_OPTION, typed), line).toEqual([]);
  });
});
