import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Where a path really is, symbolic links resolved: for a path that does not exist (yet), its nearest existing
 * ancestor resolved and the rest appended, as that is where mkdir would put it.
 */
export function realPathOf(path: string): string {
  const missing: string[] = [];
  let at = resolve(path);
  for (;;) {
    try {
      return resolve(realpathSync.native(at), ...missing);
    } catch {
      const up = dirname(at);
      if (up === at) return resolve(path);
      missing.unshift(basename(at));
      at = up;
    }
  }
}

/** Whether `inner` is `outer` or lies under it (compare real paths: see realPathOf). */
export function isWithin(outer: string, inner: string): boolean {
  const down = relative(outer, inner);
  return down === '' || (down !== '..' && !down.startsWith(`..${sep}`) && !isAbsolute(down));
}
