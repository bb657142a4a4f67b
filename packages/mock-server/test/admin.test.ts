import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN, defaultFixtures, type MockServer, startMockServer } from '../src/index.js';
import { BUILD, call } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const admin = (method: string, path: string, body?: unknown) =>
  call(server, method, `/__mock${path}`, { token: null, body });

describe('admin API', () => {
  it('serves the fixtures', async () => {
    expect((await admin('GET', '/fixtures')).json).toEqual(defaultFixtures());
  });

  it('keeps a journal with tokens redacted, and clears it', async () => {
    await call(server, 'POST', '/api/apps/download', { body: BUILD });
    await call(server, 'GET', '/api/jobs/500001');
    const { entries } = (await admin('GET', '/journal')).json;
    expect(entries.map((e: any) => [e.method, e.path, e.route, e.status])).toEqual([
      ['POST', '/api/apps/download', 'apps.download', 201],
      ['GET', '/api/jobs/500001', 'jobs.get', 200],
    ]);
    expect(entries[0].headers.authorization).toBe('Bearer [redacted]');
    expect(entries[0].body).toEqual(BUILD);
    expect(entries[0].at).toBe('2026-01-01T00:00:00.000Z');
    expect(JSON.stringify(entries)).not.toContain(DEFAULT_TOKEN);
    expect((await admin('GET', '/journal?since=1')).json.entries).toHaveLength(1);
    await admin('DELETE', '/journal');
    expect((await admin('GET', '/journal')).json.entries).toEqual([]);
  });

  it('scripts faults, lists them with counts, and clears them', async () => {
    const added = await admin('POST', '/faults', [
      { route: 'ratelimits', fault: { type: 'status', status: 503 }, times: 1 },
    ]);
    expect(added).toMatchObject({ status: 201, json: { ids: [1] } });
    expect((await call(server, 'GET', '/api/ratelimits')).status).toBe(503);
    expect((await call(server, 'GET', '/api/ratelimits')).status).toBe(200);
    expect((await admin('GET', '/faults')).json.faults[0]).toMatchObject({ id: 1, seen: 2, applied: 1 });
    expect((await admin('POST', '/faults', { route: 'nope', fault: { type: 'reset' } })).status).toBe(400);
    await admin('DELETE', '/faults');
    expect((await admin('GET', '/faults')).json.faults).toEqual([]);
  });

  it('the journal names the fault that fired, and a dropped connection has status 0', async () => {
    await admin('POST', '/faults', { route: 'ratelimits', fault: { type: 'reset' }, times: 1 });
    await fetch(`${server.url}/api/ratelimits`).catch(() => undefined);
    const { entries } = (await admin('GET', '/journal')).json;
    expect(entries[0]).toMatchObject({ route: 'ratelimits', status: 0, fault: 'reset' });
  });

  it('sets and advances the clock, and switches its mode', async () => {
    expect((await admin('GET', '/clock')).json).toEqual({
      now: Date.UTC(2026, 0, 1),
      iso: '2026-01-01T00:00:00.000Z',
      mode: 'frozen',
    });
    expect((await admin('POST', '/clock', { set: '2026-06-01T12:00:00Z' })).json.iso).toBe('2026-06-01T12:00:00.000Z');
    expect((await admin('POST', '/clock', { advance: 1500 })).json.iso).toBe('2026-06-01T12:00:01.500Z');
    const created = await call(server, 'POST', '/api/apps/download', { body: BUILD });
    expect(created.json.created_at).toBe('2026-06-01T12:00:01.500Z');
    expect(created.headers.get('date')).toBe('Mon, 01 Jun 2026 12:00:01 GMT');
    expect((await admin('POST', '/clock', { mode: 'realtime' })).json.mode).toBe('realtime');
    await new Promise((r) => setTimeout(r, 30));
    expect((await admin('GET', '/clock')).json.now).toBeGreaterThan(Date.parse('2026-06-01T12:00:01.500Z'));
    expect((await admin('POST', '/clock', { set: 'not a date' })).status).toBe(400);
  });

  it('queues job scenarios and sets the default one', async () => {
    await admin('POST', '/scenarios', {
      next: [{ outcome: 'error', polls: 1, messages: ['Could not export'] }],
      default: { outcome: 'complete', polls: 1 },
    });
    const a = (await call(server, 'POST', '/api/apps/download', { body: BUILD })).json.id;
    const b = (await call(server, 'POST', '/api/apps/download', { body: BUILD })).json.id;
    expect((await call(server, 'GET', `/api/jobs/${a}`)).json).toMatchObject({
      status: 'error',
      messages: ['Could not export'],
    });
    expect((await call(server, 'GET', `/api/jobs/${b}`)).json.status).toBe('complete');
    expect((await admin('GET', '/jobs')).json.jobs.map((j: any) => [j.id, j.status, j.polls])).toEqual([
      [a, 'error', 1],
      [b, 'complete', 1],
    ]);
    expect((await admin('POST', '/scenarios', { next: [{ outcome: 'maybe' }] })).status).toBe(400);
  });

  it('changes rate limits', async () => {
    expect((await admin('PUT', '/rate-limits', { limits: { strict: 1 }, windowMs: 5000 })).json).toMatchObject({
      limits: { strict: 1 },
      windowMs: 5000,
    });
    expect((await call(server, 'POST', '/api/apps/download', { body: BUILD })).status).toBe(201);
    expect((await call(server, 'POST', '/api/apps/download', { body: BUILD })).status).toBe(429);
    expect((await admin('PUT', '/rate-limits', { limits: { bogus: 1 } })).status).toBe(400);
  });

  it('resets jobs, journal, faults, clock and limits, and never hands out a job id again', async () => {
    const before = (await call(server, 'POST', '/api/apps/download', { body: BUILD })).json.id;
    await admin('POST', '/clock', { advance: 10_000 });
    await admin('PUT', '/rate-limits', { limits: { strict: 0 } });
    await admin('POST', '/faults', { route: 'jobs.get', fault: { type: 'status', status: 500 } });
    await admin('POST', '/reset');
    expect((await admin('GET', '/clock')).json.now).toBe(Date.UTC(2026, 0, 1));
    expect((await admin('GET', '/faults')).json.faults).toEqual([]);
    const created = await call(server, 'POST', '/api/apps/download', { body: BUILD });
    expect(created.json.id).toBe(before + 1);
    expect((await admin('GET', '/journal')).json.entries).toHaveLength(1);
    // a client still polling the job from before the reset is told it is gone, not shown another run's job
    expect(await call(server, 'GET', `/api/jobs/${before}`)).toMatchObject({
      status: 404,
      json: { error: 'Job not found' },
    });
  });

  it('answers JSON errors for unknown admin routes and bad bodies', async () => {
    expect((await admin('GET', '/nope')).status).toBe(404);
    expect(
      (
        await call(server, 'POST', '/__mock/clock', {
          token: null,
          rawBody: '{',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
  });
});

describe('the admin API and the journal hold up against what is sent to them', () => {
  it('takes only JSON requests when they change something: a web page cannot reset the mock', async () => {
    await call(server, 'POST', '/api/apps/download', { body: BUILD });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await call(server, 'POST', '/__mock/reset', {
        token: null,
        rawBody: '{}',
        headers: { 'content-type': type },
      });
      expect(res.status, type).toBe(415);
      expect(res.json.error).toMatch(/^The admin API takes only 'Content-Type: application\/json'/);
    }
    expect((await admin('GET', '/jobs')).json.jobs).toHaveLength(1);
  });

  it('refuses a clock outside the dates it can show, and keeps serving', async () => {
    for (const body of [{ set: 1e20 }, { set: -1 }, { set: '10000-01-01' }, { advance: 1e20 }, { set: {} }]) {
      expect((await admin('POST', '/clock', body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await admin('GET', '/clock')).json.iso).toBe('2026-01-01T00:00:00.000Z');
    expect((await call(server, 'GET', '/api/ratelimits')).status).toBe(200);
  });

  it('a body nested 5,000 deep is journaled as a note, and the journal is still served', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const res = await call(server, 'POST', '/api/apps/download', {
      rawBody: deep,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    const journal = await admin('GET', '/journal');
    expect(journal.status).toBe(200);
    expect(journal.json.entries[0].body).toEqual({ truncated: 'nested deeper than 64 levels', bytes: 10_000 });
  });

  it('keeps a bounded journal: large bodies as previews, old entries dropped past the limits', async () => {
    const limited = await startMockServer({ journal: { maxEntries: 50, maxBodyBytes: 64 * 1024 } });
    try {
      const big = { project_id: 1000, name: 'x'.repeat(200_000), scenes: [2000] };
      for (let i = 0; i < 60; i++) await call(limited, 'POST', '/api/apps/download', { token: null, body: big });
      const { entries } = (await call(limited, 'GET', '/__mock/journal', { token: null })).json;
      expect(entries.length).toBeLessThanOrEqual(50);
      expect(entries.at(-1).seq).toBe(60);
      expect(entries.at(-1).body).toMatchObject({
        truncated: expect.stringMatching(/^\d+ bytes$/),
        preview: expect.any(String),
      });
      expect(JSON.stringify(entries).length).toBeLessThan(200 * 1024);
    } finally {
      await limited.close();
    }
  });

  it('applies a rate-limit change whole or not at all', async () => {
    const before = (await admin('GET', '/rate-limits')).json;
    expect((await admin('PUT', '/rate-limits', { limits: { strict: 1, normal: -1 } })).status).toBe(400);
    expect((await admin('PUT', '/rate-limits', { limits: { strict: 1 }, windowMs: 10 })).status).toBe(400);
    expect((await admin('GET', '/rate-limits')).json).toEqual(before);
  });
});
