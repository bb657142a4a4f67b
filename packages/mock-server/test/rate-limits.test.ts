import { afterEach, describe, expect, it } from 'vitest';
import { type MockServer, READONLY_TOKEN, startMockServer } from '../src/index.js';
import { BUILD, call } from './helpers.js';

let server: MockServer;
afterEach(() => server?.close());

describe('rate limits', () => {
  it('puts X-RateLimit headers on every API answer, errors included', async () => {
    server = await startMockServer();
    for (const res of [
      await call(server, 'GET', '/api/projects/1000/scenes'),
      await call(server, 'GET', '/api/jobs/1'),
      await call(server, 'GET', '/api/x', { token: null }),
    ]) {
      expect(res.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
      expect(res.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(res.headers.get('x-ratelimit-reset')).toBe(String(Date.UTC(2026, 0, 1, 0, 1) / 1000));
    }
  });

  it(
    'allows the documented 10 strict requests a minute for an organization token, ' +
      'then answers 429 until the window resets',
    async () => {
      server = await startMockServer();
      const remaining: string[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await call(server, 'POST', '/api/apps/download', { body: BUILD });
        expect(res.status).toBe(201);
        remaining.push(res.headers.get('x-ratelimit-remaining') as string);
      }
      expect(remaining).toEqual(['9', '8', '7', '6', '5', '4', '3', '2', '1', '0']);
      const over = await call(server, 'POST', '/api/apps/download', { body: BUILD });
      expect(over).toMatchObject({ status: 429, json: { error: 'Too many requests' } });
      expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
      // the normal class is counted apart
      expect((await call(server, 'GET', '/api/projects/1000/scenes')).status).toBe(200);
      // another token has its own budget
      expect(
        (await call(server, 'GET', '/api/projects/1001/scenes', { token: READONLY_TOKEN })).headers.get(
          'x-ratelimit-remaining',
        ),
      ).toBe('239');
      server.advanceClock(60_000);
      expect((await call(server, 'POST', '/api/apps/download', { body: BUILD })).status).toBe(201);
    },
  );

  it('counts export in the strict class and polls in the normal class', async () => {
    server = await startMockServer({ rateLimits: { strict: 1, normal: 2 } });
    expect((await call(server, 'POST', '/api/projects/1000/export')).status).toBe(200);
    expect((await call(server, 'POST', '/api/apps/download', { body: BUILD })).status).toBe(429);
    expect((await call(server, 'GET', '/api/jobs/500001')).status).toBe(200);
    expect((await call(server, 'GET', '/api/jobs/500001')).status).toBe(200);
    expect((await call(server, 'GET', '/api/jobs/500001')).status).toBe(429);
  });

  it('uses the limits and window it is given, and the free-account figures are exported', async () => {
    server = await startMockServer({ rateLimits: { normal: 3 }, rateWindowMs: 10_000 });
    const res = await call(server, 'GET', '/api/ratelimits');
    expect(res.json.limits.normal).toBe(3);
    expect(res.headers.get('x-ratelimit-reset')).toBe(String(Date.UTC(2026, 0, 1, 0, 0, 10) / 1000));
    const { FREE_LIMITS } = await import('../src/index.js');
    expect(FREE_LIMITS).toEqual({ normal: 120, strict: 5, assets: 60, post: 30, download: 5000 });
  });
});
