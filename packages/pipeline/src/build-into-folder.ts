import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import type { PlayableRecord } from '@gulp-playcanvas/playcanvas-build-check';
import type { ResolvedCheckOptions } from '@gulp-playcanvas/playcanvas-build-check/options';
import { type PlayableReport, processDirectory } from '@gulp-playcanvas/playcanvas-postprocess';
import {
  type ArchiveOptions,
  type Checkpoint,
  OPTION_WORDS,
  type PlayCanvasClient,
  type ProgressListener,
  type Vocabulary,
} from '@gulp-playcanvas/playcanvas-rest-client';
import { folderSize } from './folder-size.js';
import type { JobRequest } from './job-notes.js';
import { StagedFolder, writeArchive } from './output-folder.js';
import { type BuildMetadata, type PipelineSettings, runPipeline } from './pipeline.js';
import { checkTarget, describeTap } from './playable-check.js';
import { type PostStep, refuseWithoutFiles } from './post-steps.js';
import { formatBytes, type LogWriter, ProgressLog } from './progress-log.js';

export interface FolderBuildOptions {
  client: PlayCanvasClient;
  settings: PipelineSettings;
  request: JobRequest;
  /** The folder to replace, as resolveOutputFolder gives it (absolute, checked). */
  dest: string;
  /** How the host names `dest` in messages: `--out` for the CLI, `dest` for the Grunt task. Default: dest. */
  destName?: string;
  /** Where the lines go: progress, warnings, what each step did. */
  log: LogWriter;
  archive?: ArchiveOptions;
  /** false: write the zip itself (every entry's CRC checked first), no post-processing. Default: true. */
  extract?: boolean;
  /** From postSteps(): run on the written folder, in this order. */
  steps?: readonly PostStep[];
  /** Boot the result in headless Chromium before it replaces dest. */
  check?: ResolvedCheckOptions;
  /** How the host names the check's screenshot option. Default: screenshot. */
  screenshotName?: string;
  /** Runs on the finished staging folder just before the swap (the Grunt task writes its metadata file). */
  beforeSwap?: (dir: string, metadata: BuildMetadata) => Promise<void>;
  signal?: AbortSignal;
  /** Told of the job's progress, besides the log. */
  onProgress?: ProgressListener;
  words?: Vocabulary;
}

export interface FolderBuildResult {
  dest: string;
  /** Files and bytes in dest: after post-processing, or the zip's name and size with extract: false. */
  files: number;
  bytes: number;
  zipName?: string;
  metadata: BuildMetadata;
  checkpoint?: Checkpoint;
  warnings: string[];
  /** Each step's report by its name: the CSP's policy, the single file's sizes. */
  reports: Partial<Record<PostStep['name'], unknown>>;
  /** With a playable, `playable` says what the network's stand-in saw (the calls the tap made). */
  check?: { bootMs: number; frames: number; engineVersion?: string; playable?: PlayableRecord };
}

/**
 * Builds (or exports) into a staging folder beside dest, post-processes and checks it there, and only then puts
 * it in dest's place. On any failure dest is left as it was and the staging folder removed.
 */
export async function buildIntoFolder(options: FolderBuildOptions): Promise<FolderBuildResult> {
  const { log, signal, words = OPTION_WORDS, destName = 'dest', extract = true } = options;
  const { request } = options;
  const format = request.kind === 'build' ? request.options.format : undefined;
  const wanted = [...(options.steps ?? []).map((step) => step.name), ...(options.check ? ['check'] : [])];
  refuseWithoutFiles({ kind: request.kind, format, extracted: extract }, wanted, words);
  const progress = new ProgressLog(log, 'wrote');
  const staging = await StagedFolder.open(options.dest, destName);
  let shot: string | undefined;
  try {
    const run = { onProgress: listen(progress, options.onProgress), ...(signal ? { signal } : {}) };
    const built = await runPipeline(options.client, options.settings, options.request, run, words);
    const warnings = [...built.warnings];
    for (const warning of warnings) progress.warn(warning);
    let written: Awaited<ReturnType<typeof writeArchive>>;
    try {
      const zip = await built.archive.open(options.archive);
      // the staging folder is new and empty, and goes whole on failure: files at their names, no rename each
      const writing = { extract, fresh: true, progress, ...(signal ? { signal } : {}) };
      written = await writeArchive(built.archive, zip, staging.dir, built.job, writing);
      const size = formatBytes(written.bytes);
      const { id } = built.job;
      progress.done(
        written.zipName === undefined
          ? `wrote ${written.files} files (${size}) from job ${id}`
          : `wrote the archive ${written.zipName} (${size}) of job ${id}, every entry checked`,
      );
    } finally {
      progress.stop();
      await built.archive.dispose();
    }
    const result: FolderBuildResult = {
      dest: staging.dest,
      files: written.files,
      bytes: written.bytes,
      ...(written.zipName !== undefined ? { zipName: written.zipName } : {}),
      metadata: built.metadata,
      ...(built.checkpoint ? { checkpoint: built.checkpoint } : {}),
      warnings,
      reports: {},
    };
    for (const { name, step, report } of options.steps ?? []) {
      const done = await processDirectory(step, staging.dir);
      for (const note of done.notes) {
        log('warn', `${name}: ${note}`);
        warnings.push(`${name}: ${note}`);
      }
      result.reports[name] = done.report;
      log('info', report(done.report));
    }
    // post-processing adds and removes files (singleFile leaves one): count what will be in dest
    if ((options.steps?.length ?? 0) > 0) Object.assign(result, await folderSize(staging.dir));
    if (options.check) {
      // the browser driver loads only when a check runs: a plain build starts without it
      const { checkBuild, describeBoot } = await import('@gulp-playcanvas/playcanvas-build-check');
      // a screenshot inside dest goes into the new build, or it would go with the old dest at the swap
      const { screenshot } = options.check;
      if (screenshot !== undefined) shot = await staging.pathFor(screenshot, options.screenshotName ?? 'screenshot');
      const checking = shot === undefined ? options.check : { ...options.check, screenshot: shot };
      const target = await checkTarget(staging.dir, checking, result.reports.playable as PlayableReport | undefined);
      const checked = await checkBuild(target.files, target.options);
      const { bootMs, frames, engineVersion, playable } = checked;
      result.check = { bootMs, frames, ...(engineVersion ? { engineVersion } : {}), ...(playable ? { playable } : {}) };
      log('info', `check: the build ${describeBoot(checked)}`);
      if (playable) log('info', `check: ${describeTap(playable)}`);
    }
    await options.beforeSwap?.(staging.dir, built.metadata);
    await staging.commit();
    return result;
  } catch (error) {
    progress.stop();
    if (shot?.startsWith(`${staging.dir}${sep}`) && existsSync(shot)) {
      const keep = `name a file outside ${destName} to keep it`;
      log('warn', `the screenshot was not kept: it is inside ${destName}, which is left as it was (${keep})`);
    }
    await staging.discard();
    throw error;
  }
}

function listen(progress: ProgressLog, also: ProgressListener | undefined): ProgressListener {
  return (event) => {
    also?.(event);
    progress.event(event);
  };
}
