import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { ArchiveError } from '../common/index.js';
import type { Archive, ArchiveEntry } from './archive.js';

/** Up to this size an entry is inflated in one go and written with one call; larger ones stream. */
const SMALL_ENTRY = 1024 * 1024;
/** Entries in flight at once: enough to keep zlib's thread pool and the disk busy, bounded in memory. */
const IN_FLIGHT = 8;

export interface ExtractOptions {
  /** Called once per file written, in the order they finish. */
  onFile?: (entry: ArchiveEntry, written: number) => void;
  /** Called for each entry not written (a symlink, say), with the reason. */
  onSkip?: (name: string, reason: string) => void;
  signal?: AbortSignal;
}

export interface ExtractResult {
  files: number;
  bytes: number;
}

/**
 * Writes every entry of an archive below `dir`, with its mode (permission bits) and mtime, without gulp: the
 * CLI's and the Grunt task's path. Each file is written to a temporary name beside it and renamed when whole
 * and checked (size and CRC), so no file is ever left half-written; on failure, what this call wrote of the
 * unfinished files is removed.
 */
export async function extractArchive(
  archive: Archive,
  dir: string,
  options: ExtractOptions = {},
): Promise<ExtractResult> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true });
  const folders = new Map<string, Promise<unknown>>();
  const folder = (path: string) => {
    let made = folders.get(path);
    if (!made) {
      made = mkdir(path, { recursive: true });
      folders.set(path, made);
    }
    return made;
  };
  const modes = new CreationModes();
  let files = 0;
  let bytes = 0;
  const writeEntry = async (entry: ArchiveEntry) => {
    const target = resolve(root, ...entry.name.split('/'));
    if (!target.startsWith(root + sep))
      throw new ArchiveError(`Entry ${JSON.stringify(entry.name)} would be written outside ${dir}`, entry.name);
    await folder(dirname(target));
    const temporary = `${target}.${randomBytes(4).toString('hex')}.partial`;
    const data = entry.size <= SMALL_ENTRY ? await entry.read() : await entry.openStream();
    let handle: FileHandle | undefined;
    try {
      options.signal?.throwIfAborted();
      // created with its mode, written, dated, closed, renamed: one handle, no lookup of the path in between
      const mode = entry.mode & 0o777;
      handle = await open(temporary, 'wx', mode);
      if (Buffer.isBuffer(data)) await handle.writeFile(data);
      else
        for await (const chunk of data) {
          options.signal?.throwIfAborted();
          await handle.writeFile(chunk as Buffer);
        }
      if (!(await modes.honoured(handle, mode))) await handle.chmod(mode);
      await handle.utimes(entry.mtime, entry.mtime);
      await handle.close();
      handle = undefined;
      await rename(temporary, target);
    } catch (error) {
      if (!Buffer.isBuffer(data)) data.destroy();
      await handle?.close().catch(() => undefined);
      await rm(temporary, { force: true });
      throw error;
    }
    files += 1;
    bytes += entry.size;
    options.onFile?.(entry, files);
  };
  const running = new Set<Promise<void>>();
  let failure: unknown;
  for await (const entry of archive.entries(options.onSkip)) {
    if (failure !== undefined) break;
    options.signal?.throwIfAborted();
    const write = writeEntry(entry).then(
      () => {
        running.delete(write);
      },
      (error: unknown) => {
        running.delete(write);
        failure ??= error;
      },
    );
    running.add(write);
    if (running.size >= IN_FLIGHT) await Promise.race(running);
  }
  await Promise.all(running);
  if (failure !== undefined) throw failure;
  return { files, bytes };
}

/**
 * Whether files are created with the mode asked for (the umask may take bits away): learnt once per mode from
 * the first file made with it, so that most files need no chmod of their own.
 */
class CreationModes {
  private readonly known = new Map<number, Promise<boolean>>();

  honoured(handle: FileHandle, mode: number): Promise<boolean> {
    let answer = this.known.get(mode);
    if (answer) return answer;
    answer = handle.stat().then((stats) => (stats.mode & 0o777) === mode);
    this.known.set(mode, answer);
    return answer;
  }
}
