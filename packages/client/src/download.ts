import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { isLoopback } from './config.js';
import type { Context } from './context.js';
import { DownloadError, NetworkError } from './errors.js';
import {
  describeNetworkFailure,
  describeProxyFailure,
  isTlsCode,
  nameProxy,
  networkCode,
  PROXY_AUTH_REQUIRED,
  PROXY_TUNNEL_REFUSED,
  safeCause,
} from './network.js';
import { safeUrl } from './redact.js';
import { Retry, withRetries } from './retry.js';
import { makeTempDir } from './temp-files.js';
import { clampDelay, formatMs } from './timing.js';

/** An archive spooled to a private temp folder. */
export interface SpooledFile {
  path: string;
  size: number;
  /** Removes the temp folder. Safe to call more than once. */
  remove(): Promise<void>;
}

/** What a broken transfer leaves for the next try: a server that serves ranges of the same file lets it resume. */
interface ResumeState {
  etag?: string;
  total?: number;
  ranges?: boolean;
}

/** Why a transfer failed, as the retry engine words it; `final` words the error once the tries run out, if not the default. */
class Broken extends Error {
  constructor(
    message: string,
    readonly final?: (tries: number) => Error,
  ) {
    super(message);
  }
}

function checkUrl(raw: string, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DownloadError(`The job gave a download URL that is not a URL: ${safeUrl(raw)}; the API may have changed, report it`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DownloadError(`The download URL must be http(s); got ${url.protocol}`);
  checkPlainHttp(url, allowInsecureHttp);
  return url;
}

/** Plain HTTP is for this machine only, unless the user says the network is trusted: the build could be altered on the way. */
function checkPlainHttp(url: URL, allowInsecureHttp: boolean): void {
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !allowInsecureHttp) {
    throw new DownloadError(
      `The download URL ${safeUrl(url)} uses plain HTTP to another machine, so the build could be altered on the way: ask for an https URL, or set allowInsecureHttp: true for a trusted network`,
    );
  }
}

/**
 * Streams the archive to a temp file (memory stays bounded whatever the size), checks it against
 * Content-Length and maxDownloadBytes, retries a broken or stalled transfer (resuming where the server serves
 * ranges), and reports progress. Nothing is decoded behind the caller's back: identity encoding is asked for.
 */
export async function downloadToTemp(ctx: Context, rawUrl: string, fileName: string): Promise<SpooledFile> {
  const url = checkUrl(rawUrl, ctx.config.allowInsecureHttp);
  const temp = await makeTempDir(ctx.config.tempDir);
  const path = join(temp.dir, fileName);
  const resume: ResumeState = {};
  try {
    const size = await withRetries({ policy: ctx.config.retry, signal: ctx.signal, onProgress: ctx.onProgress, route: 'download' }, async () => {
      try {
        return await transferOnce(ctx, url, path, resume);
      } catch (error) {
        if (!(error instanceof Broken)) throw error;
        throw new Retry(
          error.message,
          error.final ??
            ((n) =>
              new DownloadError(
                `Download of ${safeUrl(url)} failed after ${n} ${n === 1 ? 'try' : 'tries'}: ${error.message}; check the network, then run the build again`,
              )),
        );
      }
    });
    ctx.onProgress({ type: 'download-complete', bytes: size, path });
    return { path, size, remove: temp.remove };
  } catch (error) {
    await temp.remove();
    throw error;
  }
}

async function bytesOnDisk(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** The start and total of a `Content-Range: bytes start-end/total` answer. */
function contentRange(headers: Headers): { start: number; total: number } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(headers.get('content-range') ?? '');
  return match ? { start: Number(match[1]), total: Number(match[3]) } : undefined;
}

function tooLarge(url: URL, bytes: string, max: number): DownloadError {
  return new DownloadError(
    `The archive at ${safeUrl(url)} ${bytes}, over maxDownloadBytes (${max} bytes): raise maxDownloadBytes if the build really is that large`,
  );
}

/**
 * A request that got no answer: retried (Broken) unless retrying cannot help (a certificate, proxy credentials);
 * a proxy's failure names the proxy, as the API's calls do.
 */
function requestFailure(ctx: Context, url: URL, error: unknown): Error {
  const code = networkCode(error);
  const cause = { cause: safeCause(code, error) };
  const proxy = ctx.config.proxy.routeFor(url);
  const proxyFailure = proxy && describeProxyFailure(code, error, proxy, url);
  if (proxy && proxyFailure) {
    const message = (n: number) =>
      `The ${nameProxy(proxy)} ${proxyFailure.problem}, for the download of ${safeUrl(url)}${n > 1 ? ` (${n} tries)` : ''}: ${proxyFailure.fix}`;
    if (code === PROXY_AUTH_REQUIRED || code === PROXY_TUNNEL_REFUSED) return new NetworkError(message(1), code, cause);
    return new Broken(`the ${nameProxy(proxy)} ${proxyFailure.problem}`, (n) => new NetworkError(message(n), code, cause));
  }
  if (isTlsCode(code))
    return new NetworkError(`Download of ${safeUrl(url)} failed the TLS check: ${describeNetworkFailure(code, error)}`, code, cause);
  return new Broken(describeNetworkFailure(code, error));
}

async function transferOnce(ctx: Context, url: URL, path: string, resume: ResumeState): Promise<number> {
  const { stallTimeout, maxDownloadBytes } = ctx.config;
  const stall = new AbortController();
  let stallTimer = setTimeout(() => stall.abort(), clampDelay(stallTimeout));
  const touch = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => stall.abort(), clampDelay(stallTimeout));
  };
  const asked = performance.now();
  const waiting = setInterval(() => ctx.onProgress({ type: 'download-waiting', waitedMs: performance.now() - asked }), 1000);
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  // Resume only with a strong validator: If-Range makes the server send the whole file if it changed.
  const have = resume.ranges && resume.etag && resume.total ? await bytesOnDisk(path) : 0;
  if (have > 0 && have < (resume.total ?? 0)) {
    headers.range = `bytes=${have}-`;
    headers['if-range'] = resume.etag as string;
  }
  try {
    let response: Response;
    try {
      response = await ctx.transport.fetchUrl(url, headers, AbortSignal.any([ctx.signal, stall.signal]));
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (stall.signal.aborted) throw new Broken(`no answer for ${formatMs(stallTimeout)}`);
      throw requestFailure(ctx, url, error);
    } finally {
      clearInterval(waiting);
    }
    if (response.redirected) checkPlainHttp(new URL(response.url), ctx.config.allowInsecureHttp);
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 500 || response.status === 429) throw new Broken(`the server answered ${response.status}`);
      if (response.status === 416) {
        resume.ranges = false;
        throw new Broken('the server refused to resume (416)');
      }
      throw new DownloadError(
        `Download of ${safeUrl(url)} answered ${response.status}: the link may have expired or the job's archive is gone; start the build again`,
      );
    }
    const range = response.status === 206 ? contentRange(response.headers) : undefined;
    const resumed = range !== undefined && range.start === have && range.total === resume.total;
    if (response.status === 206 && !resumed) {
      await response.body?.cancel().catch(() => undefined);
      resume.ranges = false;
      throw new Broken('the server answered a range that does not continue the file');
    }
    const from = resumed ? have : 0;
    const declared = response.headers.get('content-length');
    const length = declared !== null && /^\d{1,16}$/.test(declared) ? Number(declared) : undefined;
    const total = resumed ? resume.total : length;
    if (total !== undefined && total > maxDownloadBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(url, `is ${total} bytes`, maxDownloadBytes);
    }
    if (!resumed) {
      const etag = response.headers.get('etag');
      resume.ranges = response.headers.get('accept-ranges') === 'bytes';
      if (etag) resume.etag = etag;
      else delete resume.etag;
      if (total !== undefined) resume.total = total;
      else delete resume.total;
    }
    let received = from;
    let lastReport = 0;
    const started = performance.now();
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        touch();
        if (received > maxDownloadBytes) {
          callback(tooLarge(url, `grew past ${maxDownloadBytes} bytes`, maxDownloadBytes));
          return;
        }
        if (total !== undefined && received > total) {
          callback(
            new DownloadError(
              `The server sent more than the ${total} bytes it announced for ${safeUrl(url)} (Content-Length${response.headers.get('content-encoding') ? `, with Content-Encoding ${response.headers.get('content-encoding')}` : ''}): the download was stopped; the archive host is misbehaving`,
            ),
          );
          return;
        }
        const now = performance.now();
        if (now - lastReport >= 100) {
          lastReport = now;
          const seconds = (now - started) / 1000;
          ctx.onProgress({
            type: 'download-progress',
            receivedBytes: received,
            totalBytes: total,
            bytesPerSecond: seconds > 0 ? (received - from) / seconds : 0,
          });
        }
        callback(null, chunk);
      },
    });
    if (!response.body) throw new Broken('the answer had no body');
    try {
      await pipeline(
        Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>),
        counter,
        createWriteStream(path, { flags: resumed ? 'a' : 'w' }),
      );
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (error instanceof DownloadError) throw error;
      const why = stall.signal.aborted ? `no data for ${formatMs(stallTimeout)}` : describeNetworkFailure(networkCode(error), error);
      throw new Broken(`the transfer broke after ${received} of ${total ?? 'unknown'} bytes (${why})`);
    }
    const size = await bytesOnDisk(path);
    if (total !== undefined && size !== total) {
      resume.ranges = false;
      throw new Broken(`got ${size} of the ${total} bytes announced`);
    }
    const seconds = (performance.now() - started) / 1000;
    ctx.onProgress({
      type: 'download-progress',
      receivedBytes: size,
      totalBytes: total ?? size,
      bytesPerSecond: seconds > 0 ? (size - from) / seconds : 0,
    });
    return size;
  } finally {
    clearTimeout(stallTimer);
    clearInterval(waiting);
  }
}
