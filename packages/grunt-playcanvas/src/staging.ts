import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { chmod, mkdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from 'playcanvas-rest-client';
import { onExit } from 'signal-exit';

/**
 * A folder beside `dest` that the build is written, post-processed and checked in, and that replaces `dest`
 * only when all of that succeeded. Until then `dest` is left as it was; the staging folder goes on failure,
 * and also when the process exits or is stopped by Ctrl-C (SIGINT), SIGTERM or SIGHUP first.
 */
export class StagedOutput {
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

  /** Makes the staging folder beside dest (on the same file system, so the swap is a rename). */
  static async open(dest: string): Promise<StagedOutput> {
    const existing = await stat(dest).catch(() => undefined);
    if (existing && !existing.isDirectory()) throw new ConfigError(`dest ${dest} exists and is not a folder: give a folder path`, 'dest');
    await mkdir(dirname(dest), { recursive: true });
    // mkdir, not mkdtemp: the folder becomes dest, so it gets a folder's usual mode (or the old dest's), not 0700
    const dir = join(dirname(dest), `.${basename(dest)}.staging-${randomBytes(6).toString('hex')}`);
    await mkdir(dir);
    const staged = new StagedOutput(dest, dir);
    if (existing) await chmod(dir, existing.mode & 0o7777);
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
