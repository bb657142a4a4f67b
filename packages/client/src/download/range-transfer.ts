import type { FileHandle } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Context } from '../api/index.js';
import type { ArrivingFile } from '../archive/index.js';
import { DownloadError, formatMs, safeUrl } from '../common/index.js';
import { describeNetworkFailure, networkCode } from '../network/index.js';
import {
  Broken,
  checkRedirect,
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
import { spoolWriter } from './spool-writer.js';

/** The file being fetched in ranges, as its first answer described it: every later answer must be of the same file. */
export interface FileFacts {
  total: number;
  etag: string;
}

/** A span of the file being fetched, and how much of it is on disk (what a retry resumes from). */
interface Piece {
  start: number;
  end: number;
  have: number;
}

type Answer =
  | { kind: 'range'; response: Response; start: number; end: number; total: number; etag: string | null }
  /** Not a range we may piece together; `why` in words, for when the host stops serving ranges part-way. */
  | { kind: 'whole'; why: string };

const cancel = (response: Response) => response.body?.cancel().catch(() => undefined);

/**
 * A strong validator: If-Range needs one (RFC 9110 §13.1.5), or a changed file could be pieced together from two
 * versions.
 */
const strong = (etag: string | null): etag is string => etag !== null && /^"[^"]*"$/.test(etag);

/**
 * One request for a range. An answer that is not a range of a file we may piece together (a 200, no strong
 * ETag, an encoded body) is `whole`: the caller decides what that means. Failures are worded as the
 * whole-file download words them.
 */
async function ask(
  ctx: Context,
  url: URL,
  range: string,
  ifRange: string | undefined,
  stall: StallWatch,
): Promise<Answer> {
  // fetch adds Accept-Encoding: identity to a range request itself (Fetch standard, HTTP-network fetch); an
  // encoded answer from a fetch that does not is not taken as a range (below)
  const headers: Record<string, string> = { range };
  if (ifRange) headers['if-range'] = ifRange;
  const stopWaiting = waitingReports(ctx);
  let response: Response;
  try {
    response = await ctx.fetchUrl(url, headers, AbortSignal.any([ctx.signal, stall.signal]));
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (stall.stalled) throw new Broken(`no answer for ${formatMs(ctx.config.stallTimeout)}`);
    throw requestFailure(ctx, url, error);
  } finally {
    stopWaiting();
  }
  await checkRedirect(response, ctx.config.allowInsecureHttp, ctx.config.words);
  if (response.status === 416) {
    await cancel(response);
    return { kind: 'whole', why: 'it answered 416, range not satisfiable' };
  }
  if (!response.ok) {
    await cancel(response);
    throw refused(url, response.status);
  }
  const served = contentRange(response.headers);
  const encoding = response.headers.get('content-encoding');
  const why =
    response.status !== 206
      ? `it answered ${response.status} with the whole file`
      : !served || served.start > served.end || served.end >= served.total
        ? 'its Content-Range was missing or impossible'
        : encoding !== null && encoding !== 'identity'
          ? `it sent the range with Content-Encoding ${encoding}`
          : undefined;
  if (why !== undefined || !served) {
    await cancel(response);
    return { kind: 'whole', why: why ?? 'its Content-Range was missing' };
  }
  return {
    kind: 'range',
    response,
    start: served.start,
    end: served.end + 1,
    total: served.total,
    etag: response.headers.get('etag'),
  };
}

/**
 * Fetches ranges of one file into a spool at their positions, each with retries that resume where the last try
 * stopped (Range with If-Range), checked against the file's size and ETag, stalls detected as for the
 * whole-file download. Reports progress over the whole file.
 */
export class RangeTransfer {
  private facts: FileFacts | undefined;
  private readonly started = performance.now();
  private lastReport = 0;

  constructor(
    private readonly url: URL,
    private readonly handle: FileHandle,
    /** Made once the first answer says how large the file is. */
    private readonly spool: (facts: FileFacts) => ArrivingFile,
  ) {}

  private file: ArrivingFile | undefined;

  /**
   * The last `bytes` of the file (all of it when smaller), or undefined when the server does not serve ranges
   * of it: then nothing was written, and the whole-file download takes over.
   */
  async tail(
    ctx: Context,
    bytes: number,
  ): Promise<{ facts: FileFacts; file: ArrivingFile; start: number } | undefined> {
    let piece: Piece | undefined;
    return retryTransfer(ctx, this.url, async () => {
      const stall = new StallWatch(ctx.config.stallTimeout);
      try {
        if (!piece) {
          const answer = await ask(ctx, this.url, `bytes=-${bytes}`, undefined, stall);
          // the last `bytes` (all of a smaller file) and nothing else: more would be held in memory whole
          const suffix =
            answer.kind === 'range' &&
            answer.end === answer.total &&
            answer.start === Math.max(0, answer.total - bytes);
          if (answer.kind === 'whole' || !suffix || !strong(answer.etag)) {
            if (answer.kind === 'range') await cancel(answer.response);
            return undefined;
          }
          if (answer.total > ctx.config.maxDownloadBytes) {
            await cancel(answer.response);
            throw tooLarge(this.url, `is ${answer.total} bytes`, ctx.config.maxDownloadBytes, ctx.config.words);
          }
          this.facts = { total: answer.total, etag: answer.etag };
          this.file = this.spool(this.facts);
          piece = { start: answer.start, end: answer.end, have: 0 };
          await this.receive(ctx, answer, piece, stall);
        }
        await this.fill(ctx, piece, stall);
        return { facts: this.facts as FileFacts, file: this.file as ArrivingFile, start: piece.start };
      } finally {
        stall.stop();
      }
    });
  }

  /** Bytes `start` to `end` of the file, after tail() found the file. */
  piece(ctx: Context, start: number, end: number): Promise<void> {
    const piece: Piece = { start, end, have: 0 };
    if (end <= start) return Promise.resolve();
    return retryTransfer(ctx, this.url, async () => {
      const stall = new StallWatch(ctx.config.stallTimeout);
      try {
        await this.fill(ctx, piece, stall);
      } finally {
        stall.stop();
      }
    });
  }

  /**
   * Asks for what is missing of a piece until it is whole: a host may send less of a range than asked (RFC 9110
   * §14.1.2).
   */
  private async fill(ctx: Context, piece: Piece, stall: StallWatch): Promise<void> {
    while (piece.start + piece.have < piece.end) await this.resume(ctx, piece, stall);
  }

  /** Asks for the rest of a piece (`have` of it are on disk), and takes it only if it is of the same file. */
  private async resume(ctx: Context, piece: Piece, stall: StallWatch) {
    const facts = this.facts as FileFacts;
    const from = piece.start + piece.have;
    const answer = await ask(ctx, this.url, `bytes=${from}-${piece.end - 1}`, facts.etag, stall);
    if (answer.kind === 'whole') {
      throw new DownloadError(
        `The host of ${safeUrl(this.url)} stopped serving byte ranges of the archive part-way (${answer.why}): ` +
          `run the build again`,
      );
    }
    if (answer.etag !== facts.etag || answer.total !== facts.total) {
      await cancel(answer.response);
      throw new DownloadError(
        `The archive at ${safeUrl(this.url)} changed while it was being downloaded: run the build again`,
      );
    }
    if (answer.start !== from || answer.end > piece.end) {
      await cancel(answer.response);
      throw new Broken('the server answered a range that does not continue the file');
    }
    await this.receive(ctx, answer, piece, stall);
  }

  /**
   * Streams one answer into the spool at its position, counting, watching for stalls and for more than was asked for.
   */
  private async receive(
    ctx: Context,
    answer: Extract<Answer, { kind: 'range' }>,
    piece: Piece,
    stall: StallWatch,
  ): Promise<void> {
    const { response } = answer;
    const length = answer.end - answer.start;
    const pieceLength = piece.end - piece.start;
    const declared = declaredLength(response.headers);
    if (declared !== undefined && declared !== length) {
      await cancel(response);
      throw new Broken(`the server announced ${declared} bytes for a range of ${length}`);
    }
    if (!response.body) throw new Broken('the answer had no body');
    const url = this.url;
    let received = 0;

    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        stall.touch();
        if (received > length) callback(sentTooMuch(url, length, response));
        else callback(null, chunk);
      },
    });
    const writer = spoolWriter(this.handle, answer.start, (start, end) => {
      piece.have += end - start;
      this.file?.arrived(start, end);
      this.report(ctx, false);
    });
    try {
      await pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>), counter, writer);
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (error instanceof DownloadError) throw error;
      const why = stall.stalled
        ? `no data for ${formatMs(ctx.config.stallTimeout)}`
        : describeNetworkFailure(networkCode(error), error);
      throw new Broken(`the transfer broke after ${piece.have} of ${pieceLength} bytes (${why})`);
    }
    if (received < length) throw new Broken(`got ${piece.have} of the ${pieceLength} bytes announced`);
  }

  /** Progress over the whole file, every 100 ms at most (and once at the end). */
  report(ctx: Context, force: boolean): void {
    const now = performance.now();
    if (!this.file || (!force && now - this.lastReport < 100)) return;
    this.lastReport = now;
    const seconds = (now - this.started) / 1000;
    const received = this.file.arrivedBytes;
    ctx.onProgress({
      type: 'download-progress',
      receivedBytes: received,
      totalBytes: this.file.size,
      bytesPerSecond: seconds > 0 ? received / seconds : 0,
    });
  }
}
