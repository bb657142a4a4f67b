import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { type BuildSource, type BuildStep, PostprocessError, type StepResult } from './build.js';

/** A build folder on disk as a BuildSource: every file's path, read when a step asks. */
export async function directoryBuild(dir: string): Promise<BuildSource> {
  const root = resolve(dir);
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      throw new PostprocessError(
        `Cannot read the build folder ${dir} (${error.code ?? error.message}): check the path`,
      );
    },
  );
  const paths = new Set(
    entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/')),
  );
  return {
    paths,
    async read(path) {
      if (!paths.has(path)) throw new PostprocessError(`The build has no ${path}`, path);
      return readFile(join(root, ...path.split('/')));
    },
  };
}

/**
 * Runs a step on a build folder and writes its changes in place. Each file is written to a temporary name
 * beside it and renamed over the old one, so a file is either the old one or the new one, never half of each.
 */
export async function processDirectory<Report>(step: BuildStep<Report>, dir: string): Promise<StepResult<Report>> {
  const root = resolve(dir);
  const result = await step.run(await directoryBuild(root));
  for (const [path, contents] of result.changes) {
    const target = resolve(root, ...path.split('/'));
    if (!target.startsWith(root + sep))
      throw new PostprocessError(`${step.name} wanted to write ${path}, outside the build folder`, path);
    if (contents === null) {
      await rm(target, { force: true });
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, contents);
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
  await removeEmptyFolders(root);
  return result;
}

async function removeEmptyFolders(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true });
  let empty = true;
  for (const entry of entries) {
    if (entry.isDirectory() && (await removeEmptyFolders(join(dir, entry.name))))
      await rm(join(dir, entry.name), { recursive: true });
    else empty = false;
  }
  return empty;
}

/** Runs a step on a build held in memory; returns the new files. */
export async function processFiles<Report>(
  step: BuildStep<Report>,
  files: ReadonlyMap<string, Buffer>,
): Promise<{ files: Map<string, Buffer> } & StepResult<Report>> {
  const source: BuildSource = {
    paths: new Set(files.keys()),
    async read(path) {
      const contents = files.get(path);
      if (contents === undefined) throw new PostprocessError(`The build has no ${path}`, path);
      return contents;
    },
  };
  const result = await step.run(source);
  const out = new Map(files);
  for (const [path, contents] of result.changes) {
    if (contents === null) out.delete(path);
    else out.set(path, contents);
  }
  return { files: out, ...result };
}
