import type { ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import {
  browserTest,
  buildFolder,
  expectSameFiles,
  FAST,
  filesUnder,
  fixturesWithBrokenProject,
  runProcess,
  servedFiles,
  startMock,
  TOKEN,
  tempDir,
} from 'test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

let server: MockServer;
beforeAll(async () => {
  server = await startMock({ fixtures: fixturesWithBrokenProject() });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  cwd: string;
}

const FAST_FLAGS = [
  '--retry-base-delay-ms',
  String(FAST.retry.baseDelayMs),
  '--retry-max-delay-ms',
  String(FAST.retry.maxDelayMs),
  '--poll-initial-delay-ms',
  '5',
  '--poll-max-delay-ms',
  '20',
];

/** Runs the CLI as a user's shell would: a child process, token in the environment, in a folder of its own. */
async function cli(
  args: string[],
  options: {
    env?: Record<string, string>;
    cwd?: string;
    onStderr?: (output: string, child: ChildProcess) => void;
  } = {},
): Promise<Run> {
  const cwd = options.cwd ?? (await tempDir('cli-'));
  const run = await runProcess(process.execPath, [BIN, ...args], {
    cwd,
    env: { PLAYCANVAS_API_KEY: TOKEN, PLAYCANVAS_BASE_URL: server.url, ...options.env },
    ...(options.onStderr ? { onOutput: options.onStderr } : {}),
  });
  return { ...run, cwd };
}

const BUILD_ARGS = [
  'build',
  '--project',
  '1000',
  '--name',
  'Space Race',
  '--scenes',
  '2000,Level 2',
  '--engine-version',
  '2.23.3',
  ...FAST_FLAGS,
];

describe('playcanvas-build build', () => {
  it(
    'writes the build to --out with the bytes, modes and mtimes served, ' +
      'progress on stderr, nothing on stdout; exit 0',
    async () => {
      const run = await cli([...BUILD_ARGS, '--out', 'build']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toBe('');
      expectSameFiles(
        await filesUnder(join(run.cwd, 'build')),
        await servedFiles(server.jobs()[0]?.archiveUrl as string),
      );
      expect(run.stderr).toMatch(/^playcanvas-build: build started, job 500001\n/);
      expect(run.stderr).toMatch(/playcanvas-build: job 500001 completed \(poll \d+\)\n/);
      expect(run.stderr).toMatch(
        new RegExp(
          String.raw`playcanvas-build: wrote \d+ files \([\d.]+ MB\) to build: job 500001, static, ` +
            String.raw`engine 2\.23\.3, branch b-main\n$`,
        ),
      );
      expect(server.journal().find((e) => e.route === 'apps.download')?.body).toMatchObject({ scenes: [2000, 2001] });
      expect(await readdir(run.cwd)).toEqual(['build']);
    },
  );

  it('--json: the result on stdout, the log on stderr; --checkpoint makes one first and says which', async () => {
    const run = await cli([...BUILD_ARGS, '--out', 'build', '--json', '--checkpoint', 'Release 1.4.2']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      ok: true,
      files: expect.any(Number),
      metadata: {
        jobId: 500002,
        projectId: 1000,
        branchId: 'b-main',
        checkpointId: expect.any(String),
        engineVersion: '2.23.3',
        format: 'static',
      },
      checkpoint: { description: 'Release 1.4.2', branchId: 'b-main' },
      warnings: [],
    });
    expect(result.out).toBe(join(run.cwd, 'build'));
    const routes = server.journal().map((e) => e.route);
    expect(routes.indexOf('checkpoints.create')).toBeLessThan(routes.indexOf('apps.download'));
  });

  it('warns when no engine version was given, naming the one the job used', async () => {
    const run = await cli([
      'build',
      '--project',
      '1000',
      '--name',
      'Space Race',
      '--scenes',
      'Main',
      '--out',
      'build',
      ...FAST_FLAGS,
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'playcanvas-build: warning: no --engine-version was given, so the API chose the engine: ' +
        'job 500001 reports 2.23.3; pin it with --engine-version 2.23.3 (the default has changed silently ' +
        'before), or set --require-engine-version to refuse builds without it',
    );
  });

  it('export --zip writes the archive as served, every entry checked', async () => {
    const run = await cli([
      'export',
      '--project',
      '1000',
      '--branch',
      'feature-boost',
      '--zip',
      '--out',
      'backups',
      ...FAST_FLAGS,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const [name] = await readdir(join(run.cwd, 'backups'));
    const served = Buffer.from(await (await fetch(server.jobs()[0]?.archiveUrl as string)).arrayBuffer());
    expect((await readFile(join(run.cwd, 'backups', name as string))).equals(served)).toBe(true);
  });

  browserTest('--stamp-version, --csp and --check: post-processed and booted before it is written', async () => {
    const run = await cli([
      ...BUILD_ARGS,
      '--out',
      'build',
      '--stamp-version',
      '2.0.0',
      '--csp',
      '--check',
      '--frames',
      '5',
      '--viewport',
      '320x180',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.check).toEqual({ bootMs: expect.any(Number), frames: expect.any(Number), engineVersion: '2.23.3' });
    expect(result.policy).toMatch(/^default-src 'none'; script-src 'self';/);
    const html = await readFile(join(run.cwd, 'build', 'index.html'), 'utf8');
    expect(html).toContain('<meta http-equiv="Content-Security-Policy"');
    expect(html).toContain('<meta name="version" content="2.0.0">');
  });
});

describe('exit codes, and nothing half-written', () => {
  it('1: the job failed; the API’s message, and the old --out left as it was', async () => {
    const cwd = await tempDir('cli-');
    await mkdir(join(cwd, 'build'));
    await writeFile(join(cwd, 'build', 'previous.txt'), 'the last good build\n');
    server.queueScenarios({ outcome: 'error', polls: 1, messages: ['Could not export: scene 2000 is broken'] });
    const run = await cli([...BUILD_ARGS, '--out', 'build', '--json'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/playcanvas-build: error: .*Could not export: scene 2000 is broken/);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, exitCode: 1, error: { code: 'JOB_FAILED' } });
    expect(await readdir(cwd)).toEqual(['build']);
    expect(await readdir(join(cwd, 'build'))).toEqual(['previous.txt']);
  });

  browserTest('1: --check found problems: the build is not written, and the problems are listed', async () => {
    const run = await cli([
      ...BUILD_ARGS.map((a) => (a === '1000' ? '1200' : a)),
      '--out',
      'build',
      '--check',
      '--frames',
      '5',
      '--check-timeout',
      '8000',
      '--viewport',
      '320x180',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        String.raw`playcanvas-build: error: The build did not boot cleanly \(\d+ problems?\):\n {2}- ` +
          String.raw`uncaught exception: player\.js failed to load`,
      ),
    );
    expect(await readdir(run.cwd)).toEqual([]);
  });

  it('2: usage — an unknown flag with a suggestion, a missing --out, --token, a wrong value, no token', async () => {
    const unknown = await cli([...BUILD_ARGS, '--out', 'build', '--engine-verison', '2']);
    expect([unknown.code, unknown.stderr]).toEqual([
      2,
      'playcanvas-build: error: Unknown flag --engine-verison: did you mean --engine-version? (see --help)\n',
    ]);
    const noOut = await cli(BUILD_ARGS);
    expect(noOut.stderr).toBe(
      'playcanvas-build: error: --out is required: the folder to write the build to, e.g. --out build\n',
    );
    expect(noOut.code).toBe(2);
    const token = await cli([...BUILD_ARGS, '--token', TOKEN]);
    expect(token.code).toBe(2);
    expect(token.stderr).toMatch(
      /There is no --token flag: a value given on the command line lands in the shell history/,
    );
    expect(token.stderr).not.toContain(TOKEN);
    const wrong = await cli([...BUILD_ARGS, '--out', 'build', '--timeout', '10m']);
    expect([wrong.code, wrong.stderr]).toEqual([
      2,
      'playcanvas-build: error: --timeout must be a positive number of milliseconds; got "10m"\n',
    ]);
    const singleOnCdn = await cli([
      ...BUILD_ARGS,
      '--out',
      'build',
      '--single-file',
      '--asset-prefix',
      'https://cdn.example.com/game/',
    ]);
    expect([singleOnCdn.code, singleOnCdn.stderr]).toEqual([
      2,
      'playcanvas-build: error: --single-file and --asset-prefix do not go together: ' +
        'a single file loads nothing from elsewhere (leave out one of them)\n',
    ]);
    const noToken = await cli([...BUILD_ARGS, '--out', 'build'], { env: { PLAYCANVAS_API_KEY: '' } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/No PlayCanvas API token: set the PLAYCANVAS_API_KEY environment variable/);
    expect(server.journal()).toEqual([]);
  });

  it(
    "2: post-processing and --check need a static build's files: with --zip or --format npm, " +
      'refused before any request',
    async () => {
      const withoutFiles = [];
      for (const args of [
        ['--zip', '--csp'],
        ['--zip', '--check'],
        ['--format', 'npm', '--stamp-version', '1.0.0'],
      ])
        withoutFiles.push(await cli([...BUILD_ARGS, '--out', 'build', ...args]));
      const staticOnly = 'works on the static build written as files, so it cannot be used with';
      expect(withoutFiles.map((run) => [run.code, run.stderr])).toEqual([
        [
          2,
          `playcanvas-build: error: --csp ${staticOnly} --zip (the zip is written as it is): ` +
            'leave out --csp, or leave out --zip\n',
        ],
        [
          2,
          `playcanvas-build: error: --check ${staticOnly} --zip (the zip is written as it is): ` +
            'leave out --check, or leave out --zip\n',
        ],
        [
          2,
          `playcanvas-build: error: --stamp-version ${staticOnly} --format npm ` +
            '(a project to build with Vite, not a site): ' +
            'leave out --stamp-version, or leave out --format npm\n',
        ],
      ]);
      expect(server.journal()).toEqual([]);
    },
  );

  it(
    '2: --out outside the working folder that holds files is refused before any request; ' +
      '--replace-outside allows it',
    async () => {
      const parent = await tempDir('cli-outside-');
      const cwd = join(parent, 'game');
      await mkdir(cwd);
      await mkdir(join(parent, 'site'));
      await writeFile(join(parent, 'site', 'notes.txt'), 'not a build\n');
      const refused = await cli([...BUILD_ARGS, '--out', '../site'], { cwd });
      expect([refused.code, refused.stderr]).toEqual([
        2,
        'playcanvas-build: error: --out "../site" is outside the working folder and already holds files ' +
          '(notes.txt), which would all be replaced: add --replace-outside if that is meant, ' +
          'or write inside the working folder\n',
      ]);
      expect(server.journal()).toEqual([]);
      expect(await readdir(join(parent, 'site'))).toEqual(['notes.txt']);
      const allowed = await cli([...BUILD_ARGS, '--out', '../site', '--replace-outside'], { cwd });
      expect(allowed.code, allowed.stderr).toBe(0);
      expect(await readdir(join(parent, 'site'))).toContain('index.html');
      expect(await readdir(join(parent, 'site'))).not.toContain('notes.txt');
    },
  );

  it('3: the API keeps failing; the network message, no file, no spool left', async () => {
    const spool = await tempDir('cli-spool-');
    server.addFault({ route: 'jobs.get', fault: { type: 'status', status: 503 } });
    const run = await cli([...BUILD_ARGS, '--out', 'build', '--retry-retries', '1', '--temp-dir', spool]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/playcanvas-build: error: .*503/);
    expect(await readdir(run.cwd)).toEqual([]);
    expect(await readdir(spool)).toEqual([]);
  });

  it('130: Ctrl-C mid-download stops at once; spool and staging folder removed, --out untouched', async () => {
    const spool = await tempDir('cli-spool-');
    server.addFault({ route: 'download', fault: { type: 'bandwidth', bytesPerSecond: 64 * 1024 } });
    const run = await cli([...BUILD_ARGS, '--out', 'build', '--temp-dir', spool], {
      onStderr: (text, child) => {
        if (/job 500001 completed/.test(text) && !child.killed) setTimeout(() => child.kill('SIGINT'), 300);
      },
    });
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/playcanvas-build: error: stopped \(received SIGINT\); nothing was written\n$/);
    expect(await readdir(run.cwd)).toEqual([]);
    expect(await readdir(spool)).toEqual([]);
  }, 30_000);
});

describe('playcanvas-build checkpoint and check', () => {
  it('checkpoint --json prints the checkpoint made', async () => {
    const run = await cli([
      'checkpoint',
      '--project',
      '1000',
      '--branch',
      'zeta',
      '--description',
      'Nightly',
      '--json',
      ...FAST_FLAGS,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: true,
      checkpoint: { id: expect.any(String), description: 'Nightly', branchId: 'b-zeta' },
    });
    expect(run.stderr).toMatch(/playcanvas-build: checkpoint \S+ of branch b-zeta: "Nightly"\n$/);
  });

  browserTest('check <dir> boots a build folder; exit 0', async () => {
    const dir = await buildFolder(server);
    const run = await cli(['check', dir, '--frames', '5', '--viewport', '320x180', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, engineVersion: '2.23.3' });
  });

  it('--help: how to use each command, every flag, the exit codes', async () => {
    const help = await cli(['build', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /^Usage: playcanvas-build build --project <id> --name <name> --scenes <ids or names> --out <dir> \[flags\]/,
    );
    for (const flag of [
      '--project-id, --project <n>',
      '--scenes <a,b>',
      '--checkpoint [description]',
      '--csp',
      '--check',
      '--retry-retries <n>',
      '--proxy <value>',
    ])
      expect(help.stdout).toContain(flag);
    expect(help.stdout).toContain('130  interrupted (Ctrl-C)');
    const top = await cli([]);
    expect(top.code).toBe(2);
    expect(top.stdout).toMatch(/Commands:\n {2}build {7}Builds the app/);
  });
});
