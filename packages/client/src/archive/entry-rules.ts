import { basename } from 'node:path';
import type { Entry } from 'yauzl';
import { ArchiveError } from '../common/index.js';
import type { ArchiveOptions } from '../options/index.js';
import { unsafeNameReason } from './entry-names.js';

/** What an entry may be, judged from the central directory before any is read: names, kinds, sizes, errors. */

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const MADE_BY_UNIX = 3;
const STORED = 0;
export const DEFLATED = 8;

function entryMode(entry: Entry): number {
  const madeBy = entry.versionMadeBy >> 8;
  const raw = entry.externalFileAttributes >>> 16;
  const directory = entry.fileName.endsWith('/');
  if (madeBy !== MADE_BY_UNIX || raw === 0) return directory ? S_IFDIR | 0o755 : S_IFREG | 0o644;
  return raw;
}

export function hostileEntryError(name: string, reason: string): ArchiveError {
  return new ArchiveError(
    `The archive has a hostile entry ${JSON.stringify(name)}: ${reason}. ` +
      'It was refused and nothing was extracted from it; the archive may have been tampered with',
    name,
  );
}

export function corruptArchive(path: string, detail: string, cause?: unknown): ArchiveError {
  return new ArchiveError(
    `The archive ${basename(path)} is corrupt or not a zip (${detail}): download it again, or run the build again`,
    undefined,
    cause === undefined ? undefined : { cause },
  );
}

export function corruptEntry(name: string, detail: string, cause?: unknown): ArchiveError {
  return new ArchiveError(
    `Entry ${JSON.stringify(name)} ${detail}: the archive is corrupt; run the build again`,
    name,
    cause === undefined ? undefined : { cause },
  );
}

/** yauzl refuses some hostile names itself; those stay hostile, every other failure of its parser is corruption. */
export function scanError(error: unknown, path: string): ArchiveError {
  if (error instanceof ArchiveError) return error;
  const message = String((error as Error)?.message ?? error);
  const named = /^(invalid relative path|absolute path|invalid characters in fileName): (.*)$/s.exec(message);
  if (named) return hostileEntryError(named[2] as string, unsafeNameReason(named[2] as string) ?? (named[1] as string));
  return corruptArchive(path, message, error);
}

export type Verdict = { kind: 'file'; mode: number } | { kind: 'skip'; reason: string };

/** Decides what to do with one entry, or throws an ArchiveError when the whole archive must be refused. */
export function judge(entry: Entry, options: ArchiveOptions, fileSize: number): Verdict {
  const name = entry.fileName;
  const reason = unsafeNameReason(name);
  if (reason) throw hostileEntryError(name, reason);
  const mode = entryMode(entry);
  if ((mode & S_IFMT) === S_IFLNK) {
    if (options.symlinks === 'reject') {
      throw new ArchiveError(
        `The archive has a symbolic link ${JSON.stringify(name)}: refused (symlinks: 'reject'); ` +
          'links in a build could point outside the output folder',
        name,
      );
    }
    return { kind: 'skip', reason: 'symbolic link' };
  }
  if ((mode & S_IFMT) === S_IFDIR || name.endsWith('/')) return { kind: 'skip', reason: 'directory' };
  if (entry.isEncrypted())
    throw new ArchiveError(
      `Entry ${JSON.stringify(name)} is encrypted: builds are never encrypted; the archive is not a PlayCanvas build`,
      name,
    );
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
    throw new ArchiveError(
      `Entry ${JSON.stringify(name)} uses compression method ${entry.compressionMethod}, ` +
        'which is not supported (only stored and deflate): the archive is not a PlayCanvas build',
      name,
    );
  }
  if (entry.compressionMethod === STORED && entry.compressedSize !== entry.uncompressedSize)
    throw corruptEntry(
      name,
      `is stored uncompressed, yet declares ${entry.compressedSize} bytes stored and ${entry.uncompressedSize} bytes ` +
        'of content',
    );
  if (entry.relativeOffsetOfLocalHeader + entry.compressedSize > fileSize)
    throw corruptEntry(name, `lies past the end of the archive (${fileSize} bytes): the archive is truncated`);
  return { kind: 'file', mode: S_IFREG | (mode & 0o777) };
}
