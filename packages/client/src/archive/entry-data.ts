import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import type { Entry } from 'yauzl';
import { type ArchiveError, PlayCanvasError } from '../common/index.js';
import { corruptEntry } from './entry-rules.js';

/** An entry's bytes: where its data starts behind the local header, and the check of its size and CRC-32. */

/**
 * Read with an entry's local header, so that one read usually brings header and data (the local extra field may be
 * longer than the central one).
 */
export const LOCAL_SLACK = 256;
/** Output chunks of a streamed entry's inflate: fewer, larger chunks cost fewer trips to the thread pool. */
export const STREAM_CHUNK = 128 * 1024;

/**
 * Where an entry's data starts, from the bytes of its local header on: yauzl's checks, in yauzl's words (a
 * wrong signature, data past the end of the file).
 */
export function dataStartIn(entry: Entry, head: Buffer, fileSize: number): number {
  if (head.length < 30) throw new Error('unexpected EOF');
  const signature = head.readUInt32LE(0);
  if (signature !== 0x04034b50) throw new Error(`invalid local file header signature: 0x${signature.toString(16)}`);
  const start = entry.relativeOffsetOfLocalHeader + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  if (start + entry.compressedSize > fileSize)
    throw new Error(`file data overflows file bounds: ${start} + ${entry.compressedSize} > ${fileSize}`);
  return start;
}

/**
 * Counts and checksums an entry's bytes as they flow; fails as soon as there are too many, or at the end when the size
 * or CRC is wrong.
 */
export class Verifier extends Transform {
  private bytes = 0;
  private crc = 0;

  /** `beforeEnd` runs before the stream ends: the last reader of a closing archive ends after the release. */
  constructor(
    private readonly entry: Entry,
    private readonly beforeEnd: () => Promise<void> = async () => undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.entry.uncompressedSize) {
      callback(
        corruptEntry(
          this.entry.fileName,
          `inflates to more than the ${this.entry.uncompressedSize} bytes the archive declares`,
        ),
      );
      return;
    }
    this.crc = zlib.crc32(chunk, this.crc);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const problem = checkContent(this.entry, this.bytes, this.crc);
    if (problem) callback(problem);
    else this.beforeEnd().then(() => callback(), callback);
  }

  /**
   * Whatever broke the pipeline (zlib, the file) reaches the consumer as an ArchiveError naming the entry; the
   * client's own errors (a download that failed while the entry arrived, a timeout, an abort) pass as they are.
   */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (error === null || error instanceof PlayCanvasError) callback(error);
    else {
      const zlibError = String((error as NodeJS.ErrnoException).code ?? '').startsWith('Z_');
      callback(
        corruptEntry(
          this.entry.fileName,
          `${zlibError ? 'cannot be inflated' : 'cannot be read'} (${error.message})`,
          error,
        ),
      );
    }
  }
}

export function checkContent(entry: Entry, bytes: number, crc: number): ArchiveError | undefined {
  if (bytes !== entry.uncompressedSize)
    return corruptEntry(
      entry.fileName,
      `inflates to ${bytes} bytes, not the ${entry.uncompressedSize} the archive declares`,
    );
  if (crc >>> 0 !== entry.crc32 >>> 0)
    return corruptEntry(
      entry.fileName,
      `fails its CRC-32 check (the archive declares ${hex(entry.crc32)}, the bytes give ${hex(crc)}): ` +
        'it was altered or damaged',
    );
  return undefined;
}

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
