import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';

const CHUNK_BYTES = 256 * 1024;

/**
 * Bytes `start` to `start + length` of an open file, read at their positions. Unlike
 * `handle.createReadStream()`, it leaves no listener on the shared handle, so an archive can stream
 * thousands of entries from one handle. A file shorter than the range fails with `cutShort()`.
 */
export function fileRange(handle: FileHandle, start: number, length: number, cutShort: () => Error): Readable {
  let position = start;
  const end = start + length;
  return new Readable({
    highWaterMark: CHUNK_BYTES,
    read() {
      const size = Math.min(CHUNK_BYTES, end - position);
      if (size <= 0) {
        this.push(null);
        return;
      }
      handle.read(Buffer.allocUnsafe(size), 0, size, position).then(
        ({ bytesRead, buffer }) => {
          if (this.destroyed) return;
          if (bytesRead === 0) {
            this.destroy(cutShort());
            return;
          }
          position += bytesRead;
          this.push(buffer.subarray(0, bytesRead));
        },
        (error: unknown) => this.destroy(error as Error),
      );
    },
  });
}
