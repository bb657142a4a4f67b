import { statSync, unlinkSync } from 'node:fs';
import { onExit } from 'signal-exit';
import type Vinyl from 'vinyl';

interface Emitted {
  /** Weak: once gulp.dest has let go of a file, it is done with it. */
  file: WeakRef<Vinyl>;
  /** The path the plugin gave; gulp.dest rewrites it to the output path when it takes the file. */
  virtualPath: string;
  emittedAt: number;
}

/** More files than gulp.dest has in flight at once (16) plus the plugin's read-ahead (8). */
const WINDOW = 64;

/**
 * Remembers the files recently emitted, so that when a build fails or the process is stopped (Ctrl-C,
 * SIGTERM), an output file that gulp.dest had begun but not finished is removed rather than left truncated.
 * gulp.dest takes a file by rewriting its path to the output path, and finishes it by setting its mtime to
 * `file.stat.mtime` (the entry's date, long past): a file on disk that changed after the plugin emitted it
 * and still lacks that mtime is unfinished. Files already there before, or finished, are never touched.
 */
export class OutputGuard {
  private recent: Emitted[] = [];
  private unhook: (() => void) | undefined;

  /**
   * Stopped by a signal mid-build (Ctrl-C, SIGTERM): what gulp.dest had begun writing is removed, not left truncated.
   */
  watchSignals(): void {
    this.unhook ??= onExit((_code, signal) => {
      if (signal !== null) this.sweep();
    });
  }

  /**
   * The build is over, gulp.dest may still be writing the last files: they stay guarded until they are whole
   * (a minute at most). Only the guard is kept meanwhile, not the build (its files and archive can go).
   */
  releaseWhenSettled(maxMs = 60_000): void {
    const until = Date.now() + maxMs;
    const release = setInterval(() => {
      if (!this.settled() && Date.now() < until) return;
      clearInterval(release);
      this.unhook?.();
      this.unhook = undefined;
    }, 250).unref();
  }

  track(file: Vinyl): void {
    this.recent.push({ file: new WeakRef(file), virtualPath: file.path, emittedAt: Date.now() });
    if (this.recent.length > WINDOW) this.recent.shift();
  }

  /**
   * After a file's contents failed: removes what gulp.dest wrote of it, whatever its size (a CRC mismatch is
   * found after the last byte). Checked again shortly after, in case gulp.dest had not created it yet.
   */
  removeFailed(file: Vinyl): void {
    const emitted = this.recent.find((e) => e.file.deref() === file);
    if (!emitted) return;
    this.check(emitted, true);
    for (const ms of [100, 1000]) setTimeout(() => this.check(emitted, true), ms).unref();
  }

  /** Removes every recent file that is unfinished; returns how many. Synchronous: it runs in a signal handler. */
  sweep(): number {
    let removed = 0;
    for (const emitted of this.recent) if (this.check(emitted, false)) removed += 1;
    return removed;
  }

  /** True once every recent file is finished (or let go of): nothing is left to guard. */
  settled(): boolean {
    return this.recent.every((emitted) => {
      const file = emitted.file.deref();
      if (!file?.stat) return true;
      if (file.path === emitted.virtualPath) return false;
      try {
        return finished(file, statSync(file.path).mtimeMs);
      } catch {
        return false;
      }
    });
  }

  private check(emitted: Emitted, failed: boolean): boolean {
    const file = emitted.file.deref();
    if (!file?.stat || file.path === emitted.virtualPath) return false;
    try {
      const stat = statSync(file.path);
      if (!stat.isFile() || stat.ctimeMs < emitted.emittedAt - 5) return false;
      if (!failed && finished(file, stat.mtimeMs)) return false;
      unlinkSync(file.path);
      return true;
    } catch {
      return false;
    }
  }
}

/** gulp.dest sets the output's mtime from file.stat last of all: once they agree (to the second), the file is whole. */
function finished(file: Vinyl, mtimeMs: number): boolean {
  const wanted = file.stat?.mtime?.getTime();
  return wanted !== undefined && Math.floor(mtimeMs / 1000) === Math.floor(wanted / 1000);
}
