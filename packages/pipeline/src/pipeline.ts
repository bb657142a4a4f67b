import {
  type BuildResult,
  type Checkpoint,
  ConfigError,
  cleanApiText,
  fail,
  type Job,
  OPTION_WORDS,
  type PlayCanvasClient,
  type RunOptions,
  resolveBuildOptions,
  resolveExportOptions,
  type Schema,
  show,
  type Vocabulary,
} from '@gulp-playcanvas/playcanvas-rest-client';
import {
  engineMismatch,
  engineMismatchError,
  engineMismatchWarning,
  type JobRequest,
  jobMessages,
} from './job-notes.js';

export type { JobRequest } from './job-notes.js';

/**
 * What every entry point (the gulp plugin, the CLI, the Grunt task) does around a build, decided here once:
 * an optional checkpoint first, the engine version guard, and the metadata that says what was built.
 */
export const PIPELINE_OPTIONS = {
  checkpoint: {
    type: {
      kind: 'custom',
      check: (value, name) => {
        if (value === true || value === false) return;
        if (typeof value !== 'string' || value.trim() === '' || value.length > 10_000)
          fail(name, `must be true or a description (at most 10,000 characters); got ${show(value)}`);
      },
    },
    ts: 'boolean | string',
    default: false,
    doc:
      'Create a checkpoint of the branch first (`true`, or its description), then build; ' +
      'the checkpoint’s id goes in the build metadata.',
  },
  requireEngineVersion: {
    type: { kind: 'boolean' },
    default: false,
    doc:
      'Refuse to build without `engineVersion`, and fail a build the API made with another engine than ' +
      '`engineVersion` asked for. Without it, both warn, naming the engine the job used.',
  },
} as const satisfies Schema;

export interface PipelineSettings {
  checkpoint: boolean | string;
  requireEngineVersion: boolean;
}

/** What was built, from what: on every vinyl file (`file.playcanvas`), in the CLI's JSON, in the Grunt log. */
export interface BuildMetadata {
  jobId: number;
  projectId: number;
  branchId?: string;
  checkpointId?: string;
  engineVersion?: string;
  /** 'static' or 'npm' for a build; 'export' for a project archive. */
  format: string;
}

export interface PipelineResult extends BuildResult {
  metadata: BuildMetadata;
  checkpoint?: Checkpoint;
  /** Sentences for the user's log: the job's own messages, an engine other than asked for, one not pinned. */
  warnings: string[];
}

/** Checks the cross-option rules before any request: requireEngineVersion needs engineVersion. */
export function checkPipeline(settings: PipelineSettings, job: JobRequest, words: Vocabulary = OPTION_WORDS): void {
  if (settings.requireEngineVersion && job.kind === 'build' && job.options.engineVersion === undefined)
    throw new ConfigError(
      `${words.option('requireEngineVersion')} is set, but ${words.option('engineVersion')} is not: ` +
        `give the engine version to build with, e.g. ${words.setting('engineVersion', '2.23.3')}`,
      'engineVersion',
    );
}

function checkpointDescription(settings: PipelineSettings, job: JobRequest): string {
  if (typeof settings.checkpoint === 'string') return settings.checkpoint;
  if (job.kind === 'export') return 'Before an export';
  const { name, version } = job.options;
  return `Before building ${JSON.stringify(name)}${version ? ` ${version}` : ''}`;
}

/**
 * Builds (or exports), after a checkpoint of the same branch when asked. PlayCanvas builds from the branch as
 * it is, so the checkpoint records the state the build was made from (edits made in between would be in the
 * build but not in the checkpoint).
 */
export async function runPipeline(
  client: PlayCanvasClient,
  settings: PipelineSettings,
  request: JobRequest,
  run: RunOptions = {},
  words: Vocabulary = OPTION_WORDS,
): Promise<PipelineResult> {
  checkPipeline(settings, request, words);
  let job = request;
  let checkpoint: Checkpoint | undefined;
  if (settings.checkpoint !== false) {
    const { projectId, branchId, branch } = request.options;
    checkpoint = await client.createCheckpoint(
      {
        projectId,
        ...(branchId !== undefined ? { branchId } : {}),
        ...(branch !== undefined ? { branch } : {}),
        description: checkpointDescription(settings, request),
      },
      run,
    );
    // the build's branch is the checkpoint's: the id it was resolved to, not the name looked up again
    const pinned = checkpoint.branchId as string;
    const { branch: _name, ...rest } = request.options;
    job =
      request.kind === 'build'
        ? { kind: 'build', options: resolveBuildOptions({ ...rest, branchId: pinned }) }
        : { kind: 'export', options: resolveExportOptions({ ...rest, branchId: pinned }) };
  }
  // the archive is read while it arrives: the adapters open it at once
  const early = { ...run, readWhileDownloading: true };
  const result =
    job.kind === 'build' ? await client.build(job.options, early) : await client.export(job.options, early);
  const metadata = metadataOf(result.job, job, checkpoint);
  const warnings = jobMessages(result.job);
  const mismatch = engineMismatch(job, metadata.engineVersion);
  if (mismatch && settings.requireEngineVersion) {
    await result.archive.dispose();
    throw engineMismatchError(result.job, mismatch, words);
  }
  if (mismatch) warnings.push(engineMismatchWarning(result.job, mismatch, words));
  if (job.kind === 'build' && job.options.engineVersion === undefined) {
    const pin = metadata.engineVersion
      ? words.setting('engineVersion', metadata.engineVersion)
      : words.option('engineVersion');
    warnings.push(
      `no ${words.option('engineVersion')} was given, so the API chose the engine: ` +
        `job ${result.job.id} reports ${metadata.engineVersion ?? 'no version'}; ` +
        `pin it with ${pin} (the default has changed silently before), ` +
        `or set ${words.option('requireEngineVersion')} to refuse builds without it`,
    );
  }
  return { ...result, metadata, warnings, ...(checkpoint ? { checkpoint } : {}) };
}

function metadataOf(job: Job, request: JobRequest, checkpoint: Checkpoint | undefined): BuildMetadata {
  const data = job.data;
  const branchId = typeof data.branchId === 'string' ? data.branchId : request.options.branchId;
  const engineVersion =
    typeof data.engineVersion === 'string' && data.engineVersion !== ''
      ? cleanApiText(data.engineVersion, 100)
      : request.kind === 'build'
        ? request.options.engineVersion
        : undefined;
  const format =
    request.kind === 'export'
      ? 'export'
      : typeof data.format === 'string'
        ? data.format
        : (request.options.format ?? 'static');
  return {
    jobId: job.id,
    projectId: request.options.projectId,
    ...(branchId !== undefined ? { branchId } : {}),
    ...(checkpoint ? { checkpointId: checkpoint.id } : {}),
    ...(engineVersion !== undefined ? { engineVersion } : {}),
    format,
  };
}
