import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import playcanvas from '@gulp-playcanvas/gulp-playcanvas';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { liveTempDirs } from '@gulp-playcanvas/playcanvas-rest-client/testing';
import gulp from 'gulp';
import PluginError from 'plugin-error';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BUILD, expectNoToken, FAST, filesUnder, OUTSIDER_TOKEN, startMock, TOKEN, tempDir } from './helpers.js';

// The fault matrix (fault-matrix.test.ts) covers each phase × fault; these are what it does not: the API's
// refusals, and the fields a PluginError keeps for a gulpfile that wants to act on them.

let server: MockServer;
beforeAll(async () => {
  server = await startMock();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/**
 * Runs the pipeline with its spool in root/spool and output in root/site; checks what every failure must leave behind.
 */
async function failure(options: Record<string, unknown>): Promise<PluginError & Record<string, unknown>> {
  const root = await tempDir();
  const spool = join(root, 'spool');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(spool);
  let error: unknown;
  try {
    await pipeline(
      playcanvas({ token: TOKEN, baseUrl: server.url, ...FAST, ...BUILD, tempDir: spool, ...options } as never),
      gulp.dest(join(root, 'site')),
    );
  } catch (e) {
    error = e;
  }
  expect(error, 'the pipeline should have failed').toBeInstanceOf(PluginError);
  expect((error as PluginError).plugin).toBe('gulp-playcanvas');
  expectNoToken(error);
  expect(liveTempDirs()).toEqual([]);
  expect(await readdir(spool)).toEqual([]);
  expect((await readdir(root)).sort()).toEqual(['spool']);
  return error as PluginError & Record<string, unknown>;
}

describe("the API's refusals end the stream with a PluginError that keeps the client error's fields", () => {
  it('401: check the token', async () => {
    const error = await failure({ token: 'wrong-token' });
    expect(error.message).toBe(
      'PlayCanvas API: POST /api/apps/download answered 401 "Unauthorized": ' +
        'check the API token (the PLAYCANVAS_API_KEY environment variable or the token option): ' +
        'it is missing, mistyped or revoked',
    );
    expect(error).toMatchObject({ status: 401, code: 'API', apiMessage: 'Unauthorized', route: '/api/apps/download' });
    expect((error as { cause?: unknown }).cause).toMatchObject({ name: 'ApiError', status: 401 });
  });

  it('403: the token has no access to the project', async () => {
    const error = await failure({ token: OUTSIDER_TOKEN });
    expect(error.message).toMatch(/answered 403 "Forbidden": the token has no access to project 1000/);
  });

  it('404: the API message, and which ids to check', async () => {
    const error = await failure({ projectId: 4242 });
    expect(error.message).toMatch(/answered 404 "Project not found": check project 4242/);
  });

  it('job error: the job id and the messages', async () => {
    server.queueScenarios({ outcome: 'error', polls: 1, messages: ['Could not export', 'player.js: syntax error'] });
    const error = await failure({});
    expect(error).toMatchObject({
      code: 'JOB_FAILED',
      jobId: 500001,
      messages: ['Could not export', 'player.js: syntax error'],
    });
  });

  it('a rate limit that outlasts the wait allowed is a RateLimitError, not an ApiError', async () => {
    server.addFault({ route: 'apps.download', fault: { type: 'status', status: 429, retryAfter: 3600 } });
    const error = await failure({});
    expect(error).toMatchObject({ name: 'RateLimitError', code: 'RATE_LIMITED', status: 429 });
  });
});

describe('symlink entries', () => {
  it('are skipped by default, with a warning', async () => {
    server.addFault({
      route: 'download',
      fault: { type: 'hostile-entry', entry: { kind: 'symlink', name: 'evil-link', target: '/etc' } },
    });
    const out = await tempDir();
    await pipeline(playcanvas({ token: TOKEN, baseUrl: server.url, ...FAST, ...BUILD }), gulp.dest(out));
    const written = await filesUnder(out);
    expect(written.has('evil-link')).toBe(false);
    expect(written.has('index.html')).toBe(true);
  });
});
