import { buildRoot, fileInside } from './build-path.js';
import { CheckSetupError } from './errors.js';
import type { BuildFiles } from './serve.js';

/**
 * Refuses, before any browser starts, a build the check could only wait on: a folder that does not exist or
 * is a file, or a build without the page to open. A typo in a path is a usage error, said at once.
 */
export async function assertCheckable(files: BuildFiles, page: string): Promise<void> {
  if (typeof files !== 'string') {
    if (!files.has(page))
      throw new CheckSetupError(`The build has no ${page} to open: check the files passed to the check`);
    return;
  }
  const root = await buildRoot(files, page);
  if ((await fileInside(root, page)) === undefined)
    throw new CheckSetupError(
      `The build folder ${files} has no ${page} to open (or it is a symbolic link, which the check does not follow): ` +
        'give the folder of an extracted static build, or name the page to open (page option, --page)',
    );
}
