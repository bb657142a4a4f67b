import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import gulp from 'gulp';
import playcanvas from 'gulp-playcanvas';
import type { MockServer } from 'playcanvas-mock-server';
import { liveTempDirs } from 'playcanvas-rest-client';
import PluginError from 'plugin-error';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectNoToken, FAST, filesUnder, startMock, TOKEN, tempDir } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMock();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const BUILD = { projectId: 1000, name: 'Space Race', scenes: [2000] };

/** Runs the pipeline into out/site and returns its error; checks what every failure must leave behind. */
async function failure(options: Record<string, unknown>): Promise<PluginError & Record<string, unknown>> {
  const root = await tempDir();
  const out = join(root, 'site');
  let error: unknown;
  try {
    await pipeline(playcanvas({ token: TOKEN, baseUrl: server.url, ...FAST, ...BUILD, ...options } as never), gulp.dest(out));
  } catch (e) {
    error = e;
  }
  expect(error, 'the pipeline should have failed').toBeInstanceOf(PluginError);
  expect((error as PluginError).plugin).toBe('gulp-playcanvas');
  expectNoToken(error);
  expect(liveTempDirs()).toEqual([]);
  // nothing beside the output folder
  expect((await readdir(root)).filter((n) => n !== 'site')).toEqual([]);
  return error as PluginError & Record<string, unknown>;
}

async function recovers(options: Record<string, unknown> = {}): Promise<void> {
  const out = await tempDir();
  await pipeline(playcanvas({ token: TOKEN, baseUrl: server.url, ...FAST, ...BUILD, ...options } as never), gulp.dest(out));
  expect((await filesUnder(out)).has('index.html')).toBe(true);
  expect(liveTempDirs()).toEqual([]);
}

describe('failures end the stream with a PluginError that says what happened', () => {
  it('job error: the job id and the API’s messages', async () => {
    server.queueScenarios({ outcome: 'error', polls: 1, messages: ['Could not export'] });
    const error = await failure({});
    expect(error.message).toMatch(/^PlayCanvas job 500001 failed: Could not export\. Check that the project builds/);
    expect(error.jobId).toBe(500001);
    expect(error.messages).toEqual(['Could not export']);
  });

  it('401: check the token', async () => {
    const error = await failure({ token: 'wrong-token' });
    expect(error.message).toMatch(/answered 401 "Unauthorized": check the API token/);
    expect(error.status).toBe(401);
  });

  it('403: the token has no access to the project', async () => {
    const error = await failure({ token: 'e2e-outsider-token' });
    expect(error.message).toMatch(/answered 403 "Forbidden": the token has no access to project 1000/);
  });

  it('404: the API message', async () => {
    const error = await failure({ projectId: 4242 });
    expect(error.message).toMatch(/answered 404 "Project not found": check project 4242/);
  });

  it('500 on every poll: fails after the retries, naming the job', async () => {
    server.addFault({ route: 'jobs.get', fault: { type: 'status', status: 500 } });
    const error = await failure({});
    expect(error.message).toMatch(/GET \/api\/jobs\/:id answered 500 "Internal server error" \(after 4 tries\).*\(job 500001\)$/);
  });

  it('truncated download every time', async () => {
    server.addFault({ route: 'download', fault: { type: 'truncate' } });
    const error = await failure({});
    expect(error.message).toMatch(/^Download of .* failed after 4 tries: the transfer broke after \d+ of \d+ bytes.*\(job 500001\)$/);
  });

  it('corrupt zip', async () => {
    server.addFault({ route: 'download', fault: { type: 'corrupt-zip' } });
    const error = await failure({});
    expect(error.message).toMatch(
      /^The archive space-race\.zip is corrupt or not a zip \(end of central directory record signature not found.*\): download it again, or run the build again \(job 500001\)$/i,
    );
  });

  it.each([
    [{ kind: 'file', name: '../escaped.txt' }, /hostile entry "\.\.\/escaped\.txt": it has a "\.\." segment/],
    [{ kind: 'file', name: '/tmp/abs-escape.txt' }, /hostile entry "\/tmp\/abs-escape\.txt": it is an absolute path/],
  ] as const)('hostile entry %j: refused before any file is written', async (entry, message) => {
    server.addFault({ route: 'download', fault: { type: 'hostile-entry', entry } });
    const root = await tempDir();
    const error = await failure({});
    expect(error.message).toMatch(message);
    expect((await readdir(root)).length).toBe(0);
  });

  it('symlink entry: skipped by default, refused with symlinks: "reject"', async () => {
    server.addFault({ route: 'download', fault: { type: 'hostile-entry', entry: { kind: 'symlink', name: 'evil-link', target: '/etc' } } });
    const out = await tempDir();
    await pipeline(playcanvas({ token: TOKEN, baseUrl: server.url, ...FAST, ...BUILD }), gulp.dest(out));
    const written = await filesUnder(out);
    expect(written.has('evil-link')).toBe(false);
    expect(written.has('index.html')).toBe(true);
    server.reset();
    server.addFault({ route: 'download', fault: { type: 'hostile-entry', entry: { kind: 'symlink', name: 'evil-link', target: '/etc' } } });
    const error = await failure({ symlinks: 'reject' });
    expect(error.message).toMatch(/symbolic link "evil-link": refused/);
  });

  it('timeout: a job that never finishes', async () => {
    server.queueScenarios({ outcome: 'running' });
    const error = await failure({ timeout: 500 });
    expect(error.message).toBe(
      'Timed out after 500 ms while building project 1000 (waiting for job 500001 to finish): raise the timeout option if the build is large',
    );
  });

  it('abort: the signal stops the build', async () => {
    server.queueScenarios({ outcome: 'running' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const error = await failure({ signal: controller.signal });
    expect(error.message).toMatch(/^Aborted while building project 1000 \(waiting for job 500001 to finish\): the caller's signal fired$/);
  });
});

describe('transient faults are recovered', () => {
  it('429 on the POST: waits for the reset (journal shows the gap), then succeeds', async () => {
    server.addFault({ route: 'apps.download', fault: { type: 'status', status: 429, resetIn: 1 }, times: 1 });
    await recovers();
    const posts = server.journal().filter((e) => e.route === 'apps.download');
    expect(posts.map((e) => e.status)).toEqual([429, 201]);
    expect((posts[1]?.wallMs ?? 0) - (posts[0]?.wallMs ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('500 once on a poll', async () => {
    server.addFault({ route: 'jobs.get', fault: { type: 'status', status: 500 }, times: 1 });
    await recovers();
  });

  it('connection reset on a poll', async () => {
    server.addFault({ route: 'jobs.get', fault: { type: 'reset' }, times: 1 });
    await recovers();
  });

  it('truncated download once', async () => {
    server.addFault({ route: 'download', fault: { type: 'truncate' }, times: 1 });
    await recovers();
  });
});

describe('bad options throw a PluginError at once', () => {
  it.each([
    [{ ...BUILD, projectId: 'abc' }, /Option projectId must be a positive integer; got "abc"/],
    [{ ...BUILD, extract: 'yes' }, /Option extract must be true or false; got "yes"/],
    [{ ...BUILD, symlinks: 'follow' }, /Option symlinks must be "skip" or "reject"; got "follow"/],
    [{ ...BUILD, timeout: 0 }, /Option timeout must be a positive number of milliseconds; got 0/],
    [{ ...BUILD, baseUrl: 'http://example.com' }, /uses plain HTTP to another machine/],
    [{ ...BUILD, token: undefined, env: undefined }, /Option env is not a build option|No PlayCanvas API token/],
  ])('%j', (opts, message) => {
    const saved = process.env.PLAYCANVAS_API_KEY;
    delete process.env.PLAYCANVAS_API_KEY;
    try {
      expect(() => playcanvas({ token: TOKEN, ...opts } as never)).toThrow(message);
      expect(() => playcanvas({ token: TOKEN, ...opts } as never)).toThrow(PluginError);
    } finally {
      if (saved !== undefined) process.env.PLAYCANVAS_API_KEY = saved;
    }
  });

  it('names the missing token variable', () => {
    const saved = process.env.PLAYCANVAS_API_KEY;
    delete process.env.PLAYCANVAS_API_KEY;
    try {
      expect(() => playcanvas({ ...BUILD })).toThrow(/No PlayCanvas API token: set the PLAYCANVAS_API_KEY environment variable/);
    } finally {
      if (saved !== undefined) process.env.PLAYCANVAS_API_KEY = saved;
    }
  });
});
