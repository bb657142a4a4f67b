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
  /**
   * `dir` is a new, empty folder of the caller's own that is thrown away whole if the extraction fails (a staging
   * folder): each file is created at its own name (an existing file there is refused, not replaced), with no
   * temporary name and rename. A file that fails part-way is still removed.
   */
  fresh?: boolean;
}

export interface ExtractResult {
  files: number;
  bytes: number;
}

/**
 * Writes every entry of an archive below `dir`, with its mode (permission bits) and mtime, without gulp: the
 * CLI's and the Grunt task's path. Each file is written to a temporary name beside it and renamed when whole
 * and checked (size and CRC), so no file is ever left half-written; on failure, what this call wrote of the
 * unfinished files is removed. With `fresh`, files are written at their own names, and an unfinished one removed.
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
  // one random tag per call, a counter per file: temporary names that cannot meet another writer's
  const tag = randomBytes(4).toString('hex');
  let made = 0;
  let files = 0;
  let bytes = 0;
  const writeEntry = async (entry: ArchiveEntry) => {
    const target = resolve(root, ...entry.name.split('/'));
    if (!target.startsWith(root + sep))
      throw new ArchiveError(`Entry ${JSON.stringify(entry.name)} would be written outside ${dir}`, entry.name);
    await folder(dirname(target));
    const temporary = options.fresh ? target : `${target}.${tag}-${(made++).toString(36)}.partial`;
    const data = entry.size <= SMALL_ENTRY ? await entry.read() : await entry.openStream();
    let handle: FileHandle | undefined;
    let created = false;
    try {
      options.signal?.throwIfAborted();
      // created with its mode, written, dated, closed (and renamed): one handle, no lookup of the path in between
      const mode = entry.mode & 0o777;
      // 'wx': a file already at that name (fresh) is refused, and, not being ours, not removed below
      handle = await open(temporary, 'wx', mode).catch((error: NodeJS.ErrnoException) => {
        if (options.fresh && error.code === 'EEXIST')
          throw new ArchiveError(
            `Entry ${JSON.stringify(entry.name)} would replace a file already in ${dir}: the archive holds that ` +
              'name twice (perhaps differing only in case), or the folder was not new and empty',
            entry.name,
          );
        throw error;
      });
      created = true;
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
      if (temporary !== target) await rename(temporary, target);
    } catch (error) {
      if (!Buffer.isBuffer(data)) data.destroy();
      await handle?.close().catch(() => undefined);
      if (created) await rm(temporary, { force: true });
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
