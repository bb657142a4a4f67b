import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MockServer, READONLY_TOKEN, startMockServer } from '../src/index.js';
import { BUILD, call, completeBuild, fetchBytes } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('POST /api/apps/download', () => {
  it('answers 201 with a running job that echoes the request under the API names', async () => {
    const res = await call(server, 'POST', '/api/apps/download', {
      body: {
        ...BUILD,
        branch_id: '8f5a0c3e-0000-4000-8000-000000000002',
        scripts_concatenate: true,
        scripts_minify: false,
        scripts_sourcemaps: true,
        optimize_scene_format: true,
        format: 'npm',
        engine_version: '2.23.3',
        preload_bundle: true,
        version: '1.2.3',
      },
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: 500001,
      created_at: '2026-01-01T00:00:00.000Z',
      modified_at: '2026-01-01T00:00:00.000Z',
      status: 'running',
      messages: [],
      data: {
        concatenate: true,
        minify: false,
        sourcemaps: true,
        engineVersion: '2.23.3',
        optimize_scene_format: true,
        format: 'npm',
        branch_id: '8f5a0c3e-0000-4000-8000-000000000002',
        scenes: [2000, 2001],
        project_id: 1000,
        owner_id: 100,
        name: 'Space Race',
        preload_bundle: true,
      },
    });
  });

  it('fills documented defaults: main branch, minify on, static format', async () => {
    const res = await call(server, 'POST', '/api/apps/download', { body: BUILD });
    expect(res.json.data).toMatchObject({
      minify: true,
      concatenate: false,
      sourcemaps: false,
      format: 'static',
      branch_id: '8f5a0c3e-0000-4000-8000-000000000001',
    });
  });
});

describe('GET /api/jobs/:id', () => {
  it('runs until the third poll by default, then gives an absolute download URL served without auth', async () => {
    const started = await call(server, 'POST', '/api/apps/download', { body: BUILD });
    const statuses: string[] = [];
    let job: any;
    for (let i = 0; i < 3; i++) {
      job = (await call(server, 'GET', `/api/jobs/${started.json.id}`)).json;
      statuses.push(job.status);
    }
    expect(statuses).toEqual(['running', 'running', 'complete']);
    // signed, as S3 URLs are: the query carries a signature
    expect(job.data.download_url).toMatch(
      new RegExp(
        `^${server.url}/downloads/apps/${started.json.id}/space-race\\.zip\\?X-Amz-Algorithm=AWS4-HMAC-SHA256` +
          '&X-Amz-Expires=3600&X-Amz-Signature=[0-9a-f]{64}$',
      ),
    );
    const res = await fetch(job.data.download_url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    expect(bytes.subarray(0, 4).toString('hex')).toBe('504b0304');
  });

  it('keeps the download URL private until the job completes', async () => {
    const started = await call(server, 'POST', '/api/apps/download', { body: BUILD });
    const running = await call(server, 'GET', `/api/jobs/${started.json.id}`);
    expect(running.json.data.download_url).toBeUndefined();
    const early = await fetch(`${server.url}/downloads/apps/${started.json.id}/space-race.zip`);
    expect(early.status).toBe(404);
    expect(await early.json()).toEqual({ error: 'Download not ready: the job has not completed' });
  });
});

describe('POST /api/projects/:id/export', () => {
  it('answers 200 (as the service does) and completes with data.url, a project archive', async () => {
    const res = await call(server, 'POST', '/api/projects/1000/export', {
      body: { branch_id: '8f5a0c3e-0000-4000-8000-000000000003' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'running', messages: [], data: { project: { id: 1000 } } });
    let job: any;
    for (let i = 0; i < 3; i++) job = (await call(server, 'GET', `/api/jobs/${res.json.id}`)).json;
    expect(job.status).toBe('complete');
    // the id goes on from earlier tests: a reset does not reuse job ids
    expect(job.data.url).toMatch(
      new RegExp(
        `/downloads/exports/${res.json.id}/space-race-export\\.zip\\?X-Amz-Algorithm=[^&]+` +
          '&X-Amz-Expires=3600&X-Amz-Signature=[0-9a-f]{64}$',
      ),
    );
    const bytes = await fetchBytes(job.data.url);
    const JSZip = (await import('jszip')).default;
    const zip = await JSZip.loadAsync(bytes);
    const project = JSON.parse(await zip.file('project.json')!.async('string'));
    expect(project.branch).toEqual({ id: '8f5a0c3e-0000-4000-8000-000000000003', name: 'release-1.2' });
  });

  it('accepts a request with no body, as the Editor sends it', async () => {
    const res = await call(server, 'POST', '/api/projects/1000/export');
    expect(res.status).toBe(200);
  });
});

describe('GET /api/projects/:id/branches', () => {
  it('lists open branches alphabetically with cursor pagination', async () => {
    const first = await call(server, 'GET', '/api/projects/1000/branches?limit=2');
    expect(first.json.result.map((b: any) => b.name)).toEqual(['feature-boost', 'main']);
    expect(first.json.pagination).toEqual({ hasMore: true });
    expect(first.json.result[0]).toEqual({
      id: '8f5a0c3e-0000-4000-8000-000000000002',
      projectId: 1000,
      name: 'feature-boost',
      createdAt: '2026-01-01T00:00:00.000Z',
      closed: false,
      latestCheckpointId: '5c1d0000-0000-4000-8000-000000000002',
      user: { id: 100, fullName: 'Build Engineer', username: 'builder' },
    });
    const second = await call(server, 'GET', `/api/projects/1000/branches?limit=2&skip=${first.json.result[1].id}`);
    expect(second.json.result.map((b: any) => b.name)).toEqual(['release-1.2']);
    expect(second.json.pagination).toEqual({ hasMore: false });
  });

  it('answers 404 for a skip cursor that is no branch', async () => {
    const res = await call(server, 'GET', '/api/projects/1000/branches?skip=nope');
    expect(res).toMatchObject({ status: 404, json: { error: 'Branch not found' } });
  });
});

describe('GET /api/projects/:id/scenes', () => {
  it('lists scenes, for the main branch or a named one', async () => {
    const res = await call(server, 'GET', '/api/projects/1000/scenes');
    expect(res.json.result.map((s: any) => [s.id, s.name])).toEqual([
      [2000, 'Main'],
      [2001, 'Level 2'],
      [2002, 'Credits'],
    ]);
    expect(res.json.result[0]).toEqual({
      id: 2000,
      projectId: 1000,
      name: 'Main',
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
    });
    const onBranch = await call(
      server,
      'GET',
      '/api/projects/1000/scenes?branchId=8f5a0c3e-0000-4000-8000-000000000002',
    );
    expect(onBranch.status).toBe(200);
    const missing = await call(server, 'GET', '/api/projects/1000/scenes?branchId=nope');
    expect(missing).toMatchObject({ status: 404, json: { error: 'Branch not found' } });
  });
});

describe('apps', () => {
  it('GET /api/projects/:id/app gives the primary app', async () => {
    const res = await call(server, 'GET', '/api/projects/1000/app');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: 4000, project_id: 1000, owner_id: 100, name: 'Space Race', version: '1.2.0' });
    expect(Object.keys(res.json.thumbnails)).toEqual(['s', 'm', 'l', 'xl']);
    expect(res.json.url).toMatch(/^https:\/\/playcanv\.as\//);
  });

  it('answers 404 for a project without a primary app', async () => {
    const res = await call(server, 'GET', '/api/projects/1001/app');
    expect(res).toMatchObject({ status: 404, json: { error: 'Project does not have a primary app' } });
  });

  it('GET /api/projects/:id/apps lists apps with skip/limit pagination', async () => {
    const res = await call(server, 'GET', '/api/projects/1000/apps?limit=1&skip=1');
    expect(res.json.result.map((a: any) => a.id)).toEqual([4001]);
    expect(res.json.pagination).toEqual({ limit: 1, skip: 1, total: 2 });
  });
});

describe('GET /api/ratelimits', () => {
  it('gives the limits per class under "limits"', async () => {
    const res = await call(server, 'GET', '/api/ratelimits');
    expect(res.json).toEqual({ limits: { normal: 240, strict: 10, assets: 120, post: 60, download: 10000 } });
  });
});

describe('tokens and access', () => {
  it('a token sees only its projects', async () => {
    expect((await call(server, 'GET', '/api/projects/1001/scenes', { token: READONLY_TOKEN })).status).toBe(200);
    const denied = await call(server, 'GET', '/api/projects/1000/scenes', { token: READONLY_TOKEN });
    expect(denied).toMatchObject({ status: 403, json: { error: 'Forbidden' } });
  });

  it('another token cannot read a job of a project it has no access to', async () => {
    const job = await completeBuild(server);
    const res = await call(server, 'GET', `/api/jobs/${job.id}`, { token: READONLY_TOKEN });
    expect(res).toMatchObject({ status: 403, json: { error: 'Forbidden' } });
  });
});

describe('download ranges', () => {
  it(
    'serves a byte range (206), refuses one past the end (416), ' +
      'and the whole file when If-Range no longer matches',
    async () => {
      const job = await completeBuild(server);
      const whole = await fetchBytes(job.data.download_url);
      const first = await fetch(job.data.download_url);
      expect(first.headers.get('accept-ranges')).toBe('bytes');
      const etag = first.headers.get('etag') as string;
      await first.arrayBuffer();
      const part = await fetch(job.data.download_url, { headers: { range: 'bytes=100-', 'if-range': etag } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 100-${whole.length - 1}/${whole.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(100))).toBe(true);
      const middle = await fetch(job.data.download_url, { headers: { range: 'bytes=10-19' } });
      expect(Buffer.from(await middle.arrayBuffer()).equals(whole.subarray(10, 20))).toBe(true);
      const past = await fetch(job.data.download_url, { headers: { range: `bytes=${whole.length}-` } });
      expect(past.status).toBe(416);
      expect(past.headers.get('content-range')).toBe(`bytes */${whole.length}`);
      expect((await past.json()).error).toMatch(/^Range not satisfiable/);
      const changed = await fetch(job.data.download_url, { headers: { range: 'bytes=100-', 'if-range': '"other"' } });
      expect(changed.status).toBe(200);
      expect(Buffer.from(await changed.arrayBuffer()).equals(whole)).toBe(true);
    },
  );
});

describe('checkpoints and branches', () => {
  const MAIN = '8f5a0c3e-0000-4000-8000-000000000001';

  it('POST /api/checkpoints is a job whose data becomes the checkpoint, then listed first and readable', async () => {
    const started = await call(server, 'POST', '/api/checkpoints', {
      body: { projectId: 1000, branchId: MAIN, description: 'Release 1.4.2' },
    });
    expect(started.status).toBe(201);
    expect(started.json).toMatchObject({
      status: 'running',
      data: { type: 'checkpoint_create', project_id: 1000, branch_id: MAIN, description: 'Release 1.4.2' },
    });
    let job: any;
    for (let i = 0; i < 3 && job?.status !== 'complete'; i++)
      job = (await call(server, 'GET', `/api/jobs/${started.json.id}`)).json;
    expect(job.status).toBe('complete');
    expect(job.data).toEqual({
      id: expect.any(String),
      user: expect.objectContaining({ id: 100 }),
      createdAt: expect.any(String),
      description: 'Release 1.4.2',
    });
    const listed = await call(server, 'GET', `/api/branches/${MAIN}/checkpoints?limit=1`);
    expect(listed.json.result).toEqual([job.data]);
    expect(listed.json.pagination).toEqual({ hasMore: true });
    expect((await call(server, 'GET', `/api/checkpoints/${job.data.id}`)).json).toEqual(job.data);
    const branches = (await call(server, 'GET', '/api/projects/1000/branches')).json.result;
    expect(branches.find((b: any) => b.id === MAIN).latestCheckpointId).toBe(job.data.id);
  });

  it('pages checkpoints newest first with the skip cursor, and is the same run after run', async () => {
    const ids: string[][] = [];
    for (let run = 0; run < 2; run++) {
      server.reset();
      for (const description of ['one', 'two']) {
        const started = await call(server, 'POST', '/api/checkpoints', {
          body: { projectId: 1000, branchId: MAIN, description },
        });
        for (let i = 0; i < 3; i++) await call(server, 'GET', `/api/jobs/${started.json.id}`);
      }
      const first = await call(server, 'GET', `/api/branches/${MAIN}/checkpoints?limit=1`);
      const second = await call(
        server,
        'GET',
        `/api/branches/${MAIN}/checkpoints?limit=1&skip=${first.json.result[0].id}`,
      );
      expect([first.json.result[0].description, second.json.result[0].description]).toEqual(['two', 'one']);
      ids.push([first.json.result[0].id, second.json.result[0].id]);
    }
    expect(ids[0]).toEqual(ids[1]);
  });

  it('refuses what the API refuses: missing fields (400), unknown branch, checkpoint or project (404)', async () => {
    expect(await call(server, 'POST', '/api/checkpoints', { body: { projectId: 1000, branchId: MAIN } })).toMatchObject(
      { status: 400 },
    );
    expect(
      await call(server, 'POST', '/api/checkpoints', { body: { projectId: 1000, branchId: 'nope', description: 'x' } }),
    ).toMatchObject({
      status: 404,
      json: { error: 'Branch not found' },
    });
    expect(await call(server, 'GET', '/api/checkpoints/nope')).toMatchObject({
      status: 404,
      json: { error: 'Checkpoint not found' },
    });
    expect(await call(server, 'GET', '/api/branches/nope/checkpoints')).toMatchObject({
      status: 404,
      json: { error: 'Branch not found' },
    });
    expect(
      await call(server, 'POST', '/api/branches', { body: { projectId: 1000, name: 'main', sourceBranchId: MAIN } }),
    ).toMatchObject({
      status: 400,
      json: { error: 'Invalid request: branch name already exists' },
    });
  });

  it('POST /api/branches makes a branch from another at its latest checkpoint, listed and journaled', async () => {
    const made = await call(server, 'POST', '/api/branches', {
      body: { projectId: 1000, name: 'hotfix', sourceBranchId: MAIN },
    });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({
      projectId: 1000,
      name: 'hotfix',
      closed: false,
      permanent: false,
      latestCheckpointId: expect.any(String),
    });
    const names = (await call(server, 'GET', '/api/projects/1000/branches')).json.result.map((b: any) => b.name);
    expect(names).toContain('hotfix');
    expect(
      server.journal().some((e) => e.route === 'branches.create' && (e.body as { name?: string })?.name === 'hotfix'),
    ).toBe(true);
  });
});
