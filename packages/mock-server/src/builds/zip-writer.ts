import { once } from 'node:events';
import type { Writable } from 'node:stream';
import zlib from 'node:zlib';
import type { BuildEntry } from './spec.js';
import { dataDescriptor, directoryRecord, dosDateTime, endRecords, localHeader, type Written } from './zip-records.js';

/** Entries compressed ahead of the one being written: the thread pool's work, two cores' worth and some. */
const AHEAD = 6;
/** An entry compressed ahead holds at most this much output before it waits for its turn. */
const AHEAD_BYTES = 16 * 1024 * 1024;
/** Generated content up to this size is deflated in one piece. */
const GATHER_BYTES = 4 * 1024 * 1024;
/** The deflater's output chunks for content streamed through it. */
const STREAM_CHUNK = 256 * 1024;

const LEVEL = 6;

export interface ZipOptions {
  mtime: Date;
  /** Unix mode when an entry names none. */
  mode: number;
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
    this.done =
      typeof content === 'function'
        ? this.stream(content())
        : this.whole(typeof content === 'string' ? Buffer.from(content) : content);
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
      if (next.done)
        return this.whole(gathered.length === 1 ? (gathered[0] as Buffer) : Buffer.concat(gathered, length));
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
    while (next < entries.length && pending.length < AHEAD)
      pending.push(new Compression(entries[next++] as BuildEntry));
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
  if (
    path === '' ||
    /^[a-zA-Z]:/.test(path) ||
    path.startsWith('/') ||
    path.split('/').includes('..') ||
    path.endsWith('/')
  )
    throw new Error(`invalid entry name for the mock's archive: ${JSON.stringify(name)}`);
  return path;
}

/** Room for a piece's deflated output in one chunk (random bytes grow a little): one trip to the thread pool. */
const wholeChunk = (length: number) => Math.max(16 * 1024, Math.min(GATHER_BYTES, length + (length >> 6) + 1024));
