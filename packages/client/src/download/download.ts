import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Context } from '../api/index.js';
import { DownloadError, formatMs } from '../common/index.js';
import { describeNetworkFailure, networkCode } from '../network/index.js';
import {
  Broken,
  checkRedirect,
  checkUrl,
  contentRange,
  declaredLength,
  refused,
  requestFailure,
  retryTransfer,
  StallWatch,
  sentTooMuch,
  tooLarge,
  waitingReports,
} from './download-http.js';
import { makeTempDir } from './temp-files.js';

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

/**
 * Streams the archive to a temp file (memory stays bounded whatever the size), checks it against
 * Content-Length and maxDownloadBytes, retries a broken or stalled transfer (resuming where the server serves
 * ranges), and reports progress. Nothing is decoded behind the caller's back: identity encoding is asked for.
 */
export async function downloadToTemp(ctx: Context, rawUrl: string, fileName: string): Promise<SpooledFile> {
  const url = checkUrl(rawUrl, ctx.config.allowInsecureHttp, ctx.config.words);
  const temp = await makeTempDir(ctx.config.tempDir);
  const path = join(temp.dir, fileName);
  const resume: ResumeState = {};
  try {
    const size = await retryTransfer(ctx, url, () => transferOnce(ctx, url, path, resume));
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

async function transferOnce(ctx: Context, url: URL, path: string, resume: ResumeState): Promise<number> {
  const { stallTimeout, maxDownloadBytes } = ctx.config;
  const stall = new StallWatch(stallTimeout);
  const stopWaiting = waitingReports(ctx);
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
      response = await ctx.fetchUrl(url, headers, AbortSignal.any([ctx.signal, stall.signal]));
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (stall.stalled) throw new Broken(`no answer for ${formatMs(stallTimeout)}`);
      throw requestFailure(ctx, url, error);
    } finally {
      stopWaiting();
    }
    await checkRedirect(response, ctx.config.allowInsecureHttp, ctx.config.words);
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      if (response.status === 416) {
        resume.ranges = false;
        throw new Broken('the server refused to resume (416)');
      }
      throw refused(url, response.status);
    }
    const range = response.status === 206 ? contentRange(response.headers) : undefined;
    const resumed = range !== undefined && range.start === have && range.total === resume.total;
    if (response.status === 206 && !resumed) {
      await response.body?.cancel().catch(() => undefined);
      resume.ranges = false;
      throw new Broken('the server answered a range that does not continue the file');
    }
    const from = resumed ? have : 0;
    const length = declaredLength(response.headers);
    const total = resumed ? resume.total : length;
    if (total !== undefined && total > maxDownloadBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(url, `is ${total} bytes`, maxDownloadBytes, ctx.config.words);
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
        stall.touch();
        if (received > maxDownloadBytes) {
          callback(tooLarge(url, `grew past ${maxDownloadBytes} bytes`, maxDownloadBytes, ctx.config.words));
          return;
        }
        if (total !== undefined && received > total) {
          callback(sentTooMuch(url, total, response));
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
      const why = stall.stalled
        ? `no data for ${formatMs(stallTimeout)}`
        : describeNetworkFailure(networkCode(error), error);
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
    stall.stop();
    stopWaiting();
  }
}
