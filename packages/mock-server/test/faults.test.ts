import { request } from 'node:http';
import JSZip from 'jszip';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { type MockServer, startMockServer } from '../src/index.js';
import { BUILD, call, completeBuild, fetchBytes } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ pollsToComplete: 1 });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** A raw GET that reports what arrived on the wire, so resets and truncation are seen as a client sees them. */
function rawGet(
  url: string,
): Promise<{ status?: number | undefined; declared?: number; received: number; error?: string }> {
  return new Promise((resolve) => {
    const req = request(url, (res) => {
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode, declared: Number(res.headers['content-length']), received }),
      );
      res.on('error', (error) =>
        resolve({
          status: res.statusCode,
          declared: Number(res.headers['content-length']),
          received,
          error: (error as NodeJS.ErrnoException).code ?? error.message,
        }),
      );
    });
    req.on('error', (error) => resolve({ received: 0, error: (error as NodeJS.ErrnoException).code ?? error.message }));
    req.end();
  });
}

describe('status faults', () => {
  it.each([500, 502, 503])('answers %i the scripted number of times, then recovers', async (status) => {
    server.addFault({ route: 'jobs.get', fault: { type: 'status', status }, times: 2 });
    const id = (await call(server, 'POST', '/api/apps/download', { body: BUILD })).json.id;
    expect((await call(server, 'GET', `/api/jobs/${id}`)).status).toBe(status);
    expect((await call(server, 'GET', `/api/jobs/${id}`)).status).toBe(status);
    expect((await call(server, 'GET', `/api/jobs/${id}`)).status).toBe(200);
  });

  it('answers 429 with reset headers, and Retry-After when asked', async () => {
    server.addFault({
      route: 'apps.download',
      fault: { type: 'status', status: 429, resetIn: 7, retryAfter: 3 },
      times: 1,
    });
    const res = await call(server, 'POST', '/api/apps/download', { body: BUILD });
    expect(res).toMatchObject({ status: 429, json: { error: 'Too many requests' } });
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(res.headers.get('x-ratelimit-reset')).toBe(String(Date.UTC(2026, 0, 1) / 1000 + 7));
    expect(res.headers.get('retry-after')).toBe('3');
    expect((await call(server, 'POST', '/api/apps/download', { body: BUILD })).status).toBe(201);
  });

  it('skips the first `after` requests', async () => {
    server.addFault({ route: 'scenes.list', fault: { type: 'status', status: 500 }, after: 2, times: 1 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(server, 'GET', '/api/projects/1000/scenes')).status);
    expect(statuses).toEqual([200, 200, 500, 200]);
  });
});

describe('network faults', () => {
  it('adds latency', async () => {
    server.addFault({ route: 'ratelimits', fault: { type: 'latency', ms: 300 }, times: 1 });
    const t0 = performance.now();
    expect((await call(server, 'GET', '/api/ratelimits')).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('resets the connection before any header', async () => {
    server.addFault({ route: 'jobs.get', fault: { type: 'reset' }, times: 1 });
    const result = await rawGet(`${server.url}/api/jobs/1`);
    expect(result.status).toBeUndefined();
    expect(result.error).toBe('ECONNRESET');
    await expect(fetch(`${server.url}/api/ratelimits`)).resolves.toBeDefined();
  });

  it('truncates a download after the headers', async () => {
    const job = await completeBuild(server);
    server.addFault({ route: 'download', fault: { type: 'truncate', bytes: 1000 }, times: 1 });
    const result = await rawGet(job.data.download_url);
    expect(result.status).toBe(200);
    expect(result.received).toBe(1000);
    expect(result.declared).toBeGreaterThan(1000);
    expect(result.error).toBe('ECONNRESET');
    await expect(fetch(job.data.download_url).then((r) => r.arrayBuffer())).resolves.toBeDefined();
  });

  it('holds a download to the bandwidth asked for, bytes unchanged, ranges included', async () => {
    const job = await completeBuild(server);
    const whole = Buffer.from(await (await fetch(job.data.download_url)).arrayBuffer());
    const length = 256 * 1024;
    server.addFault({ route: 'download', fault: { type: 'bandwidth', bytesPerSecond: 512 * 1024 }, times: 2 });
    const t0 = performance.now();
    const part = await fetch(job.data.download_url, { headers: { range: `bytes=0-${length - 1}` } });
    expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(0, length))).toBe(true);
    // 256 KiB at 512 KiB/s: half a second at least (unthrottled, a few milliseconds)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(450);
    const t1 = performance.now();
    const throttled = Buffer.from(await (await fetch(job.data.download_url)).arrayBuffer());
    expect(throttled.equals(whole)).toBe(true);
    expect(performance.now() - t1).toBeGreaterThanOrEqual((whole.length / (512 * 1024)) * 1000 - 50);
    expect(
      server
        .journal()
        .filter((e) => e.route === 'download')
        .map((e) => e.fault ?? ''),
    ).toEqual(['', 'bandwidth', 'bandwidth']);
  });
});

describe('range faults', () => {
  it('serves the end of the archive for a suffix range, or the whole file when no-ranges says so', async () => {
    const job = await completeBuild(server);
    const whole = Buffer.from(await (await fetch(job.data.download_url)).arrayBuffer());
    const tail = await fetch(job.data.download_url, { headers: { range: 'bytes=-100' } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(`bytes ${whole.length - 100}-${whole.length - 1}/${whole.length}`);
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(-100))).toBe(true);
    // only suffix ranges ignored (as some hosts do): a suffix gets the whole file, an offset range is served
    server.addFault({ route: 'download', fault: { type: 'no-ranges', suffix: true }, times: 2 });
    const ignored = await fetch(job.data.download_url, { headers: { range: 'bytes=-100' } });
    expect(ignored.status).toBe(200);
    expect(ignored.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await ignored.arrayBuffer()).equals(whole)).toBe(true);
    expect((await fetch(job.data.download_url, { headers: { range: 'bytes=10-19' } })).status).toBe(206);
    // no ranges at all: the whole file, and no Accept-Ranges
    server.addFault({ route: 'download', fault: { type: 'no-ranges' }, times: 1 });
    const none = await fetch(job.data.download_url, { headers: { range: 'bytes=10-19' } });
    expect(none.status).toBe(200);
    expect(none.headers.get('accept-ranges')).toBeNull();
    expect(Buffer.from(await none.arrayBuffer()).equals(whole)).toBe(true);
  });
});

describe('archive faults', () => {
  it('serves a corrupt zip that readers refuse', async () => {
    const job = await completeBuild(server);
    server.addFault({ route: 'download', fault: { type: 'corrupt-zip' }, times: 1 });
    const bad = await fetchBytes(job.data.download_url);
    const good = await fetchBytes(job.data.download_url);
    expect(bad.length).toBe(good.length);
    await expect(JSZip.loadAsync(bad)).rejects.toThrow();
    await expect(yauzl.fromBufferPromise(bad)).rejects.toThrow(/end of central directory record signature not found/i);
  });

  it.each([
    [{ kind: 'file', name: '../x' }, /invalid relative path: \.\.\/x/],
    [{ kind: 'file', name: '/etc/evil' }, /absolute path: \/etc\/evil/],
  ] as const)('serves a zip with the hostile entry %j', async (entry, refusal) => {
    const job = await completeBuild(server);
    server.addFault({ route: 'download', fault: { type: 'hostile-entry', entry }, times: 1 });
    const bytes = await fetchBytes(job.data.download_url);
    const zip = await JSZip.loadAsync(bytes);
    expect(
      Object.values(zip.files).some(
        (f) =>
          (f as unknown as { unsafeOriginalName?: string }).unsafeOriginalName === entry.name || f.name === entry.name,
      ),
    ).toBe(true);
    const reader = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
    await expect(
      (async () => {
        for await (const _ of reader.eachEntry()) {
          // read every entry
        }
      })(),
    ).rejects.toThrow(refusal);
  });

  it('serves a zip with a symlink entry', async () => {
    const job = await completeBuild(server);
    server.addFault({
      route: 'download',
      fault: { type: 'hostile-entry', entry: { kind: 'symlink', name: 'assets-link', target: '/etc' } },
      times: 1,
    });
    const reader = await yauzl.fromBufferPromise(await fetchBytes(job.data.download_url), { lazyEntries: true });
    const modes = new Map<string, number>();
    for await (const entry of reader.eachEntry()) modes.set(entry.fileName, entry.externalFileAttributes >>> 16);
    expect(modes.get('assets-link')).toBe(0o120777);
  });
});

describe('rule validation', () => {
  it('refuses rules that could never fire, naming the problem', () => {
    expect(() => server.addFault({ route: 'jobs' as never, fault: { type: 'reset' } })).toThrow(
      /route must be '\*' or one of apps\.download, jobs\.get/,
    );
    expect(() => server.addFault({ route: 'jobs.get', fault: { type: 'truncate' } })).toThrow(
      /truncate applies to the download route only/,
    );
    expect(() => server.addFault({ route: 'jobs.get', fault: { type: 'status', status: 200 } })).toThrow(
      /an HTTP error code from 400 to 599/,
    );
    expect(() => server.addFault({ route: 'jobs.get', fault: { type: 'boom' } as never })).toThrow(
      /fault\.type must be latency, status/,
    );
    expect(() => server.addFault({ route: 'download', fault: { type: 'bandwidth', bytesPerSecond: 100 } })).toThrow(
      /bandwidth needs bytesPerSecond, an integer of at least 1024/,
    );
    expect(() => server.addFault({ route: 'download', fault: { type: 'no-ranges', suffix: 'yes' } as never })).toThrow(
      /no-ranges takes suffix, true to refuse only suffix ranges/,
    );
    expect(() => server.addFault({ route: 'jobs.get', fault: { type: 'bandwidth', bytesPerSecond: 4096 } })).toThrow(
      /download route only/,
    );
  });
});
