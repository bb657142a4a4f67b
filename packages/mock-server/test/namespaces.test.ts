import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../src/index.js';
import { BUILD, call, completeBuild, fetchBytes, withServer } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ rateLimits: { strict: 2 } });
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  for (const name of ['run-a', 'run-b']) server.namespace(name).reset();
});

/** A client that names its namespace with the header, as code that sets headers can. */
const headerClient = (name: string) => ({
  url: server.url,
  call: (method: string, path: string, body?: unknown) =>
    call(server, method, path, { body, headers: { 'X-Mock-Namespace': name } }),
});

describe('namespaces: clients of one mock do not touch each other', () => {
  it('a reset in one namespace leaves the job of another pollable and downloadable', async () => {
    const a = server.namespace('run-a');
    const job = await completeBuild(a);
    expect(job.data.download_url).toMatch(
      new RegExp(`^${server.url}/ns/run-a/downloads/apps/${job.id}/space-race\\.zip\\?`),
    );
    const b = headerClient('run-b');
    expect((await b.call('POST', '/__mock/reset')).json).toEqual({ reset: true });
    expect((await call(server, 'POST', '/__mock/reset', { token: null })).status).toBe(200);
    server.reset();
    expect((await call(a, 'GET', `/api/jobs/${job.id}`)).json).toMatchObject({ id: job.id, status: 'complete' });
    const bytes = await fetchBytes(job.data.download_url);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
  });

  it('a job is found only in its own namespace, and ids are unique across namespaces', async () => {
    const inA = await completeBuild(server.namespace('run-a'));
    const inB = (await headerClient('run-b').call('POST', '/api/apps/download', BUILD)).json;
    expect(inB.id).not.toBe(inA.id);
    expect((await headerClient('run-b').call('GET', `/api/jobs/${inA.id}`)).status).toBe(404);
    expect((await call(server, 'GET', `/api/jobs/${inA.id}`)).status).toBe(404);
    expect((await fetch(inA.data.download_url.replace('/ns/run-a', ''))).status).toBe(404);
    expect(
      server
        .namespace('run-a')
        .jobs()
        .map((j) => j.id),
    ).toEqual([inA.id]);
  });

  it('a fault is consumed only by requests of the namespace that scripted it', async () => {
    const a = server.namespace('run-a');
    const added = await call(a, 'POST', '/__mock/faults', {
      token: null,
      body: { route: 'ratelimits', fault: { type: 'status', status: 503 }, times: 1 },
    });
    expect(added.status).toBe(201);
    expect((await headerClient('run-b').call('GET', '/api/ratelimits')).status).toBe(200);
    expect((await call(server, 'GET', '/api/ratelimits')).status).toBe(200);
    expect((await call(a, 'GET', '/__mock/faults', { token: null })).json.faults[0]).toMatchObject({
      seen: 0,
      applied: 0,
    });
    expect((await call(a, 'GET', '/api/ratelimits')).status).toBe(503);
    expect((await call(a, 'GET', '/api/ratelimits')).status).toBe(200);
    expect(server.journal().map((e) => e.path)).toEqual(['/api/ratelimits']);
    expect(a.journal().map((e) => [e.path, e.status])).toEqual([
      ['/ns/run-a/api/ratelimits', 503],
      ['/ns/run-a/api/ratelimits', 200],
    ]);
    expect((await call(server, 'GET', '/__mock/faults', { token: null })).json.faults).toEqual([]);
  });

  it('each namespace has its own rate budget, clock and scenarios', async () => {
    const a = server.namespace('run-a');
    for (const expected of [201, 201, 429])
      expect((await call(a, 'POST', '/api/apps/download', { body: BUILD })).status).toBe(expected);
    expect((await headerClient('run-b').call('POST', '/api/apps/download', BUILD)).status).toBe(201);
    a.advanceClock(60_000);
    expect(server.now()).toBe(Date.UTC(2026, 0, 1));
    server.namespace('run-b').queueScenarios({ outcome: 'error', polls: 1 });
    const inA = await completeBuild(a);
    expect(inA.status).toBe('complete');
  });

  it('checkpoints and branches made in one namespace stay there', async () => {
    const a = server.namespace('run-a');
    const created = await call(a, 'POST', '/api/checkpoints', {
      body: { projectId: 1000, branchId: '8f5a0c3e-0000-4000-8000-000000000001', description: 'x' },
    });
    expect(created.status).toBe(201);
    let job: any;
    for (let i = 0; i < 3; i++) job = (await call(a, 'GET', `/api/jobs/${created.json.id}`)).json;
    expect(job.status).toBe('complete');
    expect((await call(a, 'GET', `/api/checkpoints/${job.data.id}`)).status).toBe(200);
    expect((await headerClient('run-b').call('GET', `/api/checkpoints/${job.data.id}`)).status).toBe(404);
    expect((await call(server, 'GET', `/api/checkpoints/${job.data.id}`)).status).toBe(404);
  });

  it('refuses a bad namespace name, or a header and a prefix that disagree, naming the rule', async () => {
    for (const headers of [
      { 'X-Mock-Namespace': 'has space' },
      { 'X-Mock-Namespace': '-lead' },
      { 'X-Mock-Namespace': 'x'.repeat(65) },
    ]) {
      const res = await call(server, 'GET', '/api/ratelimits', { headers });
      expect(res.status, headers['X-Mock-Namespace']).toBe(400);
      expect(res.json.error).toMatch(
        /^Invalid namespace .* \(the X-Mock-Namespace header\): use 1 to 64 letters, digits/,
      );
    }
    expect((await call(server, 'GET', '/ns//api/ratelimits')).json.error).toMatch(
      /^Invalid namespace "" \(the path prefix/,
    );
    const both = await call(server, 'GET', '/ns/run-a/api/ratelimits', { headers: { 'X-Mock-Namespace': 'run-b' } });
    expect(both).toMatchObject({
      status: 400,
      json: { error: expect.stringMatching(/header names run-b but the path prefix names run-a/) },
    });
    expect(() => server.namespace('a/b')).toThrow(/Invalid namespace "a\/b"/);
  });

  it('says which namespace a client is in, and drops a named one on request', async () => {
    expect((await call(server, 'GET', '/__mock/namespace', { token: null })).json).toEqual({
      name: 'default',
      prefix: '',
    });
    const a = server.namespace('run-a');
    await completeBuild(a);
    expect((await call(a, 'GET', '/__mock/namespace', { token: null })).json).toEqual({
      name: 'run-a',
      prefix: '/ns/run-a',
    });
    expect((await call(a, 'DELETE', '/__mock/namespace', { token: null })).json).toEqual({ dropped: true });
    expect(server.namespace('run-a').jobs()).toEqual([]);
    expect((await call(server, 'DELETE', '/__mock/namespace', { token: null })).status).toBe(400);
  });
});

describe('namespace limits', () => {
  it('holds at most namespaces.max; a new one replaces one idle long enough, else 503 with Retry-After', async () => {
    await withServer({ namespaces: { max: 2, idleMs: 60_000 } }, async (small) => {
      expect((await call(small.namespace('one'), 'GET', '/api/ratelimits')).status).toBe(200);
      expect((await call(small.namespace('two'), 'GET', '/api/ratelimits')).status).toBe(200);
      const full = await call(small, 'GET', '/ns/three/api/ratelimits');
      expect(full.status).toBe(503);
      expect(full.json.error).toMatch(
        /^The mock holds 2 namespaces, all used in the last 60000 ms: drop finished ones/,
      );
      expect(Number(full.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(small.dropNamespace('one')).toBe(true);
      expect((await call(small, 'GET', '/ns/three/api/ratelimits')).status).toBe(200);
    });
    await withServer({ namespaces: { max: 1, idleMs: 0 } }, async (small) => {
      const old = small.namespace('old');
      await completeBuild(old);
      expect((await call(small, 'GET', '/ns/new/api/ratelimits')).status).toBe(200);
      expect(small.namespace('old').jobs()).toEqual([]);
    });
  });

  it('a namespace made later on a real-time mock starts at the present, not at the mock start', async () => {
    await withServer({ clock: { mode: 'realtime', start: '2030-01-01T00:00:00Z' } }, async (live) => {
      await new Promise((r) => setTimeout(r, 50));
      const late = live.namespace('late');
      expect(late.now()).toBeGreaterThanOrEqual(Date.UTC(2030, 0, 1) + 50);
      expect(Math.abs(late.now() - live.now())).toBeLessThan(20);
    });
  });
});
