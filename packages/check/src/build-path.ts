import { realpath, stat } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { CheckSetupError } from './errors.js';

/** The real path of the build folder; a CheckSetupError naming the path when it is missing or is a file. */
export async function buildRoot(folder: string, page: string): Promise<string> {
  const path = resolve(folder);
  const info = await stat(path).catch(() => undefined);
  if (info === undefined)
    throw new CheckSetupError(
      `The build folder ${path} does not exist: give the folder that holds the extracted build (its ${page})`,
    );
  if (!info.isDirectory())
    throw new CheckSetupError(
      `The build folder ${path} is a file, not a folder: give the folder that holds it (${dirname(path)})`,
    );
  return realpath(path);
}

/**
 * A regular file of the build folder, by its path in the build: undefined when there is none, when the path
 * leaves the folder, or when a symbolic link is on the way (static hosts upload files, not links; and a link
 * could lead anywhere on this machine). `root` must be a real path (see buildRoot).
 */
export async function fileInside(root: string, rel: string): Promise<{ path: string; size: number } | undefined> {
  const path = resolve(root, rel);
  if (path !== root && !path.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  // a link anywhere on the way makes the real path differ from the one asked for
  const real = await realpath(path).catch(() => undefined);
  if (real !== path) return undefined;
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() ? { path, size: info.size } : undefined;
}
