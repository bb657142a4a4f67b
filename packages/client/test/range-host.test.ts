import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import JSZip from 'jszip';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, type ArchiveEntry, DownloadError, type DownloadedArchive, TimeoutError } from '../src/index.js';
import { liveTempDirs } from '../src/testing.js';
import { caught, clientFor, startMock } from './helpers.js';

/** A download host of our own making: the hostile or odd behaviours a real one may have, on loopback. */
type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

let host: Server | undefined;
const requests: Array<{ range: string | undefined; auth: string | undefined }> = [];
afterEach(async () => {
  host?.closeAllConnections();
  await new Promise((resolve) => host?.close(resolve) ?? resolve(undefined));
  host = undefined;
  requests.length = 0;
  expect(liveTempDirs()).toEqual([]);
});

async function serve(handler: Handler): Promise<string> {
  host = createServer((req, res) => {
    requests.push({ range: req.headers.range, auth: req.headers.authorization });
    handler(req, res, requests.length - 1);
  });
  await new Promise<void>((resolve) => host?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(host.address() as AddressInfo).port}/dl/build.zip?X-Amz-Signature=s3cr3t`;
}

/** `bytes=-N`, `bytes=N-` and `bytes=N-M` as [start, end] inclusive. */
function rangeOf(header: string | undefined, total: number): [number, number] | undefined {
  const suffix = /^bytes=-(\d+)$/.exec(header ?? '');
  if (suffix) return [Math.max(0, total - Number(suffix[1])), total - 1];
  const span = /^bytes=(\d+)-(\d*)$/.exec(header ?? '');
  return span ? [Number(span[1]), span[2] ? Math.min(Number(span[2]), total - 1) : total - 1] : undefined;
}

/** A well-behaved host of `body`, sending at most `cap` bytes of any range. */
function ranges(body: Buffer, cap = Number.POSITIVE_INFINITY): Handler {
  return (req, res) => {
    const range = rangeOf(req.headers.range, body.length);
    if (!range) {
      res.writeHead(200, { 'content-length': body.length, etag: '"v1"', 'accept-ranges': 'bytes' }).end(body);
      return;
    }
    const [start, wanted] = range;
    const end = Math.min(wanted, start + cap - 1);
    res.writeHead(206, {
      'content-range': `bytes ${start}-${end}/${body.length}`,
      'content-length': end - start + 1,
      etag: '"v1"',
    });
    res.end(body.subarray(start, end + 1));
  };
}

/** An archive larger than the end read first, so its body arrives after its directory. */
async function archive(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('a.txt', 'hello');
  zip.file('big.bin', randomBytes(1_500_000));
  zip.file('z.txt', 'last');
  return zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
}

async function readAll(downloaded: DownloadedArchive): Promise<Record<string, number>> {
  const zip = await downloaded.open();
  const sizes: Record<string, number> = {};
  for await (const entry of zip.entries()) sizes[entry.name] = (await entry.read()).length;
  return sizes;
}

async function client() {
  const server = await startMock();
  const made = clientFor(server, { stallTimeout: 2000, retry: { baseDelayMs: 5, maxDelayMs: 20, retries: 2 } });
  return { ...made, close: () => server.close() };
}

describe('a download host that serves ranges oddly', () => {
  it('an impossible Content-Range on the archive’s end: the whole-file download instead, not a crash', async () => {
    const body = await archive();
    const url = await serve((req, res, n) => {
      if (n === 0) res.writeHead(206, { 'content-range': 'bytes 500-99/100', etag: '"v1"' }).end();
      else ranges(body)(req, res, n);
    });
    const { client: c, close } = await client();
    const downloaded = await c.download(url, { readWhileDownloading: true });
    expect(await readAll(downloaded)).toEqual({ 'a.txt': 5, 'big.bin': 1_500_000, 'z.txt': 4 });
    await downloaded.dispose();
    expect(requests.map((r) => r.range)).toEqual(['bytes=-262144', undefined]);
    await close();
  });

  it('the whole file answered to a tail request: not held in memory, the whole-file download instead', async () => {
    const body = await archive();
    const url = await serve((req, res, n) => {
      if (n === 0)
        res.writeHead(206, { 'content-range': `bytes 0-${body.length - 1}/${body.length}`, etag: '"v1"' }).end(body);
      else ranges(body)(req, res, n);
    });
    const { client: c, close } = await client();
    const downloaded = await c.download(url, { readWhileDownloading: true });
    expect(await readAll(downloaded)).toEqual({ 'a.txt': 5, 'big.bin': 1_500_000, 'z.txt': 4 });
    await downloaded.dispose();
    expect(requests).toHaveLength(2);
    await close();
  });

  it('a host that sends less of each range than asked (as RFC 9110 allows): asked again for the rest', async () => {
    const body = await archive();
    const url = await serve(ranges(body, 256 * 1024));
    const { client: c, events, close } = await client();
    const downloaded = await c.download(url, { readWhileDownloading: true });
    expect(await readAll(downloaded)).toEqual({ 'a.txt': 5, 'big.bin': 1_500_000, 'z.txt': 4 });
    await downloaded.complete();
    await downloaded.dispose();
    expect(requests.length).toBeGreaterThanOrEqual(1 + Math.ceil((body.length - 256 * 1024) / (256 * 1024)));
    expect(events.filter((e) => e.type === 'retry')).toEqual([]);
    expect(requests.every((r) => r.auth === undefined)).toBe(true);
    await close();
  });

  it('a host that stops serving ranges part-way: a DownloadError saying so, the URL without signature', async () => {
    const body = await archive();
    const url = await serve((req, res, n) => {
      if (n === 0) ranges(body)(req, res, n);
      else res.writeHead(200, { 'content-length': body.length, etag: '"v1"' }).end(body);
    });
    const { client: c, close } = await client();
    const downloaded = await c.download(url, { readWhileDownloading: true });
    const error = await caught(downloaded.complete());
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as Error).message).toMatch(
      new RegExp(
        String.raw`^The host of http:\/\/127\.0\.0\.1:\d+\/dl\/build\.zip stopped ` +
          String.raw`serving byte ranges of the archive part-way \(it answered 200 with ` +
          String.raw`the whole file\): run the build again$`,
      ),
    );
    await downloaded.dispose();
    await close();
  });
});

describe('what a read of an arriving entry fails with', () => {
  it('a streamed entry whose last bytes never come: the download’s own error (a timeout), not "corrupt"', async () => {
    const body = await archive();
    // the end of the archive at once, then the first half of the body, then nothing
    const url = await serve((req, res, n) => {
      if (n === 0) ranges(body)(req, res, n);
      else {
        const end = body.length - 262144;
        res.writeHead(206, {
          'content-range': `bytes 0-${end - 1}/${body.length}`,
          'content-length': end,
          etag: '"v1"',
        });
        res.write(body.subarray(0, 800_000));
      }
    });
    const { client: c, close } = await client();
    const downloaded = await c.download(url, { readWhileDownloading: true, timeout: 1500 });
    try {
      const zip = await downloaded.open();
      let big: ArchiveEntry | undefined;
      for await (const entry of zip.entries()) if (entry.name === 'big.bin') big = entry;
      let streamed = 0;
      const error = await caught(
        (async () => {
          const stream = await (big as ArchiveEntry).openStream();
          for await (const chunk of stream) streamed += (chunk as Buffer).length;
        })(),
      );
      expect(streamed, 'the entry had begun to stream').toBeGreaterThan(0);
      expect(error).toBeInstanceOf(TimeoutError);
    } finally {
      await downloaded.dispose();
      await close();
    }
  });

  it('close() before the download finished: "closed", not "the caller\'s signal fired"', async () => {
    const body = await archive();
    const url = await serve((req, res, n) => {
      if (n === 0) ranges(body)(req, res, n);
      else
        res
          .writeHead(206, { 'content-range': `bytes 0-${body.length - 262144 - 1}/${body.length}`, etag: '"v1"' })
          .flushHeaders();
    });
    const { client: c, close } = await client();
    const downloaded = await c.download(url, { readWhileDownloading: true });
    const whole = caught(downloaded.complete());
    await downloaded.close();
    const error = await whole;
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).message).toMatch(
      /^The archive was closed before its download finished \(http:\/\/127\.0\.0\.1:\d+\/dl\/build\.zip\)$/,
    );
    await close();
  });
});
