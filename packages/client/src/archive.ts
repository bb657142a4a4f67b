import { type FileHandle, open } from 'node:fs/promises';
import { basename, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ArchiveError } from './errors.js';

export interface ArchiveOptions {
  /** Most entries accepted. Default 100,000. */
  maxEntries?: number;
  /** Most uncompressed bytes accepted, all entries together. Default 8 GiB. */
  maxTotalBytes?: number;
  /** Symlink entries are skipped (default) or make the archive fail. Never followed or created. */
  symlinks?: 'skip' | 'reject';
  /** How DOS dates without a UT/NTFS timestamp are read. Default 'UTC' (how jszip and most build services write them). */
  dosTimezone?: 'UTC' | 'local';
  /** Close the zip when iteration ends (default). Set false to open entry streams later; then call close(). */
  autoClose?: boolean;
  /** Told about each skipped entry (symlinks, directories). */
  onSkip?: (name: string, reason: string) => void;
}

export interface ArchiveEntry {
  /** Path inside the archive, `/`-separated, validated to stay inside any output folder. */
  name: string;
  /** Uncompressed size in bytes. */
  size: number;
  /** Unix mode: file type bits and permissions (0o100644 when the archive has none). */
  mode: number;
  mtime: Date;
  /** The entry's bytes as a stream. Sizes are checked as it is read. */
  openStream(): Promise<Readable>;
  /** The entry's bytes at once. */
  read(): Promise<Buffer>;
}

export const DEFAULT_ARCHIVE_LIMITS = { maxEntries: 100_000, maxTotalBytes: 8 * 1024 ** 3 };

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const MADE_BY_UNIX = 3;

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

/** yauzl refuses hostile names itself; its messages are turned into ones that say what to do. */
function archiveErrorFrom(error: unknown, path: string): ArchiveError {
  if (error instanceof ArchiveError) return error;
  const message = (error as Error).message ?? String(error);
  const named = /^(invalid relative path|absolute path|invalid characters in fileName): (.*)$/.exec(message);
  if (named) return hostileEntryError(named[2] as string, unsafeNameReason(named[2] as string) ?? (named[1] as string));
  return new ArchiveError(`The archive ${basename(path)} is corrupt or not a zip (${message}): download it again, or run the build again`);
}

const inflateRaw = promisify(zlib.inflateRaw);

/**
 * An entry's bytes in one positional read and one inflate: much faster than a stream per entry for the many
 * small files of a build. The size the archive declares bounds the output, so a lying entry cannot balloon.
 */
async function inflateEntry(zip: ZipFile, handle: FileHandle, entry: Entry): Promise<Buffer> {
  if (entry.isEncrypted())
    throw new ArchiveError(
      `Entry ${JSON.stringify(entry.fileName)} is encrypted: builds are never encrypted; the archive is not a PlayCanvas build`,
      entry.fileName,
    );
  const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
  const raw = Buffer.allocUnsafe(entry.compressedSize);
  const { bytesRead } = await handle.read(raw, 0, raw.length, fileDataStart);
  if (bytesRead !== raw.length)
    throw new ArchiveError(`Entry ${JSON.stringify(entry.fileName)} is cut short: the archive is truncated; download it again`, entry.fileName);
  let data: Buffer;
  if (entry.compressionMethod === 0) data = raw;
  else if (entry.compressionMethod === 8) data = await inflateRaw(raw, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  else
    throw new ArchiveError(
      `Entry ${JSON.stringify(entry.fileName)} uses compression method ${entry.compressionMethod}, which is not supported (only stored and deflate)`,
      entry.fileName,
    );
  if (data.length !== entry.uncompressedSize) {
    throw new ArchiveError(
      `Entry ${JSON.stringify(entry.fileName)} inflates to ${data.length} bytes, not the ${entry.uncompressedSize} the archive declares: the archive is corrupt`,
      entry.fileName,
    );
  }
  return data;
}

async function openZip(path: string): Promise<ZipFile> {
  try {
    return await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true });
  } catch (error) {
    throw archiveErrorFrom(error, path);
  }
}

type Verdict = { kind: 'file'; mode: number } | { kind: 'skip'; reason: string };

/** Decides what to do with one entry, or throws an ArchiveError when the whole archive must be refused. */
function judge(entry: Entry, options: ArchiveOptions): Verdict {
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
  return { kind: 'file', mode: S_IFREG | (mode & 0o777) };
}

/**
 * Reads the whole central directory before anything is extracted: a hostile name, a refused symlink or a size
 * over the limit fails the archive before a single file is handed out. The entries it keeps are only metadata.
 */
async function scan(
  zip: ZipFile,
  options: ArchiveOptions,
  maxEntries: number,
  maxTotalBytes: number,
): Promise<Array<{ entry: Entry; verdict: Verdict }>> {
  if (zip.entryCount > maxEntries) {
    throw new ArchiveError(
      `The archive has ${zip.entryCount} entries, over the limit of ${maxEntries}: raise maxEntries if the build really is that large`,
    );
  }
  const all: Array<{ entry: Entry; verdict: Verdict }> = [];
  let total = 0;
  for await (const entry of zip.eachEntry()) {
    const verdict = judge(entry, options);
    all.push({ entry, verdict });
    if (verdict.kind !== 'file') continue;
    total += entry.uncompressedSize;
    if (total > maxTotalBytes) {
      throw new ArchiveError(
        `The archive expands to more than ${maxTotalBytes} bytes (at entry ${JSON.stringify(entry.fileName)}): refused as a possible zip bomb; raise maxTotalBytes if the build really is that large`,
        entry.fileName,
      );
    }
  }
  return all;
}

export interface OpenedArchive extends AsyncIterable<ArchiveEntry> {
  entryCount: number;
  /** Closes the zip; entry streams already open finish first. */
  close(): void;
}

/**
 * Reads a zip from disk with bounded memory: the central directory is the truth, entries come one at a time,
 * names are validated, limits guard against zip bombs. The whole directory is checked before the first entry
 * is given. Iterate it once; it closes itself when iteration ends unless autoClose is false.
 */
export async function openArchive(path: string, options: ArchiveOptions = {}): Promise<OpenedArchive> {
  const maxEntries = options.maxEntries ?? DEFAULT_ARCHIVE_LIMITS.maxEntries;
  const maxTotalBytes = options.maxTotalBytes ?? DEFAULT_ARCHIVE_LIMITS.maxTotalBytes;
  const zip = await openZip(path);
  let scanned: Array<{ entry: Entry; verdict: Verdict }>;
  try {
    scanned = await scan(zip, options, maxEntries, maxTotalBytes);
  } catch (error) {
    zip.close();
    throw archiveErrorFrom(error, path);
  }
  const handle = await open(path, 'r');
  // Closing waits for entry reads in flight (read-ahead consumers may still be reading the last entries).
  let closing = false;
  let closed = false;
  let reading = 0;
  const finishClose = () => {
    if (closing && !closed && reading === 0) {
      closed = true;
      zip.close();
      handle.close().catch(() => undefined);
    }
  };
  const close = () => {
    closing = true;
    finishClose();
  };
  const readEntry = async (entry: Entry): Promise<Buffer> => {
    if (closed) throw new ArchiveError(`Entry ${JSON.stringify(entry.fileName)} was read after the archive was closed`, entry.fileName);
    reading += 1;
    try {
      return await inflateEntry(zip, handle, entry);
    } finally {
      reading -= 1;
      finishClose();
    }
  };
  async function* entries(): AsyncGenerator<ArchiveEntry> {
    try {
      for (const { entry, verdict } of scanned) {
        const name = entry.fileName;
        if (verdict.kind === 'skip') {
          options.onSkip?.(name, verdict.reason);
          continue;
        }
        const openStream = async (): Promise<Readable> => {
          try {
            return await zip.openReadStreamPromise(entry);
          } catch (error) {
            throw archiveErrorFrom(error, path);
          }
        };
        yield {
          name,
          size: entry.uncompressedSize,
          mode: verdict.mode,
          mtime: entry.getLastModDate({ timezone: options.dosTimezone ?? 'UTC' }),
          openStream,
          read: async () => {
            try {
              return await readEntry(entry);
            } catch (error) {
              throw error instanceof ArchiveError
                ? error
                : new ArchiveError(
                    `Entry ${JSON.stringify(name)} of the archive cannot be read (${(error as Error).message}): the archive is corrupt; run the build again`,
                    name,
                  );
            }
          },
        };
      }
    } catch (error) {
      close();
      throw archiveErrorFrom(error, path);
    } finally {
      if (options.autoClose !== false) close();
    }
  }
  const iterable = entries();
  return { [Symbol.asyncIterator]: () => iterable, entryCount: zip.entryCount, close };
}
