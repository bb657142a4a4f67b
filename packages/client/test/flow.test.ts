import { readFile, stat } from 'node:fs/promises';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, ConfigError, describeJobStatus, JobFailedError } from '../src/index.js';
import { liveTempDirs } from '../src/testing.js';
import { BUILD, caught, clientFor, OUTSIDER_TOKEN, startMock } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMock();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('build()', () => {
  it('starts, polls and downloads: the archive on disk is the mock’s zip, byte for byte', async () => {
    const { client, events } = clientFor(server);
    const { job, archive } = await client.build({ ...BUILD, scriptsConcatenate: true, engineVersion: '2.7.4' });
    expect(job).toMatchObject({ id: 500001, status: 'complete' });
    const served = Buffer.from(await (await fetch(job.data.downloadUrl as string)).arrayBuffer());
    expect((await readFile(archive.path)).equals(served)).toBe(true);
    expect(archive.size).toBe(served.length);
    expect(archive.path).toMatch(/space-race\.zip$/);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['job-started', 'job-status', 'download-progress', 'download-complete']),
    );
    expect(events.filter((e) => e.type === 'job-status').map((e) => (e as { status: string }).status)).toEqual([
      'running',
      'complete',
    ]);
    const posted = server.journal().find((e) => e.route === 'apps.download');
    expect(posted?.body).toEqual({
      project_id: 1000,
      name: 'Space Race',
      scenes: [2000],
      scripts_concatenate: true,
      engine_version: '2.7.4',
    });
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    expect(posted?.headers['user-agent']).toBe(`playcanvas-rest-client/${version} node/${process.versions.node}`);
    await archive.dispose();
    await expect(stat(archive.path)).rejects.toThrow(/ENOENT/);
    expect(liveTempDirs()).toEqual([]);
  });

  it('resolves a branch name across cursor pages and scene names to ids', async () => {
    const { client } = clientFor(server);
    const { job, archive } = await client.build({ ...BUILD, branch: 'release-1.2', scenes: ['Level 2', 2000] });
    await archive.dispose();
    expect(job.data).toMatchObject({ branchId: 'b-release', scenes: [2001, 2000] });
    const pages = server.journal().filter((e) => e.route === 'branches.list');
    expect(pages.map((e) => e.query.skip ?? null)).toEqual([null, 'b-boost', 'b-main']);
  });

  it('says which branches and scenes exist when a name is unknown', async () => {
    const { client } = clientFor(server);
    const branch = await caught(client.startBuild({ ...BUILD, branch: 'develop' }));
    expect(branch).toBeInstanceOf(ConfigError);
    expect(branch.message).toBe(
      'Branch "develop" not found in project 1000; open branches: feature-boost (b-boost), main (b-main), ' +
        'release-1.2 (b-release), zeta (b-zeta)',
    );
    const scene = await caught(client.startBuild({ ...BUILD, scenes: ['Menu'] }));
    expect(scene.message).toBe('Scene "Menu" not found in project 1000; scenes: Main (2000), Level 2 (2001)');
    expect(server.journal().some((e) => e.route === 'apps.download')).toBe(false);
  });

  it('fails with JobFailedError carrying the job id and messages when the job ends in error', async () => {
    server.queueScenarios({ outcome: 'error', polls: 2, messages: ['Could not export', 'script error in player.js'] });
    const { client } = clientFor(server);
    const error = (await caught(client.build(BUILD))) as JobFailedError;
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.jobId).toBe(500001);
    expect(error.messages).toEqual(['Could not export', 'script error in player.js']);
    expect(error.message).toMatch(
      /^PlayCanvas job 500001 failed: Could not export; script error in player\.js\. Check that the project builds/,
    );
    expect(liveTempDirs()).toEqual([]);
  });
});

describe('API errors', () => {
  it('401: says to check the token', async () => {
    const { client } = clientFor(server, { token: 'wrong-token' });
    const error = (await caught(client.startBuild(BUILD))) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 401,
      apiMessage: 'Unauthorized',
      method: 'POST',
      route: '/api/apps/download',
    });
    expect(error.message).toBe(
      'PlayCanvas API: POST /api/apps/download answered 401 "Unauthorized": ' +
        'check the API token (the PLAYCANVAS_API_KEY environment variable or the token option): ' +
        'it is missing, mistyped or revoked',
    );
  });

  it('403: names the project the token cannot use', async () => {
    const { client } = clientFor(server, { token: OUTSIDER_TOKEN });
    const error = (await caught(client.startBuild(BUILD))) as ApiError;
    expect(error.status).toBe(403);
    expect(error.message).toMatch(
      new RegExp(
        'answered 403 "Forbidden": the token has no access to project 1000, its scenes 2000: ' +
          'use a token of the organization',
      ),
    );
  });

  it('404: passes on the API message', async () => {
    const { client } = clientFor(server);
    const error = (await caught(client.startBuild({ ...BUILD, scenes: [9999] }))) as ApiError;
    expect(error).toMatchObject({ status: 404, apiMessage: 'Scene not found' });
    expect(error.message).toMatch(/answered 404 "Scene not found": check project 1000, its scenes 9999/);
    const job = (await caught(client.getJob(424242))) as ApiError;
    expect(job.message).toBe('PlayCanvas API: GET /api/jobs/424242 answered 404 "Job not found": check job 424242');
    expect((job as ApiError).route).toBe('/api/jobs/:id');
  });
});

describe('export()', () => {
  it('exports a branch by name and downloads the project archive', async () => {
    const { client } = clientFor(server);
    const { job, archive } = await client.export({ projectId: 1000, branch: 'feature-boost' });
    expect(job.data.url).toMatch(/\/downloads\/exports\//);
    const JSZip = (await import('jszip')).default;
    const zip = await JSZip.loadAsync(await readFile(archive.path));
    expect(JSON.parse(await zip.file('project.json')!.async('string')).branch).toEqual({
      id: 'b-boost',
      name: 'feature-boost',
    });
    await archive.dispose();
  });
});

describe('reads', () => {
  it('lists branches (every page), scenes and rate limits', async () => {
    const { client } = clientFor(server);
    expect((await client.listBranches(1000)).map((b) => b.name)).toEqual([
      'feature-boost',
      'main',
      'release-1.2',
      'zeta',
    ]);
    expect((await client.listScenes(1000)).map((s) => s.id)).toEqual([2000, 2001]);
    expect(await client.getRateLimits()).toMatchObject({ normal: 240, strict: 10 });
  });
});

describe('job states in words', () => {
  it('says failed, completed and running, and quotes a state the API did not document', () => {
    expect(describeJobStatus(500001, 'error')).toBe('job 500001 failed');
    expect(describeJobStatus(500001, 'complete')).toBe('job 500001 completed');
    expect(describeJobStatus(500001, 'running')).toBe('job 500001 is running');
    expect(describeJobStatus(500001, 'queued\u001b[31m')).toBe('job 500001 is in state "queued[31m"');
  });
});
