import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { type BuildMetadata, formatBytes, ProgressLog, runPipeline, StagedFolder, writeArchive } from '@gulp-playcanvas/playcanvas-pipeline';
import { processDirectory } from '@gulp-playcanvas/playcanvas-postprocess';
import { createClient, PlayCanvasError, type ProgressEvent } from '@gulp-playcanvas/playcanvas-rest-client';
import { checkFolder } from './check-folder.js';
import type { ResolvedTask } from './options.js';

/** Where the task's lines go: grunt.log in the task file, an array in a test. */
export interface TaskLog {
  info(line: string): void;
  warn(line: string): void;
}

/**
 * Builds (or exports) into a staging folder beside dest, post-processes and checks it there, writes the
 * metadata file if asked, and only then puts it in dest's place. On any failure dest is left as it was and
 * the staging folder removed; the error says what failed, naming the job once there is one.
 */
export async function runTask(task: ResolvedTask, log: TaskLog): Promise<BuildMetadata> {
  const progress = new ProgressLog((level, line) => log[level](line), 'wrote');
  const staging = await StagedFolder.open(task.dest, 'dest');
  let jobId: number | undefined;
  const onProgress = (event: ProgressEvent) => {
    if (event.type === 'job-started') jobId = event.jobId;
    progress.event(event);
  };
  try {
    const client = createClient(task.client);
    const { job, archive, metadata, warnings } = await runPipeline(client, task.pipeline, task.job, { onProgress });
    for (const warning of warnings) progress.warn(warning);
    try {
      const zip = await archive.open(task.archive);
      const written = await writeArchive(archive, zip, staging.dir, job, { extract: task.task.extract, progress });
      progress.done(
        written.zipName === undefined
          ? `wrote ${written.files} files (${formatBytes(written.bytes)}) from job ${job.id}`
          : `wrote the archive ${written.zipName} (${formatBytes(written.bytes)}) of job ${job.id}, every entry checked`,
      );
    } finally {
      progress.stop();
      await archive.dispose();
    }
    for (const { name, step, report } of task.steps) {
      const result = await processDirectory(step, staging.dir);
      for (const note of result.notes) log.warn(`${name}: ${note}`);
      const line = report(result.report);
      if (line) log.info(line);
    }
    if (task.check) {
      // a screenshot inside dest goes into the new build, or it would be deleted with the old dest at the swap
      const { screenshot } = task.check;
      const shot = screenshot === undefined ? undefined : await staging.pathFor(screenshot, 'check.screenshot');
      log.info(await checkFolder(staging.dir, shot === undefined ? task.check : { ...task.check, screenshot: shot }));
    }
    if (task.task.metadataFile !== undefined) await writeMetadata(staging.dir, task.task.metadataFile, metadata);
    await staging.commit();
    log.info(`wrote ${relative(process.cwd(), task.dest) || task.dest}: ${JSON.stringify(metadata)}`);
    return metadata;
  } catch (error) {
    progress.stop();
    await staging.discard();
    throw naming(error, jobId);
  }
}

async function writeMetadata(dir: string, file: string, metadata: BuildMetadata): Promise<void> {
  const path = join(dir, file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(metadata, null, 2)}\n`, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') throw new Error(`metadataFile ${file} would replace a file of the build: choose another name`);
    throw error;
  });
}

/** The error as the task reports it: a client error names the job when its message does not. */
function naming(error: unknown, jobId: number | undefined): Error {
  const err = error instanceof Error ? error : new Error(String(error));
  if (err instanceof PlayCanvasError && jobId !== undefined && !err.message.includes(`job ${jobId}`)) err.message = `${err.message} (job ${jobId})`;
  return err;
}
