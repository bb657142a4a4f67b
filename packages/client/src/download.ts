import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DownloadError } from './errors.js';
import { describeNetworkFailure, networkCode } from './http.js';
import type { ProgressListener } from './progress.js';
import { backoffDelay, type RetryPolicy } from './retry-policy.js';
import { makeTempDir } from './temp-files.js';
import { formatMs, sleep } from './timing.js';

export interface DownloadedArchive {
  /** The archive on disk, in a private temp folder. */
  path: string;
  size: number;
  /** Removes the temp folder. Safe to call more than once. */
  dispose(): Promise<void>;
}

export interface DownloadRequest {
  url: string;
  fileName: string;
  signal: AbortSignal;
  policy: RetryPolicy;
  fetch: typeof fetch;
  userAgent: string;
  /** The API's origin and token: the token is sent only when the download URL is on that same origin. */
  api: { origin: string; token: string };
  /** A transfer that delivers no byte for this long is retried. */
  stallTimeoutMs: number;
  tempDir?: string;
  onProgress?: ProgressListener;
}

class RetryableDownloadFailure extends Error {}

function checkUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DownloadError(`The job gave a download URL that is not a URL: ${JSON.stringify(raw.slice(0, 200))}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DownloadError(`The download URL must be http(s); got ${url.protocol}`);
  return url;
}

/** Where a URL is shown in messages: no query string, which may hold a signature. */
export function safeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * Streams the archive to a temp file (memory stays bounded whatever the size), checks Content-Length,
 * retries a broken or stalled transfer, and reports progress.
 */
export async function downloadArchive(request: DownloadRequest): Promise<DownloadedArchive> {
  const url = checkUrl(request.url);
  const temp = await makeTempDir(request.tempDir);
  const path = join(temp.dir, request.fileName);
  const resume: ResumeState = {};
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        const size = await transferOnce(request, url, path, resume);
        request.onProgress?.({ type: 'download-complete', bytes: size, path });
        return { path, size, dispose: temp.remove };
      } catch (error) {
        if (request.signal.aborted) throw request.signal.reason;
        if (!(error instanceof RetryableDownloadFailure)) throw error;
        if (attempt >= request.policy.retries) {
          throw new DownloadError(
            `Download of ${safeUrl(url)} failed after ${attempt + 1} tries: ${error.message}; check the network, then run the build again`,
          );
        }
        const delayMs = backoffDelay(request.policy, attempt);
        request.onProgress?.({ type: 'retry', attempt: attempt + 1, delayMs, reason: error.message, route: 'download' });
        await sleep(delayMs, request.signal);
      }
    }
  } catch (error) {
    await temp.remove();
    throw error;
  }
}

/** What a broken transfer leaves for the next try: a server that serves ranges of the same file lets it resume. */
interface ResumeState {
  etag?: string;
  total?: number;
  ranges?: boolean;
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

async function transferOnce(request: DownloadRequest, url: URL, path: string, resume: ResumeState): Promise<number> {
  const stall = new AbortController();
  let stallTimer = setTimeout(() => stall.abort(), request.stallTimeoutMs);
  const touch = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => stall.abort(), request.stallTimeoutMs);
  };
  const headers: Record<string, string> = { 'user-agent': request.userAgent };
  if (url.origin === new URL(request.api.origin).origin) headers.authorization = `Bearer ${request.api.token}`;
  // Resume only with a strong validator: If-Range makes the server send the whole file if it changed.
  const have = resume.ranges && resume.etag && resume.total ? await bytesOnDisk(path) : 0;
  if (have > 0 && have < (resume.total ?? 0)) {
    headers.range = `bytes=${have}-`;
    headers['if-range'] = resume.etag as string;
  }
  try {
    let response: Response;
    try {
      response = await request.fetch(url, { headers, signal: AbortSignal.any([request.signal, stall.signal]) });
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      throw new RetryableDownloadFailure(
        stall.signal.aborted ? `no answer for ${formatMs(request.stallTimeoutMs)}` : describeNetworkFailure(networkCode(error), error),
      );
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 500 || response.status === 429) throw new RetryableDownloadFailure(`the server answered ${response.status}`);
      if (response.status === 416) {
        resume.ranges = false;
        throw new RetryableDownloadFailure('the server refused to resume (416)');
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
      throw new RetryableDownloadFailure('the server answered a range that does not continue the file');
    }
    const from = resumed ? have : 0;
    const declared = response.headers.get('content-length');
    const length = declared !== null && /^\d+$/.test(declared) ? Number(declared) : undefined;
    const total = resumed ? resume.total : length;
    if (!resumed) {
      resume.etag = response.headers.get('etag') ?? undefined;
      resume.ranges = response.headers.get('accept-ranges') === 'bytes';
      resume.total = total;
    }
    let received = from;
    let lastReport = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        touch();
        const now = performance.now();
        if (now - lastReport >= 100) {
          lastReport = now;
          request.onProgress?.({ type: 'download-progress', receivedBytes: received, totalBytes: total });
        }
        callback(null, chunk);
      },
    });
    if (!response.body) throw new RetryableDownloadFailure('the answer had no body');
    try {
      await pipeline(
        Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>),
        counter,
        createWriteStream(path, { flags: resumed ? 'a' : 'w' }),
      );
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      const why = stall.signal.aborted ? `no data for ${formatMs(request.stallTimeoutMs)}` : describeNetworkFailure(networkCode(error), error);
      throw new RetryableDownloadFailure(`the transfer broke after ${received} of ${total ?? 'unknown'} bytes (${why})`);
    }
    const size = (await stat(path)).size;
    if (total !== undefined && size !== total) {
      resume.ranges = false;
      throw new RetryableDownloadFailure(`got ${size} of the ${total} bytes announced`);
    }
    request.onProgress?.({ type: 'download-progress', receivedBytes: size, totalBytes: total ?? size });
    return size;
  } finally {
    clearTimeout(stallTimer);
  }
}
