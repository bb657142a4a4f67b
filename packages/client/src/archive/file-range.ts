import { Readable } from 'node:stream';

const CHUNK_BYTES = 256 * 1024;

/** Reads `length` bytes at `position` into `buffer`; resolves to the count read (0 at the end). */
export type PositionalRead = (buffer: Buffer, offset: number, length: number, position: number) => Promise<number>;

/**
 * Bytes `start` to `start + length` of a source, read at their positions. Unlike `handle.createReadStream()`,
 * it leaves no listener on a shared handle, so an archive can stream thousands of entries from one source. A
 * source shorter than the range fails with `cutShort()`.
 */
export function fileRange(read: PositionalRead, start: number, length: number, cutShort: () => Error): Readable {
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
      const buffer = Buffer.allocUnsafe(size);
      read(buffer, 0, size, position).then(
        (bytesRead) => {
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
