import { constants as bufferConstants } from 'node:buffer';
import { basename } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { Entry, ZipFile } from 'yauzl';
import { ArchiveError } from '../common/index.js';
import type { ArchiveOptions } from '../options/index.js';
import { ARCHIVE_OPTIONS, resolveOptions } from '../options/index.js';
import { type ByteSource, openFileSource } from './byte-source.js';
import { checkContent, dataStartIn, LOCAL_SLACK, STREAM_CHUNK, Verifier } from './entry-data.js';
import { corruptEntry, DEFLATED, scanError, type Verdict } from './entry-rules.js';
import { fileRange } from './file-range.js';
import { heldUntilRead } from './held-stream.js';
import { inflateEntry } from './inflate.js';
import { judgeDirectory } from './judge-directory.js';
import { Lifetime } from './lifetime.js';

export { unsafeNameReason } from './entry-names.js';

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
    const options = resolveOptions(ARCHIVE_OPTIONS, input, {
      label: 'archive',
      listKnown: true,
    }) as Required<ArchiveOptions>;
    let source: ByteSource;
    try {
      source = await openFileSource(path);
    } catch (error) {
      throw scanError(error, path);
    }
    return Archive.judged(path, source, options, lifetime);
  }

  /**
   * Opens and judges the archive whose bytes `source` gives (named `path` in messages); the archive owns the source
   * from here.
   */
  static fromSource(
    path: string,
    source: ByteSource,
    input: ArchiveOptions = {},
    lifetime: Lifetime = new Lifetime(),
  ): Promise<Archive> {
    let options: Required<ArchiveOptions>;
    try {
      options = resolveOptions(ARCHIVE_OPTIONS, input, {
        label: 'archive',
        listKnown: true,
      }) as Required<ArchiveOptions>;
    } catch (error) {
      return source.close().then(() => Promise.reject(error));
    }
    return Archive.judged(path, source, options, lifetime);
  }

  private static async judged(
    path: string,
    source: ByteSource,
    options: Required<ArchiveOptions>,
    lifetime: Lifetime,
  ): Promise<Archive> {
    try {
      const { zip, scanned } = await judgeDirectory(path, source, options);
      return new Archive(path, source, scanned, options, lifetime, zip);
    } catch (error) {
      await source.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * The files of the archive, in archive order. Directories and (by default) symlinks are skipped and told to onSkip.
   */
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
    const wanted =
      30 + entry.fileNameLength + entry.extraFieldLength + LOCAL_SLACK + (withData ? entry.compressedSize : 0);
    const block = Buffer.allocUnsafe(Math.max(0, Math.min(wanted, this.source.size - offset)));
    const n = await this.source.read(block, 0, block.length, offset);
    let start: number;
    try {
      start = dataStartIn(entry, block.subarray(0, n), this.source.size);
    } catch (error) {
      throw this.brokenHeader(entry, error);
    }
    const at = start - offset;
    return withData && at + entry.compressedSize <= n
      ? { start, data: block.subarray(at, at + entry.compressedSize) }
      : { start };
  }

  private async read(entry: Entry): Promise<Buffer> {
    const leave = this.lifetime.enter(this.refusal);
    try {
      if (entry.uncompressedSize > bufferConstants.MAX_LENGTH) {
        throw new ArchiveError(
          `Entry ${JSON.stringify(entry.fileName)} is ${entry.uncompressedSize} bytes, too large for one buffer: ` +
            `read it with openStream()`,
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
            throw corruptEntry(
              entry.fileName,
              `inflates to more than the ${entry.uncompressedSize} bytes the archive declares`,
            );
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
    const raw =
      entry.compressedSize === 0
        ? Readable.from([])
        : fileRange(this.source.read, start, entry.compressedSize, () => this.cutShort(entry));
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
      stream.destroy(
        new ArchiveError(`The archive ${basename(this.path)} was closed before this entry was read to the end`),
      );
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
