import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import playcanvas from '@gulp-playcanvas/gulp-playcanvas';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { liveTempDirs } from '@gulp-playcanvas/playcanvas-rest-client/testing';
import { deleteAsync } from 'del';
import gulp from 'gulp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  downloadUrlOf,
  expectSameFiles,
  FAST,
  filesUnder,
  logLines,
  servedFiles,
  startMock,
  TOKEN,
  tempDir,
} from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMock();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  expect(liveTempDirs()).toEqual([]);
});

const BUILD = { projectId: 1000, name: 'Space Race', scenes: [2000, 2001] };
const options = (extra: Record<string, unknown> = {}) => ({
  token: TOKEN,
  baseUrl: server.url,
  ...FAST,
  ...BUILD,
  ...extra,
});

function piped(source: NodeJS.ReadWriteStream, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const dest = gulp.dest(out);
    source.on('error', reject);
    dest.on('error', reject);
    dest.on('finish', resolve);
    source.pipe(dest);
  });
}

async function expectSameAsServed(out: string): Promise<void> {
  expectSameFiles(await filesUnder(out), await servedFiles(downloadUrlOf(server)));
}

describe('the build as files', () => {
  it('playcanvas().pipe(gulp.dest()) writes every file with the bytes, modes, mtimes of the mock’s zip', async () => {
    const out = await tempDir();
    await piped(playcanvas(options()), out);
    await expectSameAsServed(out);
    expect((await filesUnder(out)).get('files/assets/3001/1/tool.sh')?.mode).toBe(0o755);
    expect(liveTempDirs()).toEqual([]);
  });

  it('works in stream.pipeline with a transform between, like the README’s gulpfile', async () => {
    const out = await tempDir();
    const stamp = new Transform({
      objectMode: true,
      transform(file, _enc, cb) {
        if (file.relative === 'index.html')
          file.contents = Buffer.from(
            String(file.contents).replace('<head>', '<head>\n    <meta name="version" content="1.2.3">'),
          );
        cb(null, file);
      },
    });
    await pipeline(playcanvas(options({ version: '1.2.3' })), stamp, gulp.dest(out));
    expect(await readFile(join(out, 'index.html'), 'utf8')).toContain('<meta name="version" content="1.2.3">');
    expect(await readFile(join(out, '__settings__.js'), 'utf8')).toContain('SCENE_PATH = "2000.json"');
  });

  it('streams contents with buffer: false, to the same bytes', async () => {
    const out = await tempDir();
    const seen: boolean[] = [];
    const spy = new Transform({
      objectMode: true,
      transform(file, _enc, cb) {
        seen.push(file.isStream());
        cb(null, file);
      },
    });
    await pipeline(playcanvas(options({ buffer: false })), spy, gulp.dest(out));
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.every(Boolean)).toBe(true);
    await expectSameAsServed(out);
    expect(liveTempDirs()).toEqual([]);
  });

  it('emits the zip itself with extract: false, buffered or streamed', async () => {
    for (const buffer of [true, false]) {
      const out = await tempDir();
      await pipeline(playcanvas(options({ extract: false, buffer })), gulp.dest(out));
      const written = await filesUnder(out);
      expect([...written.keys()]).toEqual(['space-race.zip']);
      const served = Buffer.from(await (await fetch(downloadUrlOf(server))).arrayBuffer());
      expect(written.get('space-race.zip')?.bytes.equals(served)).toBe(true);
    }
    expect(liveTempDirs()).toEqual([]);
  });

  it('resolves branch and scene names to ids', async () => {
    const out = await tempDir();
    await pipeline(playcanvas(options({ branch: 'release-1.2', scenes: ['Level 2', 'Main'] })), gulp.dest(out));
    const posted = server.journal().find((e) => e.route === 'apps.download');
    expect(posted?.body).toMatchObject({ branch_id: 'b-release', scenes: [2001, 2000] });
    expect(await readFile(join(out, '__settings__.js'), 'utf8')).toContain('SCENE_PATH = "2001.json"');
  });

  it('builds the npm format', async () => {
    const out = await tempDir();
    await pipeline(playcanvas(options({ format: 'npm' })), gulp.dest(out));
    await expectSameAsServed(out);
    expect((await filesUnder(out)).has('src/main.mjs')).toBe(true);
  });

  it('exports the project archive', async () => {
    const out = await tempDir();
    await pipeline(
      playcanvas({
        token: TOKEN,
        baseUrl: server.url,
        ...FAST,
        projectId: 1000,
        branch: 'feature-boost',
        export: true,
      }),
      gulp.dest(out),
    );
    await expectSameAsServed(out);
    expect(JSON.parse(await readFile(join(out, 'project.json'), 'utf8')).branch.name).toBe('feature-boost');
  });

  it('passes files piped into it through, as gulp.src does', async () => {
    const src = await tempDir();
    await mkdir(join(src, 'extra'));
    await writeFile(join(src, 'extra', 'robots.txt'), 'User-agent: *\n');
    const out = await tempDir();
    await pipeline(gulp.src('extra/*.txt', { cwd: src, base: src }), playcanvas(options()), gulp.dest(out));
    const written = await filesUnder(out);
    expect(written.get('extra/robots.txt')?.bytes.toString()).toBe('User-agent: *\n');
    expect(written.has('index.html')).toBe(true);
  });
});

describe('what was built, on every file', () => {
  it('file.playcanvas: job, project, branch, engine, format; with checkpoint, the checkpoint made first', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const spy = new Transform({
      objectMode: true,
      transform(file, _enc, cb) {
        seen.push(file.playcanvas);
        cb(null, file);
      },
    });
    const out = await tempDir();
    const { lines, error } = await logLines(() =>
      pipeline(
        playcanvas(options({ branch: 'feature-boost', checkpoint: 'Release 1.2.3', engineVersion: '2.23.3' })),
        spy,
        gulp.dest(out),
      ),
    );
    expect(error).toBeUndefined();
    const checkpoint = server.journal().find((e) => e.route === 'checkpoints.create');
    expect(checkpoint?.body).toEqual({ projectId: 1000, branchId: 'b-boost', description: 'Release 1.2.3' });
    expect(seen.length).toBeGreaterThan(10);
    expect(new Set(seen).size, 'one metadata object, shared').toBe(1);
    expect(seen[0]).toEqual({
      jobId: 500002,
      projectId: 1000,
      branchId: 'b-boost',
      checkpointId: expect.any(String),
      engineVersion: '2.23.3',
      format: 'static',
    });
    expect(lines.some((l) => l.includes('no engineVersion'))).toBe(false);
  });

  it('without engineVersion, the log warns which engine the API chose', async () => {
    const out = await tempDir();
    const { lines, error } = await logLines(() => pipeline(playcanvas(options()), gulp.dest(out)));
    expect(error).toBeUndefined();
    expect(lines).toContain(
      'gulp-playcanvas: no engineVersion was given, so the API chose the engine: job 500001 reports 2.23.3; ' +
        "pin it with engineVersion: '2.23.3' (the default has changed silently before), " +
        'or set requireEngineVersion to refuse builds without it',
    );
  });
});

describe('two builds, one folder (the README recipe)', () => {
  it(
    'without cleaning, gulp.dest leaves the first build’s files beside the second’s; ' +
      'with del first, only the second is there',
    async () => {
      const out = await tempDir();
      await pipeline(playcanvas(options()), gulp.dest(out));
      await pipeline(playcanvas(options({ format: 'npm' })), gulp.dest(out));
      const mixed = await filesUnder(out);
      expect(mixed.has('__start__.js') && mixed.has('src/main.mjs')).toBe(true);
      await deleteAsync([out], { force: true });
      await pipeline(playcanvas(options({ format: 'npm' })), gulp.dest(out));
      expectSameFiles(await filesUnder(out), await servedFiles(downloadUrlOf(server)));
    },
  );
});
