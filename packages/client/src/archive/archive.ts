import { constants as bufferConstants } from 'node:buffer';
import { basename, posix } from 'node:path';
import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import type { Entry, ZipFile } from 'yauzl';
import { ArchiveError, PlayCanvasError } from '../common/index.js';
import type { ArchiveOptions } from '../options/index.js';
import { ARCHIVE_OPTIONS, resolveOptions } from '../options/index.js';
import { type ByteSource, openFileSource } from './byte-source.js';
import { fileRange } from './file-range.js';
import { heldUntilRead } from './held-stream.js';
import { inflateEntry } from './inflate.js';
import { Lifetime } from './lifetime.js';
import { readDirectory } from './zip-directory.js';

export interface ArchiveEntry {
  /** Path inside the archive, `/`-separated, validated to stay inside any output folder. */
  name: string;
  /** Uncompressed size in bytes. */
  size: number;
  compressedSize: number;
  /** Unix mode: file type bits and permissions (0o100644 when the archive has none). */
  mode: number;
  mtime: Date;
  /** The CRC-32 the archive declares; both reads check the bytes against it. */
  crc32: number;
  /** The entry's bytes as a stream, checked as they flow: a wrong size or CRC fails the stream with an ArchiveError. */
  openStream(): Promise<Readable>;
  /** The entry's bytes at once, checked (size and CRC). */
  read(): Promise<Buffer>;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const MADE_BY_UNIX = 3;
const STORED = 0;
const DEFLATED = 8;

/** Why a name is unsafe to write below an output folder, or undefined when it is fine. */
export function unsafeNameReason(name: string): string | undefined {
  if (name.includes('\0')) return 'it contains a NUL character';
  if (name.startsWith('/') || name.startsWith('\\')) return 'it is an absolute path';
  if (/^[a-zA-Z]:/.test(name)) return 'it starts with a drive letter';
  if (name.split(/[\\/]/).includes('..')) return 'it has a ".." segment that climbs out of the output folder';
  if (name === '') return 'it is empty';
  if (posix.normalize(name.replace(/\\/g, '/')).replace(/\/$/, '') === '.') return 'it names the output folder itself';
  return undefined;
}

function entryMode(entry: Entry): number {
  const madeBy = entry.versionMadeBy >> 8;
  const raw = entry.externalFileAttributes >>> 16;
  const directory = entry.fileName.endsWith('/');
  if (madeBy !== MADE_BY_UNIX || raw === 0) return directory ? S_IFDIR | 0o755 : S_IFREG | 0o644;
  return raw;
}

function hostileEntryError(name: string, reason: string): ArchiveError {
  return new ArchiveError(
    `The archive has a hostile entry ${JSON.stringify(name)}: ${reason}. It was refused and nothing was extracted from it; the archive may have been tampered with`,
    name,
  );
}

function corruptArchive(path: string, detail: string, cause?: unknown): ArchiveError {
  return new ArchiveError(
    `The archive ${basename(path)} is corrupt or not a zip (${detail}): download it again, or run the build again`,
    undefined,
    cause === undefined ? undefined : { cause },
  );
}

function corruptEntry(name: string, detail: string, cause?: unknown): ArchiveError {
  return new ArchiveError(
    `Entry ${JSON.stringify(name)} ${detail}: the archive is corrupt; run the build again`,
    name,
    cause === undefined ? undefined : { cause },
  );
}

/** yauzl refuses some hostile names itself; those stay hostile, every other failure of its parser is corruption. */
function scanError(error: unknown, path: string): ArchiveError {
  if (error instanceof ArchiveError) return error;
  const message = String((error as Error)?.message ?? error);
  const named = /^(invalid relative path|absolute path|invalid characters in fileName): (.*)$/s.exec(message);
  if (named) return hostileEntryError(named[2] as string, unsafeNameReason(named[2] as string) ?? (named[1] as string));
  return corruptArchive(path, message, error);
}

type Verdict = { kind: 'file'; mode: number } | { kind: 'skip'; reason: string };

/** Decides what to do with one entry, or throws an ArchiveError when the whole archive must be refused. */
function judge(entry: Entry, options: ArchiveOptions, fileSize: number): Verdict {
  const name = entry.fileName;
  const reason = unsafeNameReason(name);
  if (reason) throw hostileEntryError(name, reason);
  const mode = entryMode(entry);
  if ((mode & S_IFMT) === S_IFLNK) {
    if (options.symlinks === 'reject') {
      throw new ArchiveError(
        `The archive has a symbolic link ${JSON.stringify(name)}: refused (symlinks: 'reject'); links in a build could point outside the output folder`,
        name,
      );
    }
    return { kind: 'skip', reason: 'symbolic link' };
  }
  if ((mode & S_IFMT) === S_IFDIR || name.endsWith('/')) return { kind: 'skip', reason: 'directory' };
  if (entry.isEncrypted())
    throw new ArchiveError(`Entry ${JSON.stringify(name)} is encrypted: builds are never encrypted; the archive is not a PlayCanvas build`, name);
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
    throw new ArchiveError(
      `Entry ${JSON.stringify(name)} uses compression method ${entry.compressionMethod}, which is not supported (only stored and deflate): the archive is not a PlayCanvas build`,
      name,
    );
  }
  if (entry.compressionMethod === STORED && entry.compressedSize !== entry.uncompressedSize)
    throw corruptEntry(
      name,
      `is stored uncompressed, yet declares ${entry.compressedSize} bytes stored and ${entry.uncompressedSize} bytes of content`,
    );
  if (entry.relativeOffsetOfLocalHeader + entry.compressedSize > fileSize)
    throw corruptEntry(name, `lies past the end of the archive (${fileSize} bytes): the archive is truncated`);
  return { kind: 'file', mode: S_IFREG | (mode & 0o777) };
}

/** Read with an entry's local header, so that one read usually brings header and data (the local extra field may be longer than the central one). */
const LOCAL_SLACK = 256;
/** Output chunks of a streamed entry's inflate: fewer, larger chunks cost fewer trips to the thread pool. */
const STREAM_CHUNK = 128 * 1024;

/**
 * Where an entry's data starts, from the bytes of its local header on: yauzl's checks, in yauzl's words (a
 * wrong signature, data past the end of the file).
 */
function dataStartIn(entry: Entry, head: Buffer, fileSize: number): number {
  if (head.length < 30) throw new Error('unexpected EOF');
  const signature = head.readUInt32LE(0);
  if (signature !== 0x04034b50) throw new Error(`invalid local file header signature: 0x${signature.toString(16)}`);
  const start = entry.relativeOffsetOfLocalHeader + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  if (start + entry.compressedSize > fileSize) throw new Error(`file data overflows file bounds: ${start} + ${entry.compressedSize} > ${fileSize}`);
  return start;
}

/** Counts and checksums an entry's bytes as they flow; fails as soon as there are too many, or at the end when the size or CRC is wrong. */
class Verifier extends Transform {
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
      callback(corruptEntry(this.entry.fileName, `inflates to more than the ${this.entry.uncompressedSize} bytes the archive declares`));
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
      callback(corruptEntry(this.entry.fileName, `${zlibError ? 'cannot be inflated' : 'cannot be read'} (${error.message})`, error));
    }
  }
}

function checkContent(entry: Entry, bytes: number, crc: number): ArchiveError | undefined {
  if (bytes !== entry.uncompressedSize)
    return corruptEntry(entry.fileName, `inflates to ${bytes} bytes, not the ${entry.uncompressedSize} the archive declares`);
  if (crc >>> 0 !== entry.crc32 >>> 0)
    return corruptEntry(
      entry.fileName,
      `fails its CRC-32 check (the archive declares ${hex(entry.crc32)}, the bytes give ${hex(crc)}): it was altered or damaged`,
    );
  return undefined;
}

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/**
 * An open zip: the central directory read once and judged whole before any entry is given (a hostile name, a
 * refused symlink, a size over the limits, an encrypted or truncated entry fail the archive first), then
 * entries read with bounded memory and checked. Its bytes come from a ByteSource: a file on disk, or a
 * download still arriving (reads then wait for their bytes). The archive owns its source: close() waits for
 * the reads in flight, dispose() ends them; both are safe to call twice.
 */
export class Archive implements AsyncIterable<ArchiveEntry>, AsyncDisposable {
  /** Files that will be given (directories and skipped symlinks excluded). */
  readonly fileCount: number;
  /** Uncompressed bytes of those files. */
  readonly totalBytes: number;
  private readonly streams = new Set<Readable>();

  private constructor(
    readonly path: string,
    private readonly source: ByteSource,
    private readonly scanned: ReadonlyArray<{ entry: Entry; verdict: Verdict }>,
    private readonly options: Readonly<Required<ArchiveOptions>>,
    private readonly lifetime: Lifetime,
    zip: ZipFile,
  ) {
    const files = scanned.filter((s) => s.verdict.kind === 'file');
    this.fileCount = files.length;
    this.totalBytes = files.reduce((sum, s) => sum + s.entry.uncompressedSize, 0);
    lifetime.onRelease(async () => {
      zip.close();
      await source.close().catch(() => undefined);
    });
  }

  /**
   * Opens and judges the archive at `path`. An owner (a downloaded archive) passes its Lifetime, so that the
   * zip's readers keep its temp file alive and closing the zip releases it.
   */
  static async open(path: string, input: ArchiveOptions = {}, lifetime: Lifetime = new Lifetime()): Promise<Archive> {
    const options = resolveOptions(ARCHIVE_OPTIONS, input, { label: 'archive', listKnown: true }) as Required<ArchiveOptions>;
    let source: ByteSource;
    try {
      source = await openFileSource(path);
    } catch (error) {
      throw scanError(error, path);
    }
    return Archive.judged(path, source, options, lifetime);
  }

  /** Opens and judges the archive whose bytes `source` gives (named `path` in messages); the archive owns the source from here. */
  static fromSource(path: string, source: ByteSource, input: ArchiveOptions = {}, lifetime: Lifetime = new Lifetime()): Promise<Archive> {
    let options: Required<ArchiveOptions>;
    try {
      options = resolveOptions(ARCHIVE_OPTIONS, input, { label: 'archive', listKnown: true }) as Required<ArchiveOptions>;
    } catch (error) {
      return source.close().then(() => Promise.reject(error));
    }
    return Archive.judged(path, source, options, lifetime);
  }

  private static async judged(path: string, source: ByteSource, options: Required<ArchiveOptions>, lifetime: Lifetime): Promise<Archive> {
    let zip: ZipFile | undefined;
    try {
      // The whole directory first: a truncated one fails as corruption before any name in it is judged.
      let directory: Awaited<ReturnType<typeof readDirectory>>;
      try {
        directory = await readDirectory(source, (count) => {
          if (count > options.maxEntries)
            throw new ArchiveError(
              `The archive has ${count} entries, over the limit of ${options.maxEntries}: raise maxEntries if the build really is that large`,
            );
        });
      } catch (error) {
        throw scanError(error, path);
      }
      zip = directory.zip;
      const { entries, declaredSize } = directory;
      const records = entries.reduce((sum, e) => sum + 46 + e.fileNameLength + e.extraFieldLength + e.fileCommentLength, 0);
      if (declaredSize !== undefined && declaredSize !== records)
        throw corruptArchive(
          path,
          `its central directory holds ${records} bytes of records where ${declaredSize} were declared: it was truncated or altered`,
        );
      const scanned: Array<{ entry: Entry; verdict: Verdict }> = [];
      let total = 0;
      for (const entry of entries) {
        const verdict = judge(entry, options, source.size);
        scanned.push({ entry, verdict });
        if (verdict.kind !== 'file') continue;
        total += entry.uncompressedSize;
        if (total > options.maxTotalBytes) {
          throw new ArchiveError(
            `The archive expands to more than ${options.maxTotalBytes} bytes (at entry ${JSON.stringify(entry.fileName)}): refused as a possible zip bomb; raise maxTotalBytes if the build really is that large`,
            entry.fileName,
          );
        }
      }
      return new Archive(path, source, scanned, options, lifetime, zip);
    } catch (error) {
      zip?.close();
      await source.close().catch(() => undefined);
      throw error;
    }
  }

  /** The files of the archive, in archive order. Directories and (by default) symlinks are skipped and told to onSkip. */
  async *entries(onSkip?: (name: string, reason: string) => void): AsyncGenerator<ArchiveEntry> {
    for (const { entry, verdict } of this.scanned) {
      if (verdict.kind === 'skip') {
        onSkip?.(entry.fileName, verdict.reason);
        continue;
      }
      yield {
        name: entry.fileName,
        size: entry.uncompressedSize,
        compressedSize: entry.compressedSize,
        mode: verdict.mode,
        mtime: entry.getLastModDate({ timezone: this.options.dosTimezone }),
        crc32: entry.crc32 >>> 0,
        openStream: () => this.openStream(entry),
        read: () => this.read(entry),
      };
    }
  }

  /** Iterating the archive itself closes it when the iteration ends (after the reads in flight). */
  async *[Symbol.asyncIterator](): AsyncGenerator<ArchiveEntry> {
    try {
      yield* this.entries();
    } finally {
      void this.close();
    }
  }

  /** Reads every entry and checks it, keeping nothing: for an archive passed on whole. */
  async verify(): Promise<void> {
    for await (const entry of this.entries()) {
      const stream = await entry.openStream();
      for await (const _ of stream);
    }
  }

  private refusal = () => new ArchiveError(`The archive ${basename(this.path)} was read after it was closed`);

  private brokenHeader = (entry: Entry, error: unknown) =>
    corruptEntry(entry.fileName, `has a broken local header (${(error as Error).message})`, error);

  private cutShort = (entry: Entry) => corruptEntry(entry.fileName, 'is cut short: the archive is truncated');

  /**
   * The entry's local header and, in the same read, usually its data: `data` when it came whole, else where
   * it starts (the local extra field ran past what was read).
   */
  private async local(entry: Entry, withData: boolean): Promise<{ start: number; data?: Buffer }> {
    const offset = entry.relativeOffsetOfLocalHeader;
    const wanted = 30 + entry.fileNameLength + entry.extraFieldLength + LOCAL_SLACK + (withData ? entry.compressedSize : 0);
    const block = Buffer.allocUnsafe(Math.max(0, Math.min(wanted, this.source.size - offset)));
    const n = await this.source.read(block, 0, block.length, offset);
    let start: number;
    try {
      start = dataStartIn(entry, block.subarray(0, n), this.source.size);
    } catch (error) {
      throw this.brokenHeader(entry, error);
    }
    const at = start - offset;
    return withData && at + entry.compressedSize <= n ? { start, data: block.subarray(at, at + entry.compressedSize) } : { start };
  }

  private async read(entry: Entry): Promise<Buffer> {
    const leave = this.lifetime.enter(this.refusal);
    try {
      if (entry.uncompressedSize > bufferConstants.MAX_LENGTH) {
        throw new ArchiveError(
          `Entry ${JSON.stringify(entry.fileName)} is ${entry.uncompressedSize} bytes, too large for one buffer: read it with openStream()`,
          entry.fileName,
        );
      }
      const local = await this.local(entry, true);
      let raw = local.data;
      if (!raw) {
        raw = Buffer.allocUnsafe(entry.compressedSize);
        if ((await this.source.read(raw, 0, raw.length, local.start)) !== raw.length) throw this.cutShort(entry);
      }
      let data = raw;
      if (entry.compressionMethod === DEFLATED) {
        try {
          data = await inflateEntry(raw, entry.uncompressedSize);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
            throw corruptEntry(entry.fileName, `inflates to more than the ${entry.uncompressedSize} bytes the archive declares`);
          throw corruptEntry(entry.fileName, `cannot be inflated (${(error as Error).message})`, error);
        }
      }
      const problem = checkContent(entry, data.length, zlib.crc32(data));
      if (problem) throw problem;
      return data;
    } finally {
      void leave();
    }
  }

  private async openStream(entry: Entry): Promise<Readable> {
    const leave = this.lifetime.enter(this.refusal);
    let start: number;
    try {
      ({ start } = await this.local(entry, false));
    } catch (error) {
      void leave();
      throw error;
    }
    const verifier = heldUntilRead(new Verifier(entry, leave));
    const stored = entry.compressionMethod !== DEFLATED || entry.compressedSize === 0;
    const raw = entry.compressedSize === 0 ? Readable.from([]) : fileRange(this.source.read, start, entry.compressedSize, () => this.cutShort(entry));
    // pipeline destroys every stage with the first error, the verifier too, which words it as an ArchiveError:
    // the reader gets it there. Made sure of here, so that no stage's error can be lost.
    pipeline([raw, ...(stored ? [] : [zlib.createInflateRaw({ chunkSize: STREAM_CHUNK })]), verifier], (error) => {
      if (error && !verifier.destroyed) verifier.destroy(error);
    });
    this.streams.add(verifier);
    verifier.once('close', () => {
      this.streams.delete(verifier);
      void leave();
    });
    return verifier;
  }

  /** No new reads; the zip and its file close once the reads in flight are done. */
  close(): Promise<void> {
    return this.lifetime.close();
  }

  /** Ends every read in flight (their streams fail) and closes now. */
  dispose(): Promise<void> {
    for (const stream of this.streams)
      stream.destroy(new ArchiveError(`The archive ${basename(this.path)} was closed before this entry was read to the end`));
    return this.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

/**
 * Opens a zip from disk with bounded memory: the central directory is the truth, names are validated, limits
 * guard against zip bombs, and every entry's size and CRC are checked as it is read.
 */
export function openArchive(path: string, options: ArchiveOptions = {}): Promise<Archive> {
  return Archive.open(path, options);
}
