import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, resolve, sep } from 'node:path';
import { UsageError } from './errors.js';

/**
 * The output folder is written whole or not at all: the build goes into a staging folder beside it (same
 * disk, so the final rename is one step), is post-processed and checked there, and only then replaces the
 * output folder. On failure, or Ctrl-C, the staging folder goes and the output folder is as it was.
 */
export class Staging {
  private done = false;
  private readonly cleanup = () => {
    if (!this.done) rmSync(this.dir, { recursive: true, force: true });
  };

  private constructor(
    readonly out: string,
    readonly dir: string,
  ) {
    // a last resort when the process is ended before the finally blocks run
    process.once('exit', this.cleanup);
  }

  static async create(outInput: string): Promise<Staging> {
    const out = resolve(outInput);
    const cwd = process.cwd();
    if (out === cwd || cwd.startsWith(out + sep) || out === dirname(out))
      throw new UsageError(
        `--out ${outInput} is the working folder or one above it, and --out is replaced as a whole: give a folder of its own, e.g. --out build`,
      );
    const existing = await stat(out).catch(() => undefined);
    if (existing && !existing.isDirectory()) throw new UsageError(`--out ${outInput} is a file: give a folder (it is replaced as a whole)`);
    await mkdir(dirname(out), { recursive: true });
    const dir = resolve(dirname(out), `.${basename(out)}.partial-${randomBytes(4).toString('hex')}`);
    await mkdir(dir);
    return new Staging(out, dir);
  }

  /** Puts the staged build in place of the output folder: the old one is moved aside, then removed. */
  async commit(): Promise<void> {
    const old = resolve(dirname(this.out), `.${basename(this.out)}.old-${randomBytes(4).toString('hex')}`);
    const hadOld = await stat(this.out).then(
      () => true,
      () => false,
    );
    if (hadOld) await rename(this.out, old);
    try {
      await rename(this.dir, this.out);
    } catch (error) {
      if (hadOld) await rename(old, this.out);
      throw error;
    }
    this.done = true;
    process.off('exit', this.cleanup);
    if (hadOld) await rm(old, { recursive: true, force: true });
  }

  async discard(): Promise<void> {
    this.done = true;
    process.off('exit', this.cleanup);
    await rm(this.dir, { recursive: true, force: true });
  }
}
