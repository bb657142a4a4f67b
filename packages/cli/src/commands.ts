import { relative } from 'node:path';
import { type CheckOptions, resolveCheckOptions } from '@gulp-playcanvas/playcanvas-build-check/options';
import {
  buildIntoFolder,
  checkPipeline,
  type FolderBuildResult,
  formatBytes,
  type JobRequest,
  PIPELINE_OPTIONS,
  type PipelineSettings,
  type PostProcessing,
  type PostStep,
  ProgressLog,
  postSteps,
  refuseWithoutFiles,
  resolveOutputFolder,
} from '@gulp-playcanvas/playcanvas-pipeline';
import type {
  CspOptions,
  CspReport,
  PlayableOptions,
  PlayableReport,
  SizeReport,
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

const CHECK_KEYS = [
  'frames',
  'check-timeout',
  'until',
  'viewport',
  'page',
  'screenshot',
  'browser',
  'ignore',
  'allow-blank',
];

/** The post-processing the flags ask for; the steps (and the rules between them) are the pipeline's. */
function stepsFrom(options: Options, words: Vocabulary): PostStep[] {
  const requires = (flag: string, needs: string) => {
    if (options[flag] !== undefined && options[needs] !== true) throw new UsageError(`--${flag} needs --${needs}`);
  };
  requires('single-file-compress', 'single-file');
  requires('single-file-max-bytes', 'single-file');
  requires('csp-headers-file', 'csp');
  for (const d of CSP_DIRECTIVES) requires(`csp-${d}`, 'csp');
  const playable = options.playable as Partial<PlayableOptions> | undefined;
  if (playable !== undefined && playable.network === undefined)
    throw new UsageError(`${words.option(`playable.${Object.keys(playable)[0]}`)} needs --playable`);
  if (options['script-prefix'] !== undefined && options['asset-prefix'] === undefined)
    throw new UsageError('--script-prefix needs --asset-prefix');
  const wanted: PostProcessing = {};
  if (options['stamp-version'] !== undefined) wanted.stampVersion = { version: options['stamp-version'] as string };
  if (options['asset-prefix'] !== undefined) {
    const scriptPrefix = options['script-prefix'] as string | undefined;
    wanted.assetPrefix = {
      url: options['asset-prefix'] as string,
      ...(scriptPrefix !== undefined ? { scriptPrefix } : {}),
    };
  }
  if (options['single-file'] === true) {
    const maxBytes = options['single-file-max-bytes'] as number | undefined;
    wanted.singleFile = {
      compress: options['single-file-compress'] === true,
      ...(maxBytes !== undefined ? { maxBytes } : {}),
    };
  }
  if (playable !== undefined) wanted.playable = playable as PlayableOptions;
  if (options.csp === true) {
    const csp: CspOptions = { headersFile: options['csp-headers-file'] === true };
    for (const d of CSP_DIRECTIVES) {
      const sources = options[`csp-${d}`] as string[] | undefined;
      if (sources) csp[d] = sources;
    }
    wanted.csp = csp;
  }
  return postSteps(wanted, words);
}

const CSP_DIRECTIVES = ['connect', 'img', 'script', 'style', 'media', 'font', 'worker', 'frame'] as const;

export interface BuildOutcome {
  ok: true;
  out: string;
  files: number;
  bytes: number;
  metadata: Record<string, unknown>;
  checkpoint?: unknown;
  check?: FolderBuildResult['check'];
  policy?: string;
  singleFile?: SizeReport;
  playable?: PlayableReport;
  warnings: string[];
}

/**
 * `build` and `export`: run the job, write the files (or the zip) to a staging folder, post-process, check, put in
 * place.
 */
export async function buildOrExport(
  kind: 'build' | 'export',
  options: Options,
  reporter: Reporter,
  signal: AbortSignal,
): Promise<BuildOutcome> {
  if (typeof options.out !== 'string' || options.out.trim() === '')
    throw new UsageError('--out is required: the folder to write the build to, e.g. --out build');
  const out = resolveOutputFolder('out', options.out, process.cwd(), {
    replaceOutside: options['replace-outside'] === true,
    replaceOutsideHint: 'add --replace-outside',
  });
  const jobOptions = pick(options, kind === 'build' ? BUILD_OPTIONS : EXPORT_OPTIONS);
  const request: JobRequest =
    kind === 'build'
      ? { kind, options: resolveBuildOptions(jobOptions) }
      : { kind, options: resolveExportOptions(jobOptions) };
  const pipeline = resolveOptions(PIPELINE_OPTIONS, pick(options, PIPELINE_OPTIONS), {
    label: 'command-line',
  }) as unknown as PipelineSettings;
  const words = wordsOf(kind);
  checkPipeline(pipeline, request, words);
  const archiveOptions = resolveOptions(ARCHIVE_OPTIONS, pick(options, ARCHIVE_OPTIONS), { label: 'command-line' });
  const client = clientFrom(options, words);
  const steps = kind === 'build' ? stepsFrom(options, words) : [];
  if (options.check !== true)
    for (const key of CHECK_KEYS) if (options[key] !== undefined) throw new UsageError(`--${key} needs --check`);
  const checkOptions =
    options.check === true ? resolveCheckOptions(checkOptionsFrom(options, 'check-timeout'), words.option) : undefined;
  if (options.page !== undefined && options.playable !== undefined)
    throw new UsageError(
      "--page does not go with --playable: the check opens the playable's page (ad.html for vungle)",
    );
  const format = request.kind === 'build' ? request.options.format : undefined;
  refuseWithoutFiles(
    { kind, format, extracted: options.zip !== true },
    [...steps.map((step) => step.name), ...(checkOptions ? ['check'] : [])],
    words,
  );

  const built = await buildIntoFolder({
    client,
    settings: pipeline,
    request,
    dest: out,
    destName: '--out',
    log: reporter.write,
    archive: archiveOptions,
    extract: options.zip !== true,
    steps,
    ...(checkOptions ? { check: checkOptions } : {}),
    screenshotName: 'screenshot',
    signal,
    words,
  });
  const outcome: BuildOutcome = {
    ok: true,
    out: built.dest,
    files: built.files,
    bytes: built.bytes,
    metadata: { ...built.metadata },
    warnings: built.warnings,
  };
  if (built.checkpoint) outcome.checkpoint = built.checkpoint;
  if (built.check) outcome.check = built.check;
  if (built.reports.csp) outcome.policy = (built.reports.csp as CspReport).policy;
  if (built.reports.singleFile) outcome.singleFile = built.reports.singleFile as SizeReport;
  if (built.reports.playable) outcome.playable = built.reports.playable as PlayableReport;
  const where = relative(process.cwd(), built.dest) || '.';
  const m = built.metadata;
  const what = options.zip === true ? 'the archive' : `${outcome.files} file${outcome.files === 1 ? '' : 's'}`;
  const engine = m.engineVersion ? `, engine ${m.engineVersion}` : '';
  const branch = m.branchId ? `, branch ${m.branchId}` : '';
  const checkpointId = m.checkpointId ? `, checkpoint ${m.checkpointId}` : '';
  const made = `job ${m.jobId}, ${m.format}${engine}${branch}${checkpointId}`;
  reporter.info(`wrote ${what} (${formatBytes(outcome.bytes)}) to ${where}: ${made}`);
  return outcome;
}

export async function checkpoint(
  options: Options,
  reporter: Reporter,
  signal: AbortSignal,
): Promise<{ ok: true; checkpoint: unknown }> {
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
  const result = await checkBuild(
    dir,
    resolveCheckOptions(checkOptionsFrom(options, 'check-timeout'), wordsOf('check').option),
  );
  reporter.info(`the build in ${dir} ${describeBoot(result)}`);
  return {
    ok: true,
    bootMs: result.bootMs,
    frames: result.frames,
    ...(result.engineVersion ? { engineVersion: result.engineVersion } : {}),
  };
}
