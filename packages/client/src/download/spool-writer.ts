import type { FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';

/**
 * Writes at increasing positions of the spool, several chunks a call when they queue up; tells each span once it is
 * on disk.
 */
export function spoolWriter(
  handle: FileHandle,
  position: number,
  written: (start: number, end: number) => void,
): Writable {
  let at = position;
  let pending: Promise<unknown> = Promise.resolve();
  return new Writable({
    highWaterMark: 1024 * 1024,
    writev(chunks, callback) {
      const buffers = chunks.map((c) => c.chunk as Buffer);
      const start = at;
      pending = writeAllAt(handle, buffers, start).then((length) => {
        at = start + length;
        written(start, at);
      });
      pending.then(() => callback(), callback);
    },
    // a write in flight lands before the stream closes: what a retry resumes from is what is on disk
    destroy(error, callback) {
      pending.then(
        () => callback(error),
        () => callback(error),
      );
    },
  });
}

/** Writes every buffer at `position`, going on after a short write; resolves to the bytes written. */
async function writeAllAt(handle: FileHandle, buffers: Buffer[], position: number): Promise<number> {
  let total = buffers.reduce((sum, b) => sum + b.length, 0);
  const length = total;
  let left = buffers;
  let at = position;
  while (total > 0) {
    const { bytesWritten } = await handle.writev(left, at);
    at += bytesWritten;
    total -= bytesWritten;
    if (total === 0) break;
    // a short write (rare): go on from where it stopped
    let skip = bytesWritten;
    left = left.flatMap((b) => {
      if (skip >= b.length) {
        skip -= b.length;
        return [];
      }
      const rest = b.subarray(skip);
      skip = 0;
      return [rest];
    });
  }
  return length;
}
