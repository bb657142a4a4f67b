import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/index.js';
import { BUILD, call } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const download = (body: unknown) => call(server, 'POST', '/api/apps/download', { body });

describe('authentication', () => {
  it('answers 401 without a token, with a malformed header, and with an unknown token', async () => {
    expect(await call(server, 'GET', '/api/projects/1000/scenes', { token: null })).toMatchObject({
      status: 401,
      json: { error: 'Unauthorized' },
    });
    expect(
      await call(server, 'GET', '/api/projects/1000/scenes', { token: null, headers: { authorization: 'Token abc' } }),
    ).toMatchObject({
      status: 401,
    });
    expect(await call(server, 'GET', '/api/projects/1000/scenes', { token: 'not-a-token' })).toMatchObject({
      status: 401,
    });
  });
});

describe('POST /api/apps/download validation', () => {
  it.each([
    [{ name: 'x', scenes: [2000] }, 'project_id is required'],
    [{ ...BUILD, project_id: '1000' }, 'project_id must be a positive integer'],
    [{ project_id: 1000, scenes: [2000] }, 'name is required'],
    [{ ...BUILD, name: 42 }, 'name must be a string'],
    [{ ...BUILD, name: 'n'.repeat(1000) }, 'name is too long: 1000 characters; it must be under 1000'],
    [{ project_id: 1000, name: 'x' }, 'scenes is required: a list of scene ids, the first being the initial scene'],
    [{ ...BUILD, scenes: [] }, 'scenes must be a non-empty list of scene ids'],
    [{ ...BUILD, scenes: ['Main'] }, 'scenes must contain only positive integer scene ids'],
    [{ ...BUILD, version: 'v'.repeat(21) }, 'version is too long: 21 characters; it must be at most 20'],
    [
      { ...BUILD, description: 'd'.repeat(10_000) },
      'description is too long: 10000 characters; it must be under 10000',
    ],
    [
      { ...BUILD, release_notes: 'r'.repeat(10_001) },
      'release_notes is too long: 10001 characters; it must be at most 10000',
    ],
    [{ ...BUILD, format: 'zip' }, 'format must be "static" or "npm"; got "zip"'],
    [{ ...BUILD, scripts_minify: 'yes' }, 'scripts_minify must be true or false'],
    [{ ...BUILD, branch_id: 7 }, 'branch_id must be a string'],
    [{ ...BUILD, engine_version: 2 }, 'engine_version must be a string'],
    [[1, 2], 'Request body must be a JSON object'],
  ])('answers 400 for %j', async (body, message) => {
    expect(await download(body)).toMatchObject({ status: 400, json: { error: message } });
  });

  it('accepts the limits exactly: name of 999, version of 20, release notes of 10,000', async () => {
    const res = await download({
      ...BUILD,
      name: 'n'.repeat(999),
      version: 'v'.repeat(20),
      release_notes: 'r'.repeat(10_000),
      description: 'd'.repeat(9_999),
    });
    expect(res.status).toBe(201);
  });

  it('treats "", null and false as absent for optional fields, as the official scripts send them', async () => {
    const res = await download({
      ...BUILD,
      engine_version: '',
      branch_id: null,
      description: false,
      version: '',
      release_notes: null,
      format: '',
      preload_bundle: null,
    });
    expect(res.status).toBe(201);
    expect(res.json.data).toMatchObject({
      engineVersion: '2.23.3',
      format: 'static',
      branch_id: '8f5a0c3e-0000-4000-8000-000000000001',
      preload_bundle: false,
    });
  });

  it.each([
    [{ ...BUILD, project_id: 9999 }, 'Project not found'],
    [{ ...BUILD, scenes: [2000, 9999] }, 'Scene not found'],
    [{ ...BUILD, branch_id: 'no-such-branch' }, 'Branch not found'],
  ])('answers 404 for %j', async (body, message) => {
    expect(await download(body)).toMatchObject({ status: 404, json: { error: message } });
  });

  it('answers 404 Owner not found when the project owner is unknown', async () => {
    const fixtures = structuredClone(server.fixtures);
    fixtures.projects[0]!.ownerId = 999;
    const orphan = await startMockServer({ fixtures });
    try {
      expect(await call(orphan, 'POST', '/api/apps/download', { body: BUILD })).toMatchObject({
        status: 404,
        json: { error: 'Owner not found' },
      });
    } finally {
      await orphan.close();
    }
  });
});

describe('request bodies', () => {
  it('refuses a body without Content-Type: application/json and says what to send', async () => {
    const res = await call(server, 'POST', '/api/apps/download', {
      rawBody: JSON.stringify(BUILD),
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe(
      'Request body must be JSON: got Content-Type "text/plain"; send \'Content-Type: application/json\'',
    );
  });

  it('refuses a missing body on apps/download', async () => {
    const res = await call(server, 'POST', '/api/apps/download');
    expect(res).toMatchObject({
      status: 400,
      json: { error: "Request body is missing: send a JSON object with the header 'Content-Type: application/json'" },
    });
  });

  it('answers 400 with the parse error for malformed JSON', async () => {
    const res = await call(server, 'POST', '/api/apps/download', {
      rawBody: '{"project_id": 1000,',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/^Malformed JSON body: .+Send valid JSON with 'Content-Type: application\/json'$/);
  });

  it('answers 413 for an oversized body', async () => {
    const res = await call(server, 'POST', '/api/apps/download', {
      body: { ...BUILD, description: 'x'.repeat(300_000) },
    });
    expect(res.status).toBe(413);
    expect(res.json.error).toMatch(/^Request body too large/);
  });
});

describe('job ids and unknown routes', () => {
  it.each(['/api/jobs/:1234', '/api/jobs/abc', '/api/jobs/1.5', '/api/jobs/99999999999999999999', '/api/jobs/-1'])(
    'answers 404 Job not found for %s',
    async (path) => {
      expect(await call(server, 'GET', path)).toMatchObject({ status: 404, json: { error: 'Job not found' } });
    },
  );

  it('answers 404 for an unknown job id', async () => {
    expect(await call(server, 'GET', '/api/jobs/123')).toMatchObject({ status: 404, json: { error: 'Job not found' } });
  });

  it('answers JSON 404s for unknown routes inside and outside /api', async () => {
    const inside = await call(server, 'GET', '/api/nothing/here');
    expect(inside.status).toBe(404);
    expect(inside.json.error).toMatch(/^No such API route: GET \/api\/nothing\/here/);
    const outside = await call(server, 'GET', '/favicon.ico');
    expect(outside.status).toBe(404);
    expect(outside.json.error).toMatch(/^Not found: GET \/favicon\.ico/);
  });

  it('answers 404 Project not found for a project id that is not a number', async () => {
    expect(await call(server, 'GET', '/api/projects/abc/scenes')).toMatchObject({
      status: 404,
      json: { error: 'Project not found' },
    });
  });
});
