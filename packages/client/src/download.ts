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
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        const size = await transferOnce(request, url, path);
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

async function transferOnce(request: DownloadRequest, url: URL, path: string): Promise<number> {
  const stall = new AbortController();
  let stallTimer = setTimeout(() => stall.abort(), request.stallTimeoutMs);
  const touch = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => stall.abort(), request.stallTimeoutMs);
  };
  const headers: Record<string, string> = { 'user-agent': request.userAgent };
  if (url.origin === new URL(request.api.origin).origin) headers.authorization = `Bearer ${request.api.token}`;
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
      throw new DownloadError(
        `Download of ${safeUrl(url)} answered ${response.status}: the link may have expired or the job's archive is gone; start the build again`,
      );
    }
    const declared = response.headers.get('content-length');
    const total = declared !== null && /^\d+$/.test(declared) ? Number(declared) : undefined;
    let received = 0;
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
      await pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>), counter, createWriteStream(path));
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      const why = stall.signal.aborted ? `no data for ${formatMs(request.stallTimeoutMs)}` : describeNetworkFailure(networkCode(error), error);
      throw new RetryableDownloadFailure(`the transfer broke after ${received} of ${total ?? 'unknown'} bytes (${why})`);
    }
    const size = (await stat(path)).size;
    if (total !== undefined && size !== total) throw new RetryableDownloadFailure(`got ${size} of the ${total} bytes announced`);
    request.onProgress?.({ type: 'download-progress', receivedBytes: size, totalBytes: total ?? size });
    return size;
  } finally {
    clearTimeout(stallTimer);
  }
}
