import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { type BuildMetadata, buildIntoFolder } from '@gulp-playcanvas/playcanvas-pipeline';
import { createClient, PlayCanvasError, type ProgressEvent } from '@gulp-playcanvas/playcanvas-rest-client';
import type { ResolvedTask } from './options.js';

/** Where the task's lines go: grunt.log in the task file, an array in a test. */
export interface TaskLog {
  info(line: string): void;
  warn(line: string): void;
}

/**
 * Builds (or exports) into dest with the pipeline's one recipe (staged beside dest, post-processed and checked
 * there, swapped in whole), writing the metadata file if asked. The error names the job once there is one.
 */
export async function runTask(task: ResolvedTask, log: TaskLog): Promise<BuildMetadata> {
  let jobId: number | undefined;
  const { metadataFile } = task.task;
  try {
    const { metadata } = await buildIntoFolder({
      client: createClient(task.client),
      settings: task.pipeline,
      request: task.job,
      dest: task.dest,
      destName: 'dest',
      log: (level, line) => log[level](line),
      archive: task.archive,
      extract: task.task.extract,
      steps: task.steps,
      ...(task.check ? { check: task.check } : {}),
      screenshotName: 'check.screenshot',
      onProgress: (event: ProgressEvent) => {
        if (event.type === 'job-started') jobId = event.jobId;
      },
      ...(metadataFile !== undefined
        ? { beforeSwap: (dir: string, built: BuildMetadata) => writeMetadata(dir, metadataFile, built) }
        : {}),
    });
    log.info(`wrote ${relative(process.cwd(), task.dest) || task.dest}: ${JSON.stringify(metadata)}`);
    return metadata;
  } catch (error) {
    throw naming(error, jobId);
  }
}

async function writeMetadata(dir: string, file: string, metadata: BuildMetadata): Promise<void> {
  const path = join(dir, file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(metadata, null, 2)}\n`, { flag: 'wx' }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST')
        throw new Error(`metadataFile ${file} would replace a file of the build: choose another name`);
      throw error;
    },
  );
}

/** The error as the task reports it: a client error names the job when its message does not. */
function naming(error: unknown, jobId: number | undefined): Error {
  const err = error instanceof Error ? error : new Error(String(error));
  if (err instanceof PlayCanvasError && jobId !== undefined && !err.message.includes(`job ${jobId}`))
    err.message = `${err.message} (job ${jobId})`;
  return err;
}
