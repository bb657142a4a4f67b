import type { ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import {
  browserTest,
  expectNoSecret,
  expectSameFiles,
  FAST,
  filesUnder,
  runProcess,
  servedFiles,
  startMock,
  startRedis,
  TOKEN,
  tempDir,
} from 'test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

/** The real grunt-cli binary runs a real Gruntfile in a project of its own, which loads this package as users do. */
const require = createRequire(import.meta.url);
const gruntCli = join(dirname(require.resolve('grunt-cli/package.json')), 'bin', 'grunt');
const gruntPackage = dirname(require.resolve('grunt/package.json'));
const thisPackage = fileURLToPath(new URL('..', import.meta.url));

let server: MockServer;
beforeAll(async () => {
  server = await startMock();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** What every target builds; polls in milliseconds, not seconds, so each run takes about a second. */
const BUILD = {
  projectId: 1000,
  name: 'Space Race',
  scenes: ['Main', 'Level 2'],
  branch: 'main',
  engineVersion: '2.23.3',
  poll: FAST.poll,
};

interface Project {
  dir: string;
  /** The client's temp folder (the tempDir option): empty after every run. */
  temp: string;
}

/** A Gruntfile with this config ($TEMP standing for the project's temp folder) and the task loaded as users load it. */
function gruntfile(config: Record<string, unknown>, extra = ''): string {
  return (
    `module.exports = function (grunt) {\n  grunt.initConfig(${JSON.stringify(config, null, 2)});\n` +
    `  grunt.loadNpmTasks('@gulp-playcanvas/grunt-playcanvas');\n${extra}};\n`
  );
}

/**
 * A temp project: package.json, the Gruntfile (and other files), node_modules/grunt and
 * node_modules/@gulp-playcanvas/grunt-playcanvas linked in.
 */
async function project(files: Record<string, string>): Promise<Project> {
  const dir = await tempDir('grunt-project-');
  const temp = await tempDir('grunt-temp-');
  await mkdir(join(dir, 'node_modules'));
  await symlink(gruntPackage, join(dir, 'node_modules', 'grunt'), 'dir');
  await mkdir(join(dir, 'node_modules', '@gulp-playcanvas'));
  await symlink(thisPackage, join(dir, 'node_modules', '@gulp-playcanvas', 'grunt-playcanvas'), 'dir');
  const manifest = {
    name: 'game',
    version: '1.4.2',
    private: true,
    devDependencies: { grunt: '1.6.3', '@gulp-playcanvas/grunt-playcanvas': '0.1.0' },
  };
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text.replaceAll('$TEMP', temp));
  return { dir, temp };
}

/** The real grunt-cli in the project's folder, as a user runs it: the token and the mock's URL in the environment. */
function grunt(
  project: Project,
  args: string[],
  env: Record<string, string> = {},
  onOutput?: (output: string, child: ChildProcess) => void,
) {
  return runProcess(process.execPath, [gruntCli, '--no-color', ...args], {
    cwd: project.dir,
    env: { PLAYCANVAS_API_KEY: TOKEN, PLAYCANVAS_BASE_URL: server.url, ...env },
    ...(onOutput ? { onOutput } : {}),
  });
}

/**
 * What a project folder holds besides the Gruntfile, package.json and node_modules: dest, and never a staging folder.
 */
async function leftInProject(project: Project): Promise<string[]> {
  return (await readdir(project.dir))
    .filter((name) => !['Gruntfile.js', 'README-Gruntfile.js', 'package.json', 'node_modules'].includes(name))
    .sort();
}

function archiveUrl(jobId: number): string {
  const url = server.jobs().find((job) => job.id === jobId)?.archiveUrl;
  if (!url) throw new Error(`job ${jobId} has no archive`);
  return url;
}

/** The Gruntfile in this package's README. */
async function readmeGruntfile(): Promise<string> {
  const readme = await readFile(join(thisPackage, 'README.md'), 'utf8');
  const block = /## Gruntfile\s+```js\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('no Gruntfile in the README');
  return block;
}

async function writeOldBuild(project: Project): Promise<void> {
  await mkdir(join(project.dir, 'build'));
  await writeFile(join(project.dir, 'build', 'index.html'), 'the previous build\n');
}

describe('grunt-playcanvas run by the real grunt-cli', () => {
  it(
    'writes the build into dest (same files, modes and mtimes as served), ' +
      'an export as the zip itself, logs progress and exits 0',
    async () => {
      const p = await project({
        'Gruntfile.js': gruntfile({
          playcanvas: {
            options: { ...BUILD, tempDir: '$TEMP' },
            game: { dest: 'build' },
            // the build options it gets from the task's options are left out of an export
            backup: { dest: 'backup', options: { export: true, extract: false } },
          },
        }),
      });
      await writeOldBuild(p);
      await chmod(join(p.dir, 'build'), 0o750);
      const folderMode = async (path: string) => (await stat(path)).mode & 0o7777;
      const run = await grunt(p, ['playcanvas:game', 'playcanvas:backup']);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toMatch(/Running "playcanvas:game" \(playcanvas\) task/);
      expect(run.output).toMatch(/build started, job 500001/);
      expect(run.output).toMatch(/job 500001 completed \(poll 2\)/);
      expect(run.output).toMatch(/wrote \d+ files \([\d.]+ [KM]B\) from job 500001/);
      expect(run.output).toMatch(/export started, job 500002/);
      expect(run.output).toMatch(/wrote the archive \S+\.zip \([\d.]+ [KM]B\) of job 500002, every entry checked/);
      expect(run.output).toMatch(/Done\.\s*$/);
      expectSameFiles(await filesUnder(join(p.dir, 'build')), await servedFiles(archiveUrl(500001)));
      const zipped = await readdir(join(p.dir, 'backup'));
      expect(zipped).toHaveLength(1);
      const served = Buffer.from(await (await fetch(archiveUrl(500002))).arrayBuffer());
      expect((await readFile(join(p.dir, 'backup', zipped[0]!))).equals(served)).toBe(true);
      // a folder's usual mode: the old dest's for a replaced one, what mkdir gives (node_modules here) for a new one
      expect(await folderMode(join(p.dir, 'build'))).toBe(0o750);
      expect(await folderMode(join(p.dir, 'backup'))).toBe(await folderMode(join(p.dir, 'node_modules')));
      expect(await leftInProject(p)).toEqual(['backup', 'build']);
      expect(await readdir(p.temp)).toEqual([]);
      expectNoSecret(run.output);
    },
  );

  it(
    'fails with exit code 6 (a Grunt warning) and the API’s message when the job fails: ' +
      'dest as it was, no staging left; --force goes on',
    async () => {
      const p = await project({
        'Gruntfile.js': gruntfile(
          { playcanvas: { options: { ...BUILD, tempDir: '$TEMP' }, game: { dest: 'build' } } },
          "  grunt.registerTask('after', () => grunt.log.writeln('the next task ran'));\n",
        ),
      });
      await writeOldBuild(p);
      const before = await filesUnder(join(p.dir, 'build'));
      server.queueScenarios({ outcome: 'error', polls: 1, messages: ['Could not export'] });
      const run = await grunt(p, ['playcanvas:game', 'after']);
      expect(run.code, run.output).toBe(6);
      expect(run.output).toMatch(/Warning: PlayCanvas job 500001 failed: Could not export.* Use --force to continue\./);
      expect(run.output).toMatch(/Aborted due to warnings\./);
      expect(run.output).not.toContain('the next task ran');
      expectSameFiles(await filesUnder(join(p.dir, 'build')), before);
      expect(await leftInProject(p)).toEqual(['build']);
      expect(await readdir(p.temp)).toEqual([]);
      expectNoSecret(run.output);

      server.queueScenarios({ outcome: 'error', polls: 1, messages: ['Could not export'] });
      const forced = await grunt(p, ['playcanvas:game', 'after', '--force']);
      expect(forced.output).toMatch(
        /Warning: PlayCanvas job 500002 failed: Could not export.* Used --force, continuing\./,
      );
      expect(forced.output).toContain('the next task ran');
      expect(forced.output).toMatch(/Done, but with warnings\./);
      expect(forced.code, forced.output).toBe(0);
      expectSameFiles(await filesUnder(join(p.dir, 'build')), before);
    },
  );

  it('refuses a bad option before any request, naming it (exit code 6)', async () => {
    const p = await project({
      'Gruntfile.js': gruntfile({
        playcanvas: {
          options: { ...BUILD, tempDir: '$TEMP' },
          badProject: { dest: 'build', options: { projectId: -5 } },
          noDest: { options: {} },
          cspOnZip: { dest: 'zip', options: { extract: false, csp: true } },
          checkOfExport: { dest: 'export', options: { export: true, check: true } },
          singleOnCdn: { dest: 'single', options: { singleFile: true, assetPrefix: 'https://cdn.example.com/game/' } },
          misplaced: { dest: 'build', projectId: 1000 },
        },
      }),
    });
    const run = await grunt(p, ['playcanvas:badProject']);
    expect(run.code, run.output).toBe(6);
    expect(run.output).toMatch(
      /Warning: Option projectId must be a positive integer; got -5\. Use --force to continue\./,
    );
    const forced = await grunt(p, [
      'playcanvas:noDest',
      'playcanvas:cspOnZip',
      'playcanvas:checkOfExport',
      'playcanvas:singleOnCdn',
      'playcanvas:misplaced',
      '--force',
    ]);
    expect(forced.output).toMatch(/Option dest is required: the folder to write the build to, e\.g\. dest: 'build'/);
    expect(forced.output).toContain(
      'Warning: Option csp works on the static build written as files, so it cannot be used with extract: false ' +
        "(the zip is written as it is): set csp: false on this target if it comes from the task's options, or leave " +
        'out extract: false',
    );
    expect(forced.output).toContain(
      'Warning: Option check works on the static build written as files, so it cannot be used with export: true ' +
        "(a project archive, not a build): set check: false on this target if it comes from the task's options.",
    );
    // the rule the CLI has for --single-file with --asset-prefix, in the Gruntfile's words
    expect(forced.output).toContain(
      'Warning: singleFile and assetPrefix do not go together: ' +
        'a single file loads nothing from elsewhere (leave out one of them)',
    );
    expect(forced.output).toMatch(
      /playcanvas:misplaced has projectId beside options: a target takes dest and options; put projectId under options/,
    );
    expect(server.journal()).toEqual([]);
    expect(await leftInProject(p)).toEqual([]);
  });

  it('a wrong token: exit code 6 and what to do, the token in no line, not even with --verbose --stack', async () => {
    const wrong = `${TOKEN}-revoked`;
    const p = await project({
      'Gruntfile.js': gruntfile({
        playcanvas: {
          options: { ...BUILD, tempDir: '$TEMP', token: wrong },
          game: { dest: 'build' },
        },
      }),
    });
    await writeOldBuild(p);
    const before = await filesUnder(join(p.dir, 'build'));
    const run = await grunt(p, ['playcanvas:game', '--verbose', '--stack'], { PLAYCANVAS_API_KEY: '' });
    expect(run.code, run.output).toBe(6);
    expect(run.output).toMatch(
      new RegExp(
        String.raw`Warning: PlayCanvas API: GET \/api\/projects\/1000\/branches answered 401 ` +
          String.raw`"Unauthorized": check the API token \(the PLAYCANVAS_API_KEY environment variable or ` +
          String.raw`the token option\): it is missing, mistyped or revoked\. Use --force to continue\.`,
      ),
    );
    expect(run.output).toMatch(/Options: .*token="\(hidden\)"/);
    expect(run.output).toMatch(/ApiError: PlayCanvas API: .*\n\s+at /);
    expect(run.output).toMatch(/Aborted due to warnings\./);
    expectNoSecret(run.output, wrong);
    expectNoSecret(run.output);
    expectSameFiles(await filesUnder(join(p.dir, 'build')), before);
    expect(await leftInProject(p)).toEqual(['build']);
    expect(await readdir(p.temp)).toEqual([]);
  });

  it('grunt playcanvas runs every target; csp and stampVersion rewrite the build before it replaces dest', async () => {
    const p = await project({
      'Gruntfile.js': gruntfile(
        {
          playcanvas: {
            options: { ...BUILD, tempDir: '$TEMP', version: '<%= pkg.version %>' },
            plain: { dest: 'dist/plain' },
            secured: {
              dest: 'dist/secured',
              options: { csp: { connect: ['https://api.example.com'] }, stampVersion: true },
            },
          },
        },
        "  grunt.config.set('pkg', grunt.file.readJSON('package.json'));\n",
      ),
    });
    const run = await grunt(p, ['playcanvas']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(
      /Running "playcanvas:plain" \(playcanvas\) task[\s\S]*Running "playcanvas:secured" \(playcanvas\) task/,
    );
    expect(run.output).toMatch(/stampVersion: stamped 1\.4\.2/);
    expect(run.output).toMatch(/csp: default-src 'none'.*connect-src[^;]*https:\/\/api\.example\.com/);
    const plain = await readFile(join(p.dir, 'dist', 'plain', 'index.html'), 'utf8');
    const secured = await readFile(join(p.dir, 'dist', 'secured', 'index.html'), 'utf8');
    expect(plain).not.toContain('Content-Security-Policy');
    expect(secured).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'[^"]*https:\/\/api\.example\.com/,
    );
    expect(secured).toContain('<meta name="version" content="1.4.2">');
    expectSameFiles(await filesUnder(join(p.dir, 'dist', 'plain')), await servedFiles(archiveUrl(500001)));
    expect((await readdir(join(p.dir, 'dist'))).sort()).toEqual(['plain', 'secured']);
    expect(await readdir(p.temp)).toEqual([]);
  });

  it(
    'checkpoint: true makes a checkpoint before the build and logs (and with metadataFile writes) ' +
      'what was built; --verbose shows no token',
    async () => {
      const p = await project({
        'Gruntfile.js': gruntfile({
          playcanvas: {
            game: {
              dest: 'build',
              options: { ...BUILD, checkpoint: true, token: TOKEN, tempDir: '$TEMP', metadataFile: 'build.json' },
            },
          },
        }),
      });
      const run = await grunt(p, ['playcanvas:game', '--verbose'], { PLAYCANVAS_API_KEY: '' });
      expect(run.code, run.output).toBe(0);
      const routes = server.journal().map((entry) => entry.route);
      expect(routes).toContain('checkpoints.create');
      expect(routes.indexOf('checkpoints.create')).toBeLessThan(routes.indexOf('apps.download'));
      const metadata = JSON.parse(await readFile(join(p.dir, 'build', 'build.json'), 'utf8'));
      expect(metadata).toEqual({
        jobId: 500002,
        projectId: 1000,
        branchId: 'b-main',
        checkpointId: expect.any(String),
        engineVersion: '2.23.3',
        format: 'static',
      });
      expect(run.output).toContain(`wrote build: ${JSON.stringify(metadata)}`);
      expect(run.output).toMatch(/Options: .*token="\(hidden\)"/);
      expectNoSecret(run.output);
    },
  );

  it(
    'rateBudget shares the budget through Redis, ' +
      'from the options or PLAYCANVAS_RATE_REDIS; --verbose shows no password; grunt ends',
    async () => {
      const redis = await startRedis({ password: 'grunt-redis-pw' });
      try {
        const p = await project({
          'Gruntfile.js': gruntfile({
            playcanvas: {
              options: { ...BUILD, tempDir: '$TEMP' },
              game: { dest: 'build', options: { rateBudget: { redis: redis.url, key: 'grunt-test' } } },
              other: { dest: 'other' },
            },
          }),
        });
        const run = await grunt(p, ['playcanvas:game', '--verbose']);
        expect(run.code, run.output).toBe(0);
        expect(run.output).toMatch(/rateBudget=\{"redis":"redis:\/\/127\.0\.0\.1:\d+","key":"grunt-test"\}/);
        expect(await redis.cli('--scan', '--pattern', 'grunt-test:*')).toMatch(/^grunt-test:[0-9a-f]{32}:strict$/m);
        const fromEnv = await grunt(p, ['playcanvas:other'], { PLAYCANVAS_RATE_REDIS: redis.url });
        expect(fromEnv.code, fromEnv.output).toBe(0);
        expect(await redis.cli('--scan', '--pattern', 'playcanvas:rate:*')).toMatch(
          /^playcanvas:rate:[0-9a-f]{32}:strict$/m,
        );
        for (const output of [run.output, fromEnv.output]) {
          expect(output).not.toContain('grunt-redis-pw');
          expect(output).not.toMatch(/shared rate budget/);
          expectNoSecret(output);
        }
      } finally {
        await redis.kill();
      }
    },
  );

  it('Ctrl-C while the job runs: dest as it was, the staging folder and the temp files gone', async () => {
    const p = await project({
      'Gruntfile.js': gruntfile({ playcanvas: { options: { ...BUILD, tempDir: '$TEMP' }, game: { dest: 'build' } } }),
    });
    await writeOldBuild(p);
    const before = await filesUnder(join(p.dir, 'build'));
    server.queueScenarios({ outcome: 'running' });
    let staged = false;
    const run = await grunt(p, ['playcanvas:game'], {}, (output, child) => {
      if (!output.includes('job 500001 is running') || child.killed) return;
      staged = readdirSync(p.dir).some((name) => name.startsWith('.build.staging-'));
      child.kill('SIGINT');
    });
    expect(staged, 'a staging folder while the job ran').toBe(true);
    expect(run.signal, run.output).toBe('SIGINT');
    expectSameFiles(await filesUnder(join(p.dir, 'build')), before);
    expect(await leftInProject(p)).toEqual(['build']);
    expect(await readdir(p.temp)).toEqual([]);
  });

  browserTest(
    'the README’s Gruntfile: stamped, under a CSP, booted in Chromium before it replaced dest, ' +
      'the export zipped after a checkpoint; a build that does not boot never replaces dest',
    async () => {
      // the README's Gruntfile as it is, with polls in milliseconds and the temp folder merged in, and a target that
      // cannot boot
      const merged = {
        playcanvas: {
          options: { poll: FAST.poll, tempDir: '$TEMP' },
          // a screenshot inside dest must survive the swap that replaces dest
          game: { options: { check: { screenshot: 'build/boot.png' } } },
          stalled: {
            dest: 'build',
            options: {
              name: 'Space Race',
              scenes: ['Main'],
              check: { until: 'window.neverSet === true', timeout: 1000 },
            },
          },
        },
      };
      const p = await project({
        'README-Gruntfile.js': await readmeGruntfile(),
        'Gruntfile.js':
          `const readme = require('./README-Gruntfile.js');\nmodule.exports = (grunt) ` +
          `=> {\n  readme(grunt);\n  grunt.config.merge(${JSON.stringify(merged)});\n};\n`,
      });
      const run = await grunt(p, ['default', 'playcanvas:backup']);
      expect(run.code, run.output).toBe(0);
      expect(run.output).toMatch(/stampVersion: stamped 1\.4\.2/);
      expect(run.output).toMatch(/csp: default-src 'none'/);
      expect(run.output).toMatch(/check: the build booted in [\d.]+ s \(\d+ frames, engine 2\.23\.3\)/);
      const index = await readFile(join(p.dir, 'build', 'index.html'), 'utf8');
      expect(index).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'/);
      expect((await readFile(join(p.dir, 'build', 'boot.png'))).subarray(1, 4).toString()).toBe('PNG');
      expect(index).toContain('<meta name="version" content="1.4.2">');
      expect(JSON.parse(await readFile(join(p.dir, 'build', 'build.json'), 'utf8'))).toMatchObject({
        jobId: 500001,
        format: 'static',
      });
      const checkpoint = server.journal().find((entry) => entry.route === 'checkpoints.create');
      expect(checkpoint?.body).toMatchObject({ description: 'Nightly backup' });
      expect((await readdir(join(p.dir, 'backup'))).filter((name) => name.endsWith('.zip'))).toHaveLength(1);
      expect(await leftInProject(p)).toEqual(['backup', 'build']);

      // a file no build has: if the failed run replaced dest, it would be gone
      await writeFile(join(p.dir, 'build', 'deployed.txt'), 'the build that was checked\n');
      const before = await filesUnder(join(p.dir, 'build'));
      const stalled = await grunt(p, ['playcanvas:stalled']);
      expect(stalled.code, stalled.output).toBe(6);
      // on a loaded machine the page may also be called busy after its timeout (both true): one or two problems, a
      // timeout first
      expect(stalled.output).toMatch(
        /Warning: The build did not boot cleanly \((1 problem|2 problems)\):\n {2}- timed out after \d+ ms/,
      );
      expectSameFiles(await filesUnder(join(p.dir, 'build')), before);
      expect(await leftInProject(p)).toEqual(['backup', 'build']);
    },
    // three grunt runs, two of them booting Chromium
    120_000,
  );
});
