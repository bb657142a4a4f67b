import { Stats } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import Vinyl from 'vinyl';

/** A real fs.Stats (gulp.dest reads mode and mtime from it) made without the deprecated constructor. */
export function makeStats(mode: number, mtime: Date, size: number): Stats {
  const stats = Object.create(Stats.prototype) as Stats;
  const ms = mtime.getTime();
  Object.assign(stats, {
    dev: 0,
    ino: 0,
    mode,
    nlink: 1,
    uid: 0,
    gid: 0,
    rdev: 0,
    size,
    blksize: 4096,
    blocks: Math.ceil(size / 512),
    atimeMs: ms,
    mtimeMs: ms,
    ctimeMs: ms,
    birthtimeMs: ms,
    atime: mtime,
    mtime,
    ctime: mtime,
    birthtime: mtime,
  });
  return stats;
}

/** A vinyl file whose `relative` is the archive entry name: gulp.dest(dir) writes it to dir/name. */
export function makeVinyl(name: string, contents: Buffer | Readable, mode: number, mtime: Date, size: number): Vinyl {
  const cwd = process.cwd();
  return new Vinyl({ cwd, base: cwd, path: join(cwd, name), contents, stat: makeStats(mode, mtime, size) });
}
