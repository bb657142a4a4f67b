import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { MockServer } from '@gulp-playcanvas/playcanvas-mock-server';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, ApiError, DownloadError, NetworkError, RateLimitError, TimeoutError } from '../src/index.js';
import { liveTempDirs } from '../src/testing.js';
import { BUILD, caught, clientFor, startMock } from './helpers.js';

let server: MockServer;
afterEach(async () => {
  await server?.close();
  expect(liveTempDirs()).toEqual([]);
});

/** A port nothing listens on: one just released by the system. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const port = (probe.address() as { port: number }).port;
      probe.close(() => resolve(port));
    });
  });
}

const gaps = (entries: { wallMs: number }[]) =>
  entries.slice(1).map((e, i) => e.wallMs - (entries[i] as { wallMs: number }).wallMs);

describe('rate limits', () => {
  it('on a 429 waits until the reset the API gives, then goes on (shown by the journal)', async () => {
    server = await startMock();
    server.addFault({ route: 'apps.download', fault: { type: 'status', status: 429, resetIn: 1 }, times: 1 });
    const { client, events } = clientFor(server);
    const { archive } = await client.build(BUILD);
    await archive.dispose();
    const posts = server.journal().filter((e) => e.route === 'apps.download');
    expect(posts.map((e) => e.status)).toEqual([429, 201]);
    // X-RateLimit-Reset was one second after the mock's Date header: the retry came no sooner
    expect(gaps(posts)[0]).toBeGreaterThanOrEqual(1000);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'rate-limit-wait', reason: '429', rateClass: 'strict' }),
    );
  });

  it('honours Retry-After when the API sends it', async () => {
    server = await startMock();
    server.addFault({
      route: 'jobs.get',
      fault: { type: 'status', status: 429, resetIn: 30, retryAfter: 1 },
      times: 1,
    });
    const { client } = clientFor(server);
    const { archive } = await client.build(BUILD);
    await archive.dispose();
    const polls = server.journal().filter((e) => e.route === 'jobs.get');
    expect(polls[0]?.status).toBe(429);
    const wait = (polls[1]?.wallMs ?? 0) - (polls[0]?.wallMs ?? 0);
    expect(wait).toBeGreaterThanOrEqual(1000);
    expect(wait).toBeLessThan(5000);
  });

  it('waits for the window to reset instead of earning a 429 when X-RateLimit-Remaining reaches 0', async () => {
    server = await startMock({ clock: { mode: 'realtime' }, rateLimits: { strict: 1 }, rateWindowMs: 2000 });
    const { client, events } = clientFor(server);
    for (let i = 0; i < 2; i++) (await client.build(BUILD)).archive.dispose();
    const statuses = server.journal().map((e) => e.status);
    expect(statuses).not.toContain(429);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'rate-limit-wait', reason: 'budget', rateClass: 'strict' }),
    );
  });

  it('gives up with RateLimitError when the API asks for a longer wait than allowed', async () => {
    server = await startMock();
    server.addFault({ route: 'apps.download', fault: { type: 'status', status: 429, retryAfter: 600 } });
    const { client } = clientFor(server, { retry: { maxRateLimitWaitMs: 5000 } });
    const error = (await caught(client.startBuild(BUILD))) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toMatch(
      new RegExp(
        String.raw`still rate limited \(429\).*the API asks to wait 10 min, ` +
          String.raw`over the 5 s allowed \(retry\.maxRateLimitWaitMs\): run fewer builds at once`,
      ),
    );
  });
});

describe('retries', () => {
  it('retries polls on 500, 502 and 503 with backoff, then succeeds', async () => {
    server = await startMock();
    server.addFault({ route: 'jobs.get', fault: { type: 'status', status: 500 }, times: 1 });
    server.addFault({ route: 'jobs.get', fault: { type: 'status', status: 502 }, after: 1, times: 1 });
    server.addFault({ route: 'jobs.get', fault: { type: 'status', status: 503 }, after: 2, times: 1 });
    const { client, events } = clientFor(server);
    const { job, archive } = await client.build(BUILD);
    await archive.dispose();
    expect(job.status).toBe('complete');
    expect(events.filter((e) => e.type === 'retry').map((e) => (e as { reason: string }).reason)).toEqual([
      'the API answered 500',
      'the API answered 502',
      'the API answered 503',
    ]);
  });

  it('retries a poll whose connection was reset', async () => {
    server = await startMock();
    server.addFault({ route: 'jobs.get', fault: { type: 'reset' }, times: 2 });
    const { client } = clientFor(server);
    const { archive } = await client.build(BUILD);
    await archive.dispose();
    expect(server.journal().filter((e) => e.route === 'jobs.get' && e.status === 0)).toHaveLength(2);
  });

  it('fails with the status after the retries when the API keeps failing', async () => {
    server = await startMock();
    server.addFault({ route: 'jobs.get', fault: { type: 'status', status: 503 } });
    const { client } = clientFor(server);
    const error = (await caught(client.build(BUILD))) as ApiError;
    expect(error).toMatchObject({ status: 503 });
    expect(error.message).toMatch(
      new RegExp(
        String.raw`GET \/api\/jobs\/500001 answered 503 "Service unavailable" \(after 4 tries\): ` +
          'the PlayCanvas service failed; try again later',
      ),
    );
  });

  it('never retries the POST that creates a job after a 500: the job may exist', async () => {
    server = await startMock();
    server.addFault({ route: 'apps.download', fault: { type: 'status', status: 500 }, times: 1 });
    const { client } = clientFor(server);
    expect(await caught(client.startBuild(BUILD))).toBeInstanceOf(ApiError);
    expect(server.journal().filter((e) => e.route === 'apps.download')).toHaveLength(1);
  });

  it('retries the POST when the connection was refused, and says so when it stays refused', async () => {
    const port = await closedPort();
    server = await startMock();
    const { client, events } = clientFor(server, { baseUrl: `http://127.0.0.1:${port}` });
    const error = (await caught(client.startBuild(BUILD))) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.causeCode).toBe('ECONNREFUSED');
    expect(error.message).toBe(
      `Cannot reach the PlayCanvas API: POST http://127.0.0.1:${port}/api/apps/download failed: ` +
        `the connection was refused (ECONNREFUSED) after 4 tries; ` +
        `check the base URL (PLAYCANVAS_BASE_URL) and the network`,
    );
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(3);
  });

  it('shows the real path of a failed lookup, never its route template', async () => {
    const port = await closedPort();
    server = await startMock();
    const { client } = clientFor(server, { baseUrl: `http://127.0.0.1:${port}`, retry: { retries: 0 } });
    const error = (await caught(client.listScenes(1000))) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe(
      `Cannot reach the PlayCanvas API: GET http://127.0.0.1:${port}/api/projects/1000/scenes ` +
        `failed: the connection was refused (ECONNREFUSED) after 1 try; ` +
        `check the base URL (PLAYCANVAS_BASE_URL) and the network`,
    );
    expect(error.message).not.toContain(':id');
  });

  it('explains a host name that does not resolve', async () => {
    server = await startMock();
    const { client } = clientFor(server, { baseUrl: 'https://no-such-host.invalid', retry: { retries: 0 } });
    const error = (await caught(client.getRateLimits())) as NetworkError;
    expect(error.message).toMatch(
      /the host name does not resolve \(DNS\) \(ENOTFOUND\)|the DNS lookup failed temporarily \(EAI_AGAIN\)/,
    );
  });
});

describe('downloads', () => {
  it('retries a truncated transfer and checks its length (whole file: the host ignores the tail request)', async () => {
    server = await startMock();
    // suffix ranges refused: the end cannot be read first, so the archive comes whole, as before ranged reading
    server.addFault({ route: 'download', fault: { type: 'no-ranges', suffix: true } });
    server.addFault({ route: 'download', fault: { type: 'truncate', bytes: 500 }, times: 1, after: 1 });
    const { client, events } = clientFor(server);
    const { archive } = await client.build(BUILD);
    await archive.dispose();
    expect(events).toContainEqual(expect.objectContaining({ type: 'retry', route: 'download' }));
    expect(
      server
        .journal()
        .filter((e) => e.route === 'download')
        .map((e) => `${e.status} ${e.fault ?? ''}`),
    ).toEqual(['200 no-ranges', '200 no-ranges,truncate', '206 no-ranges']);
  });

  it('resumes a broken transfer where it stopped, with Range and If-Range (whole-file path)', async () => {
    server = await startMock();
    server.addFault({ route: 'download', fault: { type: 'no-ranges', suffix: true } });
    server.addFault({ route: 'download', fault: { type: 'truncate', bytes: 1000 }, times: 1, after: 1 });
    const { client } = clientFor(server);
    const { job, archive } = await client.build(BUILD);
    const served = Buffer.from(await (await fetch(job.data.downloadUrl as string)).arrayBuffer());
    expect((await readFile(archive.path)).equals(served)).toBe(true);
    await archive.dispose();
    const downloads = server.journal().filter((e) => e.route === 'download');
    expect(downloads[2]?.headers.range).toBe('bytes=1000-');
    expect(downloads[2]?.headers['if-range']).toMatch(/^"[0-9a-f]+"$/);
    expect(downloads[2]?.status).toBe(206);
  });

  it('reads the end first where ranges are served, then the body, resuming a broken one where it stopped', async () => {
    server = await startMock();
    // the first request (the tail) goes through; the body's first try breaks after 1000 bytes
    server.addFault({ route: 'download', fault: { type: 'truncate', bytes: 1000 }, times: 1, after: 1 });
    const { client, events } = clientFor(server);
    const { job, archive } = await client.build(BUILD);
    const served = Buffer.from(await (await fetch(job.data.downloadUrl as string)).arrayBuffer());
    expect((await readFile(archive.path)).equals(served)).toBe(true);
    await archive.dispose();
    expect(events).toContainEqual(expect.objectContaining({ type: 'retry', route: 'download' }));
    const downloads = server.journal().filter((e) => e.route === 'download');
    const tail = Math.min(served.length, 256 * 1024);
    const body = served.length - tail;
    expect(downloads.slice(0, 3).map((e) => [e.headers.range, e.status, e.fault ?? ''])).toEqual([
      [`bytes=-${tail}`, 206, ''],
      [`bytes=0-${body - 1}`, 206, 'truncate'],
      [`bytes=1000-${body - 1}`, 206, ''],
    ]);
    expect(downloads[2]?.headers['if-range']).toMatch(/^"[0-9a-f]+"$/);
  });

  it('fails with DownloadError when every transfer breaks, leaving no temp file', async () => {
    server = await startMock();
    server.addFault({ route: 'download', fault: { type: 'truncate', bytes: 500 } });
    const { client } = clientFor(server);
    const error = await caught(client.build(BUILD));
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toMatch(
      new RegExp(
        String.raw`^Download of http:\/\/127\.0\.0\.1:\d+\/downloads\/apps\/500001\/space-race\.zip ` +
          String.raw`failed after 4 tries: the transfer broke after 2000 of \d+ bytes`,
      ),
    );
  });

  it('sends the token to the API origin only, never to a download host elsewhere', async () => {
    server = await startMock();
    const { client } = clientFor(server);
    (await client.build(BUILD)).archive.dispose();
    expect(server.journal().find((e) => e.route === 'download')?.headers.authorization).toBe('Bearer [redacted]');
    await server.close();
    // the same mock, but its download URLs name another origin (localhost instead of 127.0.0.1)
    server = await startMock();
    await server.close();
    const port = new URL(server.url).port;
    server = await startMock({ port: Number(port), downloadBaseUrl: `http://localhost:${port}` });
    const other = clientFor(server).client;
    const { job, archive } = await other.build(BUILD);
    await archive.dispose();
    expect(job.data.downloadUrl).toMatch(/^http:\/\/localhost:/);
    const download = server.journal().find((e) => e.route === 'download');
    expect(download?.headers.authorization).toBeUndefined();
  });
});

describe('timeouts and abort', () => {
  it('stops waiting at the timeout with TimeoutError naming the job', async () => {
    server = await startMock({ defaultScenario: { outcome: 'running' } });
    const { client } = clientFor(server);
    const t0 = performance.now();
    const error = (await caught(client.build(BUILD, { timeout: 400 }))) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe(
      'Timed out after 400 ms while building project 1000 (waiting for job 500001 to finish): ' +
        'raise the timeout option if the build is large',
    );
    expect(error.jobId).toBe(500001);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('times out a request that gets no answer', async () => {
    server = await startMock();
    server.addFault({ route: 'ratelimits', fault: { type: 'latency', ms: 3000 } });
    const { client } = clientFor(server, { requestTimeout: 200, retry: { retries: 1, baseDelayMs: 10 } });
    const error = (await caught(client.getRateLimits())) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(
      /GET http:\/\/127\.0\.0\.1:\d+\/api\/ratelimits: no answer within 200 ms \(2 tries\)/,
    );
  });

  it('stops at once when the signal aborts, with AbortError', async () => {
    server = await startMock({ defaultScenario: { outcome: 'running' } });
    const { client } = clientFor(server);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const error = await caught(client.build(BUILD, { signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortError);
    expect(error.message).toBe(
      "Aborted while building project 1000 (waiting for job 500001 to finish): the caller's signal fired",
    );
  });

  it('aborts a download in flight and removes its temp file', async () => {
    server = await startMock();
    server.addFault({ route: 'download', fault: { type: 'latency', ms: 2000 } });
    const { client } = clientFor(server);
    const controller = new AbortController();
    const job = await client.waitForJob((await client.startBuild(BUILD)).id);
    setTimeout(() => controller.abort(), 100);
    expect(await caught(client.download(job, { signal: controller.signal }))).toBeInstanceOf(AbortError);
  });
});
