import { randomBytes } from 'node:crypto';
import { readdirSync, renameSync, rmSync } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, realpath, rm, utimes } from 'node:fs/promises';
import { basename, dirname, join, parse, relative, resolve } from 'node:path';
import {
  type Archive,
  type DownloadedArchive,
  extractArchive,
  fail,
  type Job,
  show,
} from '@gulp-playcanvas/playcanvas-rest-client';
import { onExit } from 'signal-exit';
import type { ProgressLog } from './progress-log.js';
import { isWithin, realPathOf } from './real-path.js';

/** How an adapter names things in resolveOutputFolder's messages, and whether the user allowed a folder elsewhere. */
export interface OutputFolderRules {
  /** The working folder in messages: 'the working folder', 'the project folder'. */
  cwdName?: string;
  /** The user said a folder outside the working folder that holds files may be replaced. */
  replaceOutside?: boolean;
  /** How the user says so, for the message: "add --replace-outside". */
  replaceOutsideHint: string;
}

/**
 * The output folder of an adapter that writes files itself (the CLI, the Grunt task), resolved against `cwd`.
 * It is replaced as a whole, so it must not be `cwd`, a folder that holds it or the root, whatever the rules;
 * and a folder outside `cwd` that holds files is replaced only when the user said so (as Vite's emptyOutDir:
 * a typo such as `../other-project` must not delete work). Folders are compared by their real paths, so a
 * symbolic link changes none of this. A ConfigError names `option` ('out', 'dest') otherwise, before any
 * request is made.
 */
export function resolveOutputFolder(option: string, given: unknown, cwd: string, rules: OutputFolderRules): string {
  const cwdName = rules.cwdName ?? 'the working folder';
  if (typeof given !== 'string' || given.trim() === '')
    fail(option, `must be a folder path, e.g. 'build'; got ${show(given)}`);
  const absolute = resolve(cwd, given);
  const real = realPathOf(absolute);
  const realCwd = realPathOf(cwd);
  const isWhat = isWithin(real, realCwd)
    ? real === realCwd
      ? cwdName
      : `a folder that holds ${cwdName}`
    : real === parse(real).root
      ? 'the root of the file system'
      : undefined;
  if (isWhat)
    fail(option, `${show(given)} is ${isWhat}, and it is replaced as a whole: give a folder of its own, e.g. 'build'`);
  if (!isWithin(realCwd, real) && !rules.replaceOutside) {
    const held = heldNames(absolute);
    const shown = `${held.slice(0, 3).join(', ')}${held.length > 3 ? ', …' : ''}`;
    if (held.length > 0)
      fail(
        option,
        `${show(given)} is outside ${cwdName} and already holds files (${shown}), which would all be replaced: ` +
          `${rules.replaceOutsideHint} if that is meant, or write inside ${cwdName}`,
      );
  }
  return absolute;
}

/** What a folder holds, or nothing when it is not a folder (yet). */
function heldNames(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch {
    return [];
  }
}

/**
 * A folder beside `dest` that the build is written, post-processed and checked in, and that replaces `dest`
 * only when all of that succeeded. Until then `dest` is left as it was; the staging folder goes on failure,
 * and also when the process exits or is stopped by Ctrl-C (SIGINT), SIGTERM or SIGHUP first.
 */
export class StagedFolder {
  /** Folders to remove if the process ends now: the staging folder, then the old dest while it is removed. */
  private readonly leftovers = new Set<string>();
  private readonly unhook: () => void;

  private constructor(
    readonly dest: string,
    readonly dir: string,
  ) {
    this.leftovers.add(dir);
    // rmSync: an exit or signal handler gets no second turn of the event loop
    this.unhook = onExit(() => {
      for (const path of this.leftovers) rmSync(path, { recursive: true, force: true, maxRetries: 3 });
    });
  }

  /**
   * Makes the staging folder beside `dest` (an absolute path, see resolveOutputFolder), on the same file
   * system so the swap is a rename. `option` names dest in the error when it is a file.
   */
  static async open(dest: string, option: string): Promise<StagedFolder> {
    const existing = await lstat(dest).catch(() => undefined);
    // a link would be replaced by a folder, and the folder it points to left as it was
    if (existing?.isSymbolicLink())
      fail(
        option,
        `${show(dest)} is a symbolic link: ` +
          `give the folder it points to (${show(await realpath(dest).catch(() => '?'))}) itself`,
      );
    if (existing && !existing.isDirectory())
      fail(option, `${show(dest)} exists and is a file: give a folder (it is replaced as a whole)`);
    await mkdir(dirname(dest), { recursive: true });
    // mkdir, not mkdtemp: the folder becomes dest, so it gets a folder's usual mode (or the old dest's), not 0700
    const dir = join(dirname(dest), `.${basename(dest)}.staging-${randomBytes(6).toString('hex')}`);
    await mkdir(dir);
    const staged = new StagedFolder(dest, dir);
    if (existing) await chmod(dir, existing.mode & 0o7777);
    return staged;
  }

  /**
   * Where to write a file the user named (`given`, against `cwd`: a screenshot, say) so that it is not lost
   * with the old dest: a path inside dest (real paths compared) goes into the staging folder, to be put in
   * place with the build; any other path is returned resolved. Call it once the build is in the staging folder:
   * dest itself, or a path that would replace a file of the build, is refused (a ConfigError naming `option`).
   */
  async pathFor(given: string, option: string, cwd = process.cwd()): Promise<string> {
    const path = resolve(cwd, given);
    const realDest = realPathOf(this.dest);
    const real = realPathOf(path);
    if (!isWithin(realDest, real)) return path;
    const inBuild = relative(realDest, real);
    const own = 'name a file of its own';
    if (inBuild === '') fail(option, `${show(given)} is the output folder itself: ${own}`);
    const staged = join(this.dir, inBuild);
    if (await lstat(staged).catch(() => undefined))
      fail(option, `${show(given)} would replace ${inBuild} of the build: ${own}`);
    await mkdir(dirname(staged), { recursive: true }).catch(() =>
      fail(option, `${show(given)} would need a folder where the build has a file (${dirname(inBuild)}): ${own}`),
    );
    return staged;
  }

  /**
   * Puts the staging folder in dest's place. The two renames are synchronous, so no signal handler runs
   * between them: dest is the old build or the new one, never missing, unless the machine itself stops there.
   */
  async commit(): Promise<void> {
    const old = join(dirname(this.dest), `.${basename(this.dest)}.old-${randomBytes(4).toString('hex')}`);
    let moved = false;
    try {
      renameSync(this.dest, old);
      moved = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    try {
      renameSync(this.dir, this.dest);
    } catch (error) {
      if (moved) renameSync(old, this.dest);
      throw error;
    }
    this.leftovers.delete(this.dir);
    if (moved) {
      this.leftovers.add(old);
      await rm(old, { recursive: true, force: true });
    }
    this.leftovers.clear();
    this.unhook();
  }

  /** Removes the staging folder; dest stays as it was. */
  async discard(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    this.leftovers.clear();
    this.unhook();
  }
}

export interface WriteArchiveOptions {
  /** One file per entry (true), or the zip itself, once every entry's CRC was checked (false). */
  extract: boolean;
  /** `dir` is a new, empty folder thrown away whole on failure (a StagedFolder's): see extractArchive's `fresh`. */
  fresh?: boolean;
  progress: ProgressLog;
  signal?: AbortSignal;
}

export interface WrittenArchive {
  /** Files written: the entries, or 1 for the zip. */
  files: number;
  bytes: number;
  /** The zip's file name when it was written as it is. */
  zipName?: string;
}

/** The downloaded archive into `dir`: its entries (modes and mtimes kept), or the checked zip dated as the job. */
export async function writeArchive(
  archive: DownloadedArchive,
  zip: Archive,
  dir: string,
  job: Job,
  options: WriteArchiveOptions,
): Promise<WrittenArchive> {
  const { progress, signal } = options;
  if (!options.extract) {
    await zip.verify();
    // read while it arrived: every byte on disk (or the download's failure told) before the file is copied
    await archive.complete();
    const zipName = basename(archive.path);
    const target = join(dir, zipName);
    await copyFile(archive.path, target);
    const mtime = new Date(Date.parse(job.modifiedAt ?? '') || Date.now());
    await utimes(target, mtime, mtime);
    return { files: 1, bytes: archive.size, zipName };
  }
  let bytes = 0;
  const { files } = await extractArchive(zip, dir, {
    ...(signal ? { signal } : {}),
    ...(options.fresh ? { fresh: true } : {}),
    onFile: (entry, written) => {
      bytes += entry.size;
      progress.extracted(written, bytes, zip.fileCount, zip.totalBytes);
    },
    onSkip: (name, reason) =>
      progress.warn(`skipped ${reason} ${JSON.stringify(name)} in the archive of job ${job.id}`),
  });
  // read while it arrived: the download is whole (or its failure told) before the build counts as written
  await archive.complete();
  return { files, bytes };
}
