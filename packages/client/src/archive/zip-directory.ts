import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { ByteSource } from './byte-source.js';

/**
 * The end of an archive that holds its end-of-central-directory record, whatever its comment (and the ZIP64 locator).
 */
export const END_SEARCH_BYTES = 22 + 0xffff + 20;

/** The most of an archive's end held in memory to read its directory from: 100,000 entries with long names fit. */
const HELD_BYTES_MAX = 64 * 1024 * 1024;

/**
 * yauzl's view of a ByteSource. The end of the archive (end records and central directory) is read once, in
 * one piece, and served from memory: yauzl reads each directory record in two small reads, which from a file
 * would be two trips to the thread pool per entry.
 */
class SourceReader extends yauzl.RandomAccessReader {
  private cache: { start: number; bytes: Buffer } | undefined;

  constructor(private readonly source: ByteSource) {
    super();
  }

  get size(): number {
    return this.source.size;
  }

  /**
   * Holds bytes `start` to the end in memory (one read), or less where the source is shorter; nothing when that
   * is over HELD_BYTES_MAX (an end record can claim the directory starts anywhere: the reads then go to the source).
   */
  async hold(start: number): Promise<void> {
    const from = Math.max(0, start);
    if (this.cache && this.cache.start <= from) return;
    if (this.source.size - from > HELD_BYTES_MAX) return;
    const bytes = Buffer.allocUnsafe(this.source.size - from);
    const n = await this.source.read(bytes, 0, bytes.length, from);
    this.cache = { start: from, bytes: bytes.subarray(0, n) };
  }

  release(): void {
    this.cache = undefined;
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error: Error | null, bytesRead?: number) => void,
  ): void {
    const cache = this.cache;
    if (cache && position >= cache.start && position + length <= cache.start + cache.bytes.length) {
      cache.bytes.copy(buffer, offset, position - cache.start, position - cache.start + length);
      process.nextTick(callback, null, length);
      return;
    }
    this.source.read(buffer, offset, length, position).then(
      (n) => callback(null, n),
      (error: Error) => callback(error),
    );
  }
}

export interface Directory {
  zip: ZipFile;
  entries: Entry[];
  /** Bytes the end-of-central-directory record (or its ZIP64 version) says the directory takes, when it says. */
  declaredSize: number | undefined;
}

/**
 * Reads the central directory of the archive in `source` with yauzl (which validates names and sizes as it
 * goes), every record of it, before any entry is judged. yauzl's own errors pass through, to be worded by the
 * caller; `tooMany` is told the entry count first and may throw.
 */
export async function readDirectory(source: ByteSource, tooMany: (count: number) => void): Promise<Directory> {
  const reader = new SourceReader(source);
  await reader.hold(source.size - END_SEARCH_BYTES);
  const zip = await yauzl.fromRandomAccessReaderPromise(reader, source.size, {
    lazyEntries: true,
    autoClose: false,
    strictFileNames: false,
    validateEntrySizes: true,
  });
  try {
    tooMany(zip.entryCount);
    // where the directory starts (@types/yauzl calls the cursor a boolean; it is the offset yauzl reads next)
    await reader.hold((zip as unknown as { readEntryCursor: number }).readEntryCursor);
    const entries: Entry[] = [];
    for await (const entry of zip.eachEntry()) entries.push(entry);
    const declaredSize = await directorySpan(reader);
    return { zip, entries, declaredSize };
  } catch (error) {
    zip.close();
    throw error;
  } finally {
    reader.release();
  }
}

function readAt(reader: SourceReader, length: number, position: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  return new Promise((resolve, reject) =>
    reader.read(buffer, 0, length, position, (error) => (error ? reject(error) : resolve(buffer))),
  );
}

/**
 * Where the end-of-central-directory record says the central directory lies (ZIP64 too): its records must
 * fill exactly that span, or the directory was truncated or altered (a name would otherwise run on into
 * whatever follows and read as garbage).
 */
async function directorySpan(reader: SourceReader): Promise<number | undefined> {
  const size = reader.size;
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(reader, tailLength, size - tailLength);
  for (let i = tailLength - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== 0x06054b50 || tail.readUInt16LE(i + 20) !== tailLength - 22 - i) continue;
    const span = tail.readUInt32LE(i + 12);
    if (span !== 0xffffffff) return span;
    // ZIP64: the locator sits right before the record and points at the ZIP64 end of central directory
    if (i < 20 || tail.readUInt32LE(i - 20) !== 0x07064b50) return undefined;
    const record = await readAt(reader, 56, Number(tail.readBigUInt64LE(i - 20 + 8)));
    return record.readUInt32LE(0) === 0x06064b50 ? Number(record.readBigUInt64LE(40)) : undefined;
  }
  return undefined;
}
