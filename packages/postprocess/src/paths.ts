import { posix } from 'node:path';
import { PostprocessError } from './build.js';

/**
 * A file path given in an option, checked to name a file inside the build: relative, with `/` between folders,
 * and still inside once `..` and `.` are resolved. The adapters write it under their output folder (gulp.dest,
 * the CLI's --out), so `../../x` or `/etc/x` would land outside it.
 */
export function pathInBuild(value: string, option: string): string {
  const refuse = (why: string) =>
    new PostprocessError(
      `${option} must be a path inside the build, like "_headers" or "config/_headers"; ` +
        `${JSON.stringify(value)} ${why}`,
    );
  if (value.trim() === '') throw refuse('is empty');
  if ([...value].some((c) => c.charCodeAt(0) < 0x20)) throw refuse('has control characters');
  if (value.includes('\\')) throw refuse('has a backslash: write folders with /');
  if (value.startsWith('/') || /^[a-z]:/i.test(value)) throw refuse('is absolute');
  const normal = posix.normalize(value);
  if (normal === '..' || normal.startsWith('../')) throw refuse('leads out of it');
  if (normal === '.' || normal.endsWith('/')) throw refuse('names a folder, not a file');
  return normal;
}
