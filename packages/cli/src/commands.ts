import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { type CheckOptions, resolveCheckOptions } from '@gulp-playcanvas/playcanvas-build-check/options';
import {
  checkPipeline,
  formatBytes,
  type JobRequest,
  PIPELINE_OPTIONS,
  type PipelineSettings,
  ProgressLog,
  resolveOutputFolder,
  runPipeline,
  StagedFolder,
  writeArchive,
} from '@gulp-playcanvas/playcanvas-pipeline';
import {
  assetPrefixStep,
  type BuildStep,
  type CspOptions,
  cspStep,
  formatSizeReport,
  processDirectory,
  type SizeReport,
  singleFileStep,
  stampVersionStep,
} from '@gulp-playcanvas/playcanvas-postprocess';
import {
  ARCHIVE_OPTIONS,
  BUILD_OPTIONS,
  CHECKPOINT_OPTIONS,
  CLIENT_OPTIONS,
  createClient,
  EXPORT_OPTIONS,
  pick,
  resolveBuildOptions,
  resolveCheckpointOptions,
  resolveClientConfig,
  resolveExportOptions,
  resolveOptions,
  type Vocabulary,
} from '@gulp-playcanvas/playcanvas-rest-client';
import { allFlags, type Command } from './cli-flags.js';
import { UsageError } from './errors.js';
import { folderSize } from './folder-size.js';
import type { Reporter } from './reporter.js';
import { cliWords } from './words.js';

type Options = Record<string, unknown>;

function clientFrom(options: Options, words: Vocabulary) {
  // the token only ever comes from PLAYCANVAS_API_KEY (there is no flag)
  return createClient(resolveClientConfig(pick(options, CLIENT_OPTIONS), words));
}

/** The command's messages name its flags. */
const wordsOf = (command: Command): Vocabulary => cliWords(allFlags(command));

function viewport(text: unknown): { width: number; height: number } | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)x(\d+)$/.exec(String(text));
  if (!match) throw new UsageError(`--viewport must be WIDTHxHEIGHT, e.g. 640x360; got ${String(text)}`);
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** The check's options from the flags (`timeoutKey` differs: --check-timeout in build, --timeout in check). */
export function checkOptionsFrom(options: Options, timeoutKey: string): CheckOptions {
  const size = viewport(options.viewport);
  const ignore = options.ignore as string[] | undefined;
  const checked: CheckOptions = {
    ...(options.frames !== undefined ? { frames: options.frames as number } : {}),
    ...(options[timeoutKey] !== undefined ? { timeout: options[timeoutKey] as number } : {}),
    ...(options.until !== undefined ? { until: options.until as string } : {}),
    ...(size ? { viewport: size } : {}),
    ...(options.page !== undefined ? { page: options.page as string } : {}),
    ...(options.screenshot !== undefined ? { screenshot: options.screenshot as string } : {}),
    ...(options.browser !== undefined ? { browser: options.browser as string } : {}),
    ...(ignore ? { ignore } : {}),
    ...(options['allow-blank'] === true ? { allowBlank: true } : {}),
  };
  return checked;
}

const CHECK_KEYS = ['frames', 'check-timeout', 'until', 'viewport', 'page', 'screenshot', 'browser', 'ignore', 'allow-blank'];

/** The post-processing steps the flags ask for, made (and so checked) before anything is built. */
function stepsFrom(options: Options): Array<BuildStep<unknown>> {
  const steps: Array<BuildStep<unknown>> = [];
  const requires = (flag: string, needs: string) => {
    if (options[flag] !== undefined && options[needs] !== true) throw new UsageError(`--${flag} needs --${needs}`);
  };
  requires('single-file-compress', 'single-file');
  requires('single-file-max-bytes', 'single-file');
  requires('csp-headers-file', 'csp');
  for (const d of ['connect', 'img', 'script', 'style', 'media', 'font', 'worker', 'frame']) requires(`csp-${d}`, 'csp');
  if (options['script-prefix'] !== undefined && options['asset-prefix'] === undefined) throw new UsageError('--script-prefix needs --asset-prefix');
  if (options['single-file'] === true && options['asset-prefix'] !== undefined)
    throw new UsageError('--single-file and --asset-prefix do not go together: a single file loads nothing from elsewhere');
  if (options['stamp-version'] !== undefined) steps.push(stampVersionStep(options['stamp-version'] as string) as BuildStep<unknown>);
  if (options['asset-prefix'] !== undefined)
    steps.push(
      assetPrefixStep(
        options['asset-prefix'] as string,
        options['script-prefix'] !== undefined ? { scriptPrefix: options['script-prefix'] as string } : {},
      ) as BuildStep<unknown>,
    );
  if (options['single-file'] === true)
    steps.push(
      singleFileStep({
        compress: options['single-file-compress'] === true,
        ...(options['single-file-max-bytes'] !== undefined ? { maxBytes: options['single-file-max-bytes'] as number } : {}),
      }) as BuildStep<unknown>,
    );
  if (options.csp === true) {
    const csp: CspOptions = { headersFile: options['csp-headers-file'] === true };
    for (const d of ['connect', 'img', 'script', 'style', 'media', 'font', 'worker', 'frame'] as const) {
      const sources = options[`csp-${d}`] as string[] | undefined;
      if (sources) csp[d] = sources;
    }
    steps.push(cspStep(csp) as BuildStep<unknown>);
  }
  return steps;
}

export interface BuildOutcome {
  ok: true;
  out: string;
  files: number;
  bytes: number;
  metadata: Record<string, unknown>;
  checkpoint?: unknown;
  check?: { bootMs: number; frames: number; engineVersion?: string };
  policy?: string;
  singleFile?: SizeReport;
  warnings: string[];
}

/** `build` and `export`: run the job, write the files (or the zip) to a staging folder, post-process, check, put in place. */
export async function buildOrExport(kind: 'build' | 'export', options: Options, reporter: Reporter, signal: AbortSignal): Promise<BuildOutcome> {
  if (typeof options.out !== 'string' || options.out.trim() === '')
    throw new UsageError('--out is required: the folder to write the build to, e.g. --out build');
  const out = resolveOutputFolder('out', options.out, process.cwd(), {
    replaceOutside: options['replace-outside'] === true,
    replaceOutsideHint: 'add --replace-outside',
  });
  const jobOptions = pick(options, kind === 'build' ? BUILD_OPTIONS : EXPORT_OPTIONS);
  const request: JobRequest =
    kind === 'build' ? { kind, options: resolveBuildOptions(jobOptions) } : { kind, options: resolveExportOptions(jobOptions) };
  const pipeline = resolveOptions(PIPELINE_OPTIONS, pick(options, PIPELINE_OPTIONS), { label: 'command-line' }) as unknown as PipelineSettings;
  const words = wordsOf(kind);
  checkPipeline(pipeline, request, words);
  const archiveOptions = resolveOptions(ARCHIVE_OPTIONS, pick(options, ARCHIVE_OPTIONS), { label: 'command-line' });
  const client = clientFrom(options, words);
  const steps = kind === 'build' ? stepsFrom(options) : [];
  if (options.check !== true) for (const key of CHECK_KEYS) if (options[key] !== undefined) throw new UsageError(`--${key} needs --check`);
  const checkOptions = options.check === true ? resolveCheckOptions(checkOptionsFrom(options, 'check-timeout'), words.option) : undefined;
  if (options.zip === true && (steps.length > 0 || checkOptions))
    throw new UsageError('--zip writes the archive as it came: post-processing and --check need the files (leave out --zip)');

  const progress = new ProgressLog(reporter.write, 'wrote');
  const staging = await StagedFolder.open(out, 'out');
  const warnings: string[] = [];
  let shot: string | undefined;
  try {
    const result = await runPipeline(client, pipeline, request, { signal, onProgress: (event) => progress.event(event) }, words);
    for (const warning of result.warnings) {
      progress.warn(warning);
      warnings.push(warning);
    }
    let files = 0;
    let bytes = 0;
    try {
      const zip = await result.archive.open(archiveOptions);
      ({ files, bytes } = await writeArchive(result.archive, zip, staging.dir, result.job, { extract: options.zip !== true, progress, signal }));
    } finally {
      progress.stop();
      await result.archive.dispose();
    }
    const outcome: BuildOutcome = { ok: true, out: staging.dest, files, bytes, metadata: { ...result.metadata }, warnings };
    if (result.checkpoint) outcome.checkpoint = result.checkpoint;
    for (const step of steps) {
      const done = await processDirectory(step, staging.dir);
      for (const note of done.notes) {
        progress.warn(`${step.name}: ${note}`);
        warnings.push(`${step.name}: ${note}`);
      }
      if (step.name === 'csp') outcome.policy = (done.report as { policy: string }).policy;
      if (step.name === 'singleFile') outcome.singleFile = done.report as SizeReport;
      reporter.info(
        step.name === 'csp'
          ? `csp: ${outcome.policy}`
          : step.name === 'singleFile'
            ? formatSizeReport(done.report as SizeReport)
            : `${step.name}: done`,
      );
    }
    // post-processing adds and removes files (singleFile leaves one): the summary counts what will be in --out
    if (steps.length > 0) ({ files: outcome.files, bytes: outcome.bytes } = await folderSize(staging.dir));
    if (checkOptions) {
      // the browser driver loads only when a check runs: a plain build starts without it
      const { checkBuild, describeBoot } = await import('@gulp-playcanvas/playcanvas-build-check');
      // a screenshot inside --out is written into the new build, or it would go with the old folder at the swap
      if (checkOptions.screenshot !== undefined) shot = await staging.pathFor(checkOptions.screenshot, 'screenshot');
      const checked = await checkBuild(staging.dir, shot === undefined ? checkOptions : { ...checkOptions, screenshot: shot });
      outcome.check = { bootMs: checked.bootMs, frames: checked.frames, ...(checked.engineVersion ? { engineVersion: checked.engineVersion } : {}) };
      reporter.info(`check: the build ${describeBoot(checked)}`);
    }
    await staging.commit();
    const where = relative(process.cwd(), staging.dest) || '.';
    const m = result.metadata;
    reporter.info(
      `wrote ${options.zip === true ? 'the archive' : `${outcome.files} file${outcome.files === 1 ? '' : 's'}`} (${formatBytes(outcome.bytes)}) to ${where}: job ${m.jobId}, ${m.format}${m.engineVersion ? `, engine ${m.engineVersion}` : ''}${m.branchId ? `, branch ${m.branchId}` : ''}${m.checkpointId ? `, checkpoint ${m.checkpointId}` : ''}`,
    );
    return outcome;
  } catch (error) {
    progress.stop();
    if (shot?.startsWith(`${staging.dir}${sep}`) && existsSync(shot))
      reporter.warn(`the screenshot was not kept: it is inside --out, which is left as it was (name a file outside --out to keep it)`);
    await staging.discard();
    throw error;
  }
}

export async function checkpoint(options: Options, reporter: Reporter, signal: AbortSignal): Promise<{ ok: true; checkpoint: unknown }> {
  const request = resolveCheckpointOptions(pick(options, CHECKPOINT_OPTIONS));
  const client = clientFrom(options, wordsOf('checkpoint'));
  const progress = new ProgressLog(reporter.write);
  const made = await client.createCheckpoint(request, { signal, onProgress: (event) => progress.event(event) });
  reporter.info(`checkpoint ${made.id} of branch ${made.branchId}: ${JSON.stringify(made.description)}`);
  return { ok: true, checkpoint: made };
}

export async function check(
  dir: string,
  options: Options,
  reporter: Reporter,
): Promise<{ ok: true; bootMs: number; frames: number; engineVersion?: string }> {
  // the browser driver loads only when a check runs: the other commands start without it
  const { checkBuild, describeBoot } = await import('@gulp-playcanvas/playcanvas-build-check');
  const result = await checkBuild(dir, resolveCheckOptions(checkOptionsFrom(options, 'check-timeout'), wordsOf('check').option));
  reporter.info(`the build in ${dir} ${describeBoot(result)}`);
  return { ok: true, bootMs: result.bootMs, frames: result.frames, ...(result.engineVersion ? { engineVersion: result.engineVersion } : {}) };
}
