import { constants as bufferConstants } from 'node:buffer';
import { type FileHandle, open } from 'node:fs/promises';
import { basename, posix } from 'node:path';
import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ArchiveError } from './errors.js';
import { fileRange } from './file-range.js';
import { Lifetime } from './lifetime.js';
import { resolveOptions } from './option-schema.js';
import type { ArchiveOptions } from './options.generated.js';
import { ARCHIVE_OPTIONS } from './options.js';

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

const inflateRaw = promisify(zlib.inflateRaw);

/**
 * Where the end-of-central-directory record says the central directory lies (ZIP64 too): its records must
 * fill exactly that span, or the directory was truncated or altered (a name would otherwise run on into
 * whatever follows and read as garbage).
 */
async function directorySpan(handle: FileHandle, fileSize: number): Promise<{ size: number } | undefined> {
  const tailLength = Math.min(fileSize, 22 + 0xffff);
  const tail = Buffer.alloc(tailLength);
  await handle.read(tail, 0, tailLength, fileSize - tailLength);
  for (let i = tailLength - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== 0x06054b50 || tail.readUInt16LE(i + 20) !== tailLength - 22 - i) continue;
    const size = tail.readUInt32LE(i + 12);
    if (size !== 0xffffffff) return { size };
    // ZIP64: the locator sits right before the record and points at the ZIP64 end of central directory
    if (i < 20 || tail.readUInt32LE(i - 20) !== 0x07064b50) return undefined;
    const record = Buffer.alloc(56);
    await handle.read(record, 0, 56, Number(tail.readBigUInt64LE(i - 20 + 8)));
    return record.readUInt32LE(0) === 0x06064b50 ? { size: Number(record.readBigUInt64LE(40)) } : undefined;
  }
  return undefined;
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

  /** Whatever broke the pipeline (zlib, the file) reaches the consumer as an ArchiveError naming the entry. */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (error === null || error instanceof ArchiveError) callback(error);
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
 * An open zip on disk: the central directory read once and judged whole before any entry is given (a hostile
 * name, a refused symlink, a size over the limits, an encrypted or truncated entry fail the archive first),
 * then entries read with bounded memory and checked. The archive owns its file handle: close() waits for the
 * reads in flight, dispose() ends them; both are safe to call twice.
 */
export class Archive implements AsyncIterable<ArchiveEntry>, AsyncDisposable {
  /** Files that will be given (directories and skipped symlinks excluded). */
  readonly fileCount: number;
  /** Uncompressed bytes of those files. */
  readonly totalBytes: number;
  private readonly streams = new Set<Readable>();

  private constructor(
    readonly path: string,
    private readonly zip: ZipFile,
    private readonly handle: FileHandle,
    private readonly scanned: ReadonlyArray<{ entry: Entry; verdict: Verdict }>,
    private readonly options: Readonly<Required<ArchiveOptions>>,
    private readonly lifetime: Lifetime,
  ) {
    const files = scanned.filter((s) => s.verdict.kind === 'file');
    this.fileCount = files.length;
    this.totalBytes = files.reduce((sum, s) => sum + s.entry.uncompressedSize, 0);
    lifetime.onRelease(async () => {
      zip.close();
      await handle.close().catch(() => undefined);
    });
  }

  /**
   * Opens and judges the archive at `path`. An owner (a downloaded archive) passes its Lifetime, so that the
   * zip's readers keep its temp file alive and closing the zip releases it.
   */
  static async open(path: string, input: ArchiveOptions = {}, lifetime: Lifetime = new Lifetime()): Promise<Archive> {
    const options = resolveOptions(ARCHIVE_OPTIONS, input, { label: 'archive', listKnown: true }) as Required<ArchiveOptions>;
    let zip: ZipFile;
    try {
      zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true });
    } catch (error) {
      throw scanError(error, path);
    }
    let handle: FileHandle | undefined;
    try {
      if (zip.entryCount > options.maxEntries) {
        throw new ArchiveError(
          `The archive has ${zip.entryCount} entries, over the limit of ${options.maxEntries}: raise maxEntries if the build really is that large`,
        );
      }
      // The whole directory first: a truncated one fails as corruption before any name in it is judged.
      const entries: Entry[] = [];
      try {
        for await (const entry of zip.eachEntry()) entries.push(entry);
      } catch (error) {
        throw scanError(error, path);
      }
      handle = await open(path, 'r');
      const { size } = await handle.stat();
      const span = await directorySpan(handle, size);
      const records = entries.reduce((sum, e) => sum + 46 + e.fileNameLength + e.extraFieldLength + e.fileCommentLength, 0);
      if (span && span.size !== records)
        throw corruptArchive(
          path,
          `its central directory holds ${records} bytes of records where ${span.size} were declared: it was truncated or altered`,
        );
      const scanned: Array<{ entry: Entry; verdict: Verdict }> = [];
      let total = 0;
      for (const entry of entries) {
        const verdict = judge(entry, options, size);
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
      return new Archive(path, zip, handle, scanned, options, lifetime);
    } catch (error) {
      zip.close();
      await handle?.close().catch(() => undefined);
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

  private async dataStart(entry: Entry): Promise<number> {
    try {
      return (await this.zip.readLocalFileHeaderPromise(entry, { minimal: true })).fileDataStart;
    } catch (error) {
      throw corruptEntry(entry.fileName, `has a broken local header (${(error as Error).message})`, error);
    }
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
      const start = await this.dataStart(entry);
      const raw = Buffer.allocUnsafe(entry.compressedSize);
      const { bytesRead } = await this.handle.read(raw, 0, raw.length, start);
      if (bytesRead !== raw.length) throw corruptEntry(entry.fileName, 'is cut short: the archive is truncated');
      let data = raw;
      if (entry.compressionMethod === DEFLATED) {
        try {
          data = await inflateRaw(raw, { maxOutputLength: Math.max(1, entry.uncompressedSize + 1) });
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
    let verifier: Verifier;
    try {
      const start = await this.dataStart(entry);
      verifier = new Verifier(entry, leave);
      if (entry.compressedSize === 0) {
        Readable.from([]).pipe(verifier);
      } else {
        const raw = fileRange(this.handle, start, entry.compressedSize, () => corruptEntry(entry.fileName, 'is cut short: the archive is truncated'));
        // Errors reach the consumer through the verifier (as ArchiveErrors); pipeline handles every stage's.
        if (entry.compressionMethod === DEFLATED) pipeline(raw, zlib.createInflateRaw(), verifier, () => undefined);
        else pipeline(raw, verifier, () => undefined);
      }
    } catch (error) {
      void leave();
      throw error;
    }
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
