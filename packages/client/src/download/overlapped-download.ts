import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context } from '../api/index.js';
import { type Arrival, ArrivingFile, DownloadedArchive, readFully } from '../archive/index.js';
import { AbortError, safeUrl, withDeadline } from '../common/index.js';
import { checkUrl } from './download-http.js';
import { RangeTransfer } from './range-transfer.js';
import { makeTempDir } from './temp-files.js';

/**
 * The first request asks for this much of the end: the end records and, for most builds, the whole central directory.
 */
export const TAIL_BYTES = 256 * 1024;

/**
 * Where the central directory starts, from the last bytes of the archive (`end`, which start at `at`), as
 * yauzl finds it (the last end record whose comment runs to the end of the file; ZIP64's record when it is in
 * reach), or undefined: then the body brings it, and the reader waits for it.
 */
export function directoryStart(end: Buffer, at: number, total: number): number | undefined {
  for (let i = end.length - 22; i >= 0; i--) {
    if (end.readUInt32LE(i) !== 0x06054b50 || end.readUInt16LE(i + 20) !== end.length - 22 - i) continue;
    const offset = end.readUInt32LE(i + 16);
    if (offset !== 0xffffffff) return offset <= total ? offset : undefined;
    if (i < 20 || end.readUInt32LE(i - 20) !== 0x07064b50) return undefined;
    const record = Number(end.readBigUInt64LE(i - 20 + 8)) - at;
    if (record < 0 || record + 56 > end.length || end.readUInt32LE(record) !== 0x06064b50) return undefined;
    const directory = Number(end.readBigUInt64LE(record + 48));
    return directory <= total ? directory : undefined;
  }
  return undefined;
}

/**
 * The download read while it arrives, when the host serves ranges of the file (with a strong ETag): the end
 * of the archive first (its end records and central directory, one or two range requests), so that every
 * entry can be judged before the first is read; then the body, once, in the background, into the same spool
 * file at its positions, with the same retries, resumes and checks as the whole-file download. Resolves as
 * soon as the end is in; reads of the archive wait for their bytes. Resolves to undefined, having written
 * nothing, when the host does not serve ranges: the caller downloads the whole file instead.
 */
export async function downloadWhileReading(
  ctx: Context,
  rawUrl: string,
  fileName: string,
): Promise<DownloadedArchive | undefined> {
  const url = checkUrl(rawUrl, ctx.config.allowInsecureHttp, ctx.config.words);
  const temp = await makeTempDir(ctx.config.tempDir);
  const path = join(temp.dir, fileName);
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'w+');
    const transfer = new RangeTransfer(url, handle, (facts) => new ArrivingFile(path, facts.total));
    const tail = await transfer.tail(ctx, TAIL_BYTES);
    if (!tail) {
      await handle.close();
      await temp.remove();
      return undefined;
    }
    const { file, start } = tail;
    const end = Buffer.allocUnsafe(file.size - start);
    await readFully(handle, end, 0, end.length, start);
    const directory = directoryStart(end, start, file.size);
    if (directory !== undefined && directory < start) await transfer.piece(ctx, directory, start);
    const bodyEnd = directory !== undefined ? Math.min(directory, start) : start;
    const spool = handle;
    // The body goes on after this call returns: under the call's deadline and signal still, and until stopped.
    const stopper = new AbortController();
    const { deadline } = ctx;
    const stopped = deadline.callerSignal ? AbortSignal.any([deadline.callerSignal, stopper.signal]) : stopper.signal;
    const done = withDeadline(
      ctx.activity,
      deadline.timeoutMs,
      stopped,
      (signal) => transfer.piece({ ...ctx, signal }, 0, bodyEnd),
      deadline.startedAt,
    )
      .then(
        () => {
          transfer.report(ctx, true);
          ctx.onProgress({ type: 'download-complete', bytes: file.size, path });
        },
        (error: Error) => {
          file.fail(error);
          throw error;
        },
      )
      .finally(() => spool.close());
    const arrival: Arrival = {
      file,
      done,
      stop: async () => {
        stopper.abort(new AbortError(`The archive was closed before its download finished (${safeUrl(url)})`));
        await done.catch(() => undefined);
      },
    };
    return new DownloadedArchive(path, file.size, temp.remove, arrival);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await temp.remove();
    throw error;
  }
}
