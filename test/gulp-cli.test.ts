import { copyFile, mkdir, readdir, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { buildFiles, runProcess } from 'test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { filesUnder, startMock, TOKEN, tempDir } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const gulpBin = join(dirname(createRequire(import.meta.url).resolve('gulp')), 'bin', 'gulp.js');

let server: MockServer;
beforeAll(async () => {
  server = await startMock();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

interface Run {
  code: number | null;
  output: string;
  out: string;
  temp: string;
}

/** Runs the real gulp CLI on a fixture gulpfile in a child process, against the mock over HTTP. */
async function gulp(gulpfile: string, args: string[] = [], env: Record<string, string> = {}): Promise<Run> {
  const out = await tempDir('e2e-out-');
  const temp = await tempDir('e2e-tmp-');
  const file = join(here, 'fixtures', gulpfile);
  const run = await runProcess(
    process.execPath,
    [gulpBin, '--gulpfile', file, '--cwd', dirname(file), 'build', '--no-color', ...args],
    {
      cwd: dirname(file),
      env: { PLAYCANVAS_API_KEY: TOKEN, PLAYCANVAS_BASE_URL: server.url, OUT_DIR: out, TEMP_DIR: temp, ...env },
    },
  );
  return { code: run.code, output: run.output, out, temp };
}

describe.each([
  ['CommonJS gulpfile.js', 'cjs/gulpfile.js', {}],
  ['ESM gulpfile.mjs', 'esm/gulpfile.mjs', {}],
  ['TypeScript gulpfile.ts', 'ts/gulpfile.ts', { NODE_OPTIONS: '--import tsx' }],
])('%s run by the gulp CLI', (_label, gulpfile, env) => {
  it('writes the build, logs its progress, cleans up and exits 0', async () => {
    const run = await gulp(gulpfile, [], env);
    expect(run.output).toMatch(/Finished 'build'/);
    expect(run.code).toBe(0);
    const files = await filesUnder(run.out);
    expect(files.has('index.html')).toBe(true);
    expect(files.has('config.json')).toBe(true);
    expect(run.output).toMatch(/gulp-playcanvas: build started, job 500001/);
    expect(run.output).toMatch(/gulp-playcanvas: job 500001 completed \(poll 2\)/);
    expect(run.output).toMatch(/gulp-playcanvas: emitted \d+ files/);
    expect(run.output).not.toContain(TOKEN);
    expect(await readdir(run.temp)).toEqual([]);
  });

  it('fails the task with exit code 1 and the API message when the job fails', async () => {
    server.queueScenarios({ outcome: 'error', polls: 1, messages: ['Could not export'] });
    const run = await gulp(gulpfile, [], env);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/gulp-playcanvas/);
    expect(run.output).toMatch(/PlayCanvas job 500001 failed: Could not export/);
    expect(run.output).not.toMatch(/Finished 'build'/);
    expect(run.output).not.toContain(TOKEN);
    expect(await readdir(run.temp)).toEqual([]);
  });
});

describe('gulp CLI behaviour', () => {
  it('stays quiet under --silent', async () => {
    const run = await gulp('esm/gulpfile.mjs', ['--silent']);
    expect(run.code).toBe(0);
    expect(run.output).toBe('');
  });

  it('under --silent a failed build exits 1 silently (gulp hides errors too); -L keeps only the error', async () => {
    server.queueScenarios(
      { outcome: 'error', polls: 1, messages: ['Could not export'] },
      { outcome: 'error', polls: 1, messages: ['Could not export'] },
    );
    const silent = await gulp('esm/gulpfile.mjs', ['--silent']);
    expect([silent.code, silent.output]).toEqual([1, '']);
    const errorsOnly = await gulp('esm/gulpfile.mjs', ['-L']);
    expect(errorsOnly.code).toBe(1);
    expect(errorsOnly.output).toMatch(/Could not export/);
    expect(errorsOnly.output).not.toMatch(/gulp-playcanvas: build started/);
  });

  it('fails the task on a bad option before any request', async () => {
    const run = await gulp('cjs/gulpfile.js', [], { PROJECT_ID: '-5' });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/Option projectId must be a positive integer; got -5/);
    expect(server.journal()).toEqual([]);
  });

  it('fails with a clear message when the API is unreachable', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const run = await gulp('esm/gulpfile.mjs', [], { PLAYCANVAS_BASE_URL: `http://127.0.0.1:${port}` });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/Cannot reach the PlayCanvas API: .* the connection was refused \(ECONNREFUSED\)/);
  }, 60_000);
});

describe('under gulp 4 (gulp-cli 2, which listens to gulplog 1)', () => {
  it('the progress lines and the failure still show', async () => {
    // a project of its own whose `gulp` is gulp 4, as an older project has it
    const project = await tempDir('gulp4-');
    const testModules = join(here, 'node_modules');
    await mkdir(join(project, 'node_modules'));
    await symlink(join(testModules, 'gulp4'), join(project, 'node_modules', 'gulp'), 'dir');
    await mkdir(join(project, 'node_modules', '@gulp-playcanvas'), { recursive: true });
    await symlink(
      join(testModules, '@gulp-playcanvas', 'gulp-playcanvas'),
      join(project, 'node_modules', '@gulp-playcanvas', 'gulp-playcanvas'),
      'dir',
    );
    await copyFile(join(here, 'fixtures', 'cjs', 'gulpfile.js'), join(project, 'gulpfile.js'));
    const gulp4 = join(testModules, 'gulp4', 'bin', 'gulp.js');
    const run = (env: Record<string, string>) =>
      runProcess(process.execPath, [gulp4, 'build', '--no-color'], {
        cwd: project,
        env: { PLAYCANVAS_API_KEY: TOKEN, PLAYCANVAS_BASE_URL: server.url, ...env },
      });
    const ok = await run({ OUT_DIR: await tempDir('gulp4-out-'), TEMP_DIR: await tempDir('gulp4-tmp-') });
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).toMatch(/Using gulpfile/);
    expect(ok.output).toMatch(/gulp-playcanvas: build started, job \d+/);
    expect(ok.output).toMatch(/gulp-playcanvas: emitted \d+ files/);
    server.queueScenarios({ outcome: 'error', polls: 1, messages: ['Could not export'] });
    const failed = await run({ OUT_DIR: await tempDir('gulp4-out-'), TEMP_DIR: await tempDir('gulp4-tmp-') });
    expect(failed.code).toBe(1);
    expect(failed.output).toMatch(/Could not export/);
  });
});

describe('a streamed build whose entry fails before gulp.dest reads it', () => {
  it(
    'size-lie on the whole-file path, buffer: false: a PluginError and exit 1, ' +
      'never "Did you forget to signal async completion?"',
    async () => {
      // config.json declared 2 MiB: streamed, opened ahead, failed (2811 bytes, not 2 MiB) before gulp.dest reads it
      server.addFault({ route: 'download', fault: { type: 'no-ranges' } });
      server.addFault({ route: 'download', fault: { type: 'size-lie', entry: 'config.json', size: 2 * 1024 * 1024 } });
      const run = await gulp('interrupt/gulpfile.mjs', [], { PROJECT_ID: '1000' });
      const output = stripVTControlCharacters(run.output);
      expect(run.code, output).toBe(1);
      expect(output).not.toMatch(/Did you forget to signal async completion/);
      expect(output).toMatch(/ArchiveError in plugin "gulp-playcanvas"/);
      expect(output).toMatch(
        new RegExp(
          String.raw`Message:\n {4}Entry "config\.json" inflates to \d+ bytes, ` +
            String.raw`not the 2097152 the archive declares: the archive is corrupt; run the build again\n`,
        ),
      );
      expect(run.output).not.toContain(TOKEN);
      // files that were whole stay (gulp.dest never cleans a folder); none is left half-written
      server.reset();
      const served = await buildFiles(server, { name: 'Interrupted', scenes: [2000] });
      for (const [name, facts] of await filesUnder(run.out))
        expect(facts.bytes.equals(served.get(name) ?? Buffer.alloc(0)), name).toBe(true);
      expect(await readdir(run.temp)).toEqual([]);
    },
  );

  it.each([
    ['the ranged host', []],
    ['the whole-file path', [{ route: 'download', fault: { type: 'no-ranges' } }]],
  ] as const)(
    'size-lie on the engine (over 1 MiB, declared 2 MiB) on %s, buffer: false: exit 1 and the spool gone',
    async (_path, faults) => {
      // gulp exits (process.exit) right after it prints the error: a removal started then and not finished
      // must still happen, by the exit hook
      for (const fault of faults) server.addFault(fault);
      server.addFault({
        route: 'download',
        fault: { type: 'size-lie', entry: 'playcanvas-stable.min.js', size: 2 * 1024 * 1024 },
      });
      const run = await gulp('interrupt/gulpfile.mjs', [], { PROJECT_ID: '1000' });
      const output = stripVTControlCharacters(run.output);
      expect(run.code, output).toBe(1);
      expect(output).toMatch(
        /Entry "playcanvas-stable\.min\.js" inflates to more than the 2097152 bytes the archive declares/,
      );
      expect(await readdir(run.temp)).toEqual([]);
    },
  );
});
