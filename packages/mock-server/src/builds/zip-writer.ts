import { once } from 'node:events';
import type { Writable } from 'node:stream';
import zlib from 'node:zlib';
import type { BuildEntry } from './spec.js';

/** Entries compressed ahead of the one being written: the thread pool's work, two cores' worth and some. */
const AHEAD = 6;
/** An entry compressed ahead holds at most this much output before it waits for its turn. */
const AHEAD_BYTES = 16 * 1024 * 1024;
/** Generated content up to this size is deflated in one piece. */
const GATHER_BYTES = 4 * 1024 * 1024;
/** The deflater's output chunks for content streamed through it. */
const STREAM_CHUNK = 256 * 1024;

const VERSION_NEEDED = 20;
const VERSION_NEEDED_ZIP64 = 45;
/** Unix, spec 6.3 */
const VERSION_MADE_BY = (3 << 8) | 63;
const UTF8_NAME = 1 << 11;
const DATA_DESCRIPTOR_FOLLOWS = 1 << 3;
const DEFLATE = 8;
const LEVEL = 6;

export interface ZipOptions {
  mtime: Date;
  /** Unix mode when an entry names none. */
  mode: number;
}

/** One entry once compressed: what its headers need. */
interface Written {
  name: Buffer;
  mode: number;
  /** Content given whole: its CRC and sizes go in the local header, no data descriptor (as yazl does for buffers). */
  known: boolean;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** Compresses one entry's content, keeping its output until `release()` says it may flow to the archive. */
class Compression {
  crc = 0;
  size = 0;
  compressed = 0;
  private chunks: Buffer[] = [];
  private held = 0;
  private sink: ((chunk: Buffer) => Promise<void>) | undefined;
  private released: () => void = () => undefined;
  private readonly turn = new Promise<void>((resolve) => {
    this.released = resolve;
  });
  readonly done: Promise<void>;

  private readonly deflateOptions: zlib.ZlibOptions;

  constructor({ content, incompressible }: BuildEntry) {
    this.deflateOptions = incompressible ? { level: LEVEL, strategy: zlib.constants.Z_HUFFMAN_ONLY } : { level: LEVEL };
    this.done = typeof content === 'function' ? this.stream(content()) : this.whole(typeof content === 'string' ? Buffer.from(content) : content);
    this.done.catch(() => undefined);
  }

  private async whole(data: Buffer): Promise<void> {
    this.crc = zlib.crc32(data);
    this.size = data.length;
    const out = await new Promise<Buffer>((resolve, reject) =>
      zlib.deflateRaw(data, { ...this.deflateOptions, chunkSize: wholeChunk(data.length) }, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    );
    // one piece, already in memory: it waits for no turn
    await this.emit(out, false);
  }

  /**
   * Generated content: gathered and deflated in one piece when it is small (one trip to the thread pool, not
   * one per 16 KiB), streamed through a deflater when it is large. The bytes are the same either way.
   */
  private async stream(source: AsyncIterable<Buffer>): Promise<void> {
    const iterator = source[Symbol.asyncIterator]();
    const gathered: Buffer[] = [];
    let length = 0;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return this.whole(gathered.length === 1 ? (gathered[0] as Buffer) : Buffer.concat(gathered, length));
      gathered.push(next.value);
      length += next.value.length;
      if (length > GATHER_BYTES) break;
    }
    const deflate = zlib.createDeflateRaw({ ...this.deflateOptions, chunkSize: STREAM_CHUNK });
    const drained = (async () => {
      for await (const chunk of deflate) await this.emit(chunk as Buffer);
    })();
    const feed = async (chunk: Buffer) => {
      this.crc = zlib.crc32(chunk, this.crc);
      this.size += chunk.length;
      if (!deflate.write(chunk)) await once(deflate, 'drain');
    };
    try {
      for (const chunk of gathered) await feed(chunk);
      gathered.length = 0;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) await feed(next.value);
      deflate.end();
    } catch (error) {
      deflate.destroy(error as Error);
    }
    await drained;
  }

  /** Output goes to the archive once this entry's turn came; before that it is kept, up to AHEAD_BYTES. */
  private async emit(chunk: Buffer, wait = true): Promise<void> {
    this.compressed += chunk.length;
    if (this.sink) return this.sink(chunk);
    this.chunks.push(chunk);
    this.held += chunk.length;
    if (wait && this.held >= AHEAD_BYTES) await this.turn;
  }

  /** This entry's turn: what was kept goes out, and the rest as it comes. */
  async release(sink: (chunk: Buffer) => Promise<void>): Promise<void> {
    for (const chunk of this.chunks) await sink(chunk);
    this.chunks = [];
    this.sink = sink;
    this.released();
    await this.done;
  }
}

/**
 * Writes `entries` as a zip to `out`, in their order, byte for byte as yazl 3 writes them (the format the
 * mock always served: UTF-8 names, an extended timestamp in the central directory, a data descriptor after
 * streamed content, ZIP64 records only where sizes or offsets need them), but with CRC-32 from zlib and up to
 * AHEAD entries deflated at once on the thread pool instead of one after another. Entries marked
 * incompressible (random bytes) are deflated with Huffman coding only: stored blocks all the same, of the
 * same size, five times faster than a search for repeats that finds none; only their bytes differ from yazl's.
 */
export async function writeZip(entries: BuildEntry[], options: ZipOptions, out: Writable): Promise<void> {
  let cursor = 0;
  const write = async (chunk: Buffer) => {
    cursor += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  };
  const time = dosDateTime(options.mtime);
  const names = entries.map((entry) => Buffer.from(checkName(entry.name)));
  const pending: Compression[] = [];
  let next = 0;
  const startMore = () => {
    while (next < entries.length && pending.length < AHEAD) pending.push(new Compression(entries[next++] as BuildEntry));
  };
  const written: Written[] = [];
  for (const [i, entry] of entries.entries()) {
    startMore();
    const compression = pending.shift() as Compression;
    const name = names[i] as Buffer;
    const known = typeof entry.content !== 'function';
    const offset = cursor;
    if (known) await compression.done;
    await write(localHeader(name, known ? compression : undefined, time));
    await compression.release(write);
    const record: Written = {
      name,
      mode: entry.mode ?? options.mode,
      known,
      crc: compression.crc,
      compressed: compression.compressed,
      size: compression.size,
      offset,
    };
    if (!known) await write(dataDescriptor(record));
    written.push(record);
  }
  const directoryStart = cursor;
  for (const record of written) await write(directoryRecord(record, time, options.mtime));
  await write(endRecords(written.length, cursor - directoryStart, directoryStart, cursor));
  out.end();
  await once(out, 'finish');
}

/** yazl's checks, which every name the mock writes passed before (hostile names go in under placeholders). */
function checkName(name: string): string {
  const path = name.replace(/\\/g, '/');
  if (path === '' || /^[a-zA-Z]:/.test(path) || path.startsWith('/') || path.split('/').includes('..') || path.endsWith('/'))
    throw new Error(`invalid entry name for the mock's archive: ${JSON.stringify(name)}`);
  return path;
}

/** Room for a piece's deflated output in one chunk (random bytes grow a little): one trip to the thread pool. */
const wholeChunk = (length: number) => Math.max(16 * 1024, Math.min(GATHER_BYTES, length + (length >> 6) + 1024));

const zip64 = (r: Written) => r.size > 0xfffffffe || r.compressed > 0xfffffffe || r.offset > 0xfffffffe;

function writeUInt64(buffer: Buffer, n: number, at: number): void {
  buffer.writeUInt32LE(n % 0x100000000, at);
  buffer.writeUInt32LE(Math.floor(n / 0x100000000), at + 4);
}

function localHeader(name: Buffer, known: Compression | undefined, time: { date: number; time: number }): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4);
  header.writeUInt16LE(known ? UTF8_NAME : UTF8_NAME | DATA_DESCRIPTOR_FOLLOWS, 6);
  header.writeUInt16LE(DEFLATE, 8);
  header.writeUInt16LE(time.time, 10);
  header.writeUInt16LE(time.date, 12);
  header.writeUInt32LE(known ? known.crc : 0, 14);
  header.writeUInt32LE(known ? known.compressed : 0, 18);
  header.writeUInt32LE(known ? known.size : 0, 22);
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, name]);
}

function dataDescriptor(r: Written): Buffer {
  const large = zip64(r);
  const descriptor = Buffer.alloc(large ? 24 : 16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(r.crc, 4);
  if (large) {
    writeUInt64(descriptor, r.compressed, 8);
    writeUInt64(descriptor, r.size, 16);
  } else {
    descriptor.writeUInt32LE(r.compressed, 8);
    descriptor.writeUInt32LE(r.size, 12);
  }
  return descriptor;
}

function directoryRecord(r: Written, time: { date: number; time: number }, mtime: Date): Buffer {
  const large = zip64(r);
  const timestamp = Buffer.alloc(9);
  timestamp.writeUInt16LE(0x5455, 0);
  timestamp.writeUInt16LE(5, 2);
  // mtime and atime flags, as Info-ZIP sets them (the central directory carries the mtime only)
  timestamp.writeUInt8(0b11, 4);
  timestamp.writeInt32LE(Math.max(-0x80000000, Math.min(0x7fffffff, Math.floor(mtime.getTime() / 1000))), 5);
  let extra = Buffer.alloc(0);
  if (large) {
    extra = Buffer.alloc(28);
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(24, 2);
    writeUInt64(extra, r.size, 4);
    writeUInt64(extra, r.compressed, 12);
    writeUInt64(extra, r.offset, 20);
  }
  const fixed = Buffer.alloc(46);
  fixed.writeUInt32LE(0x02014b50, 0);
  fixed.writeUInt16LE(VERSION_MADE_BY, 4);
  fixed.writeUInt16LE(large ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED, 6);
  fixed.writeUInt16LE(r.known ? UTF8_NAME : UTF8_NAME | DATA_DESCRIPTOR_FOLLOWS, 8);
  fixed.writeUInt16LE(DEFLATE, 10);
  fixed.writeUInt16LE(time.time, 12);
  fixed.writeUInt16LE(time.date, 14);
  fixed.writeUInt32LE(r.crc, 16);
  fixed.writeUInt32LE(large ? 0xffffffff : r.compressed, 20);
  fixed.writeUInt32LE(large ? 0xffffffff : r.size, 24);
  fixed.writeUInt16LE(r.name.length, 28);
  fixed.writeUInt16LE(timestamp.length + extra.length, 30);
  fixed.writeUInt16LE(0, 32);
  fixed.writeUInt16LE(0, 34);
  fixed.writeUInt16LE(0, 36);
  fixed.writeUInt32LE((r.mode << 16) >>> 0, 38);
  fixed.writeUInt32LE(large ? 0xffffffff : r.offset, 42);
  return Buffer.concat([fixed, r.name, timestamp, extra]);
}

function endRecords(count: number, directorySize: number, directoryStart: number, cursor: number): Buffer {
  const large = count >= 0xffff || directorySize >= 0xffffffff || directoryStart >= 0xffffffff;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(count, 0xffff), 8);
  end.writeUInt16LE(Math.min(count, 0xffff), 10);
  end.writeUInt32LE(Math.min(directorySize, 0xffffffff), 12);
  end.writeUInt32LE(Math.min(directoryStart, 0xffffffff), 16);
  if (!large) return end;
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  writeUInt64(record, 44, 4);
  record.writeUInt16LE(VERSION_MADE_BY, 12);
  record.writeUInt16LE(VERSION_NEEDED_ZIP64, 14);
  writeUInt64(record, count, 24);
  writeUInt64(record, count, 32);
  writeUInt64(record, directorySize, 40);
  writeUInt64(record, directoryStart, 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  writeUInt64(locator, cursor, 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([record, locator, end]);
}

/** DOS date and time in the machine's time zone, clamped to what DOS can say, as yazl computes them. */
function dosDateTime(when: Date): { date: number; time: number } {
  const min = new Date(1980, 0, 1);
  const max = new Date(2107, 11, 31, 23, 59, 58);
  const d = when < min ? min : when > max ? max : when;
  return {
    date: (d.getDate() & 0x1f) | (((d.getMonth() + 1) & 0xf) << 5) | (((d.getFullYear() - 1980) & 0x7f) << 9),
    time: Math.floor(d.getSeconds() / 2) | ((d.getMinutes() & 0x3f) << 5) | ((d.getHours() & 0x1f) << 11),
  };
}
