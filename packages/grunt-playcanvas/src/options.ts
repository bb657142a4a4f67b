import { isAbsolute } from 'node:path';
import { type ResolvedCheckOptions, resolveCheckOptions } from '@gulp-playcanvas/playcanvas-build-check/options';
import {
  checkPipeline,
  type JobRequest,
  PIPELINE_OPTIONS,
  type PipelineSettings,
  type PostStep,
  refuseWithoutFiles,
  resolveOutputFolder,
} from '@gulp-playcanvas/playcanvas-pipeline';
import {
  ARCHIVE_OPTIONS,
  type ArchiveOptions,
  BUILD_OPTIONS,
  CLIENT_OPTIONS,
  type ClientConfig,
  ConfigError,
  EXPORT_OPTIONS,
  fail,
  OPTION_WORDS,
  pick,
  refuseUnknownKeys,
  resolveBuildOptions,
  resolveClientConfig,
  resolveExportOptions,
  resolveOptions,
  type Schema,
  show,
} from '@gulp-playcanvas/playcanvas-rest-client';
import { POSTPROCESS_OPTIONS, resolvePostSteps } from './post-steps.js';

/** What a target holds beside its options: where the build goes. */
export const TARGET_PROPERTIES = {
  dest: {
    type: { kind: 'string', nonEmpty: true, expect: 'a folder path' },
    required: "the folder to write the build to, e.g. dest: 'build'",
    doc:
      'The folder the build is written to, relative to the Gruntfile’s folder; set on the target, beside `options`. ' +
      'It is replaced as a whole, and only once the build is written, post-processed and checked.',
  },
} as const satisfies Schema;

/** The task's own options: what to do with the archive, and what to write beside it. */
export const TASK_OPTIONS = {
  export: {
    type: { kind: 'boolean' },
    default: false,
    doc:
      'Export the project archive instead of building the app: then only `projectId` and `branch`/`branchId` apply ' +
      '(build options the target gets from the task’s options are left out).',
  },
  extract: {
    type: { kind: 'boolean' },
    default: true,
    doc:
      'Write one file per archive entry (modes and dates kept), or with `false` the zip itself into `dest` ' +
      '(every entry’s CRC is checked first).',
  },
  replaceOutside: {
    type: { kind: 'boolean' },
    default: false,
    doc:
      'Allow a `dest` outside the project folder that already holds files (they are all replaced). ' +
      'Without it such a `dest` is refused before any request, ' +
      'so that a typo such as `../other-project` deletes nothing.',
  },
  metadataFile: {
    type: {
      kind: 'custom',
      check: (value, name) => {
        if (
          typeof value !== 'string' ||
          value.trim() === '' ||
          isAbsolute(value) ||
          value.split(/[/\\]/).includes('..')
        )
          fail(name, `must be a file path inside dest, such as 'build.json'; got ${show(value)}`);
      },
    },
    ts: 'string',
    doc:
      'Also write what was built (job, project, branch, checkpoint, engine, format) as JSON to this path in `dest`, ' +
      'e.g. `build.json`. The log shows it either way.',
  },
} as const satisfies Schema;

/** The client options a Gruntfile can give (not the programmatic hooks). */
export const TASK_CLIENT_OPTIONS = (({ onProgress: _p, fetch: _f, env: _e, ...rest }) => rest)(
  CLIENT_OPTIONS,
) satisfies Schema;
export const TASK_ARCHIVE_OPTIONS = (({ dosTimezone: _d, ...rest }) => rest)(ARCHIVE_OPTIONS) satisfies Schema;

/** Every table the task's options come from, in the order the README shows them. */
export const TASK_TABLES: Schema[] = [
  BUILD_OPTIONS,
  PIPELINE_OPTIONS,
  TASK_OPTIONS,
  POSTPROCESS_OPTIONS,
  TASK_CLIENT_OPTIONS,
  TASK_ARCHIVE_OPTIONS,
];

/** Every option name the task takes: an unknown key is refused against these, with the nearest suggested. */
export const TASK_OPTION_NAMES: readonly string[] = TASK_TABLES.flatMap((table) => Object.keys(table));

const BUILD_ONLY = new Set(Object.keys(BUILD_OPTIONS).filter((key) => !(key in EXPORT_OPTIONS)));
const NOT_JOB = new Set(
  [PIPELINE_OPTIONS, TASK_OPTIONS, POSTPROCESS_OPTIONS, TASK_CLIENT_OPTIONS, TASK_ARCHIVE_OPTIONS].flatMap((t) =>
    Object.keys(t),
  ),
);

export interface TaskSettings {
  export: boolean;
  extract: boolean;
  replaceOutside: boolean;
  metadataFile: string | undefined;
}

/** Everything a run needs, checked once before anything starts. */
export interface ResolvedTask {
  /** Absolute. */
  readonly dest: string;
  readonly client: ClientConfig;
  readonly job: JobRequest;
  readonly pipeline: Readonly<PipelineSettings>;
  readonly task: Readonly<TaskSettings>;
  readonly archive: Readonly<ArchiveOptions>;
  /** In the order they run: stampVersion, assetPrefix, singleFile, csp. */
  readonly steps: readonly PostStep[];
  readonly check: ResolvedCheckOptions | undefined;
}

export interface TaskInput {
  /** What this.options() gave: the task's options with the target's on top. */
  options: unknown;
  /** The target's config (this.data). */
  target: unknown;
  /** "playcanvas:game", for messages. */
  nameArgs: string;
  /** The folder dest is relative to (Grunt's base: the Gruntfile's folder unless --base says otherwise). */
  cwd: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveDest(target: unknown, nameArgs: string, cwd: string, replaceOutside: boolean): string {
  if (!isPlainObject(target))
    throw new ConfigError(
      `${nameArgs} must be an object, ` +
        "e.g. { dest: 'build', options: { projectId: 1000, name: 'My Game', scenes: ['Main'] } }",
    );
  for (const key of Object.keys(target)) {
    if (key === 'dest' || key === 'options') continue;
    throw new ConfigError(
      `${nameArgs} has ${key} beside options: a target takes dest and options; put ${key} under options`,
      key,
    );
  }
  resolveOptions(TARGET_PROPERTIES, { dest: target.dest }, { label: 'target' });
  return resolveOutputFolder('dest', target.dest, cwd, {
    cwdName: 'the project folder',
    replaceOutside,
    replaceOutsideHint: 'set replaceOutside: true in its options',
  });
}

/** The task's messages say "Option csp ..."; a target's options come on top of the task's, so one is left out there. */
const GRUNT_WORDS = {
  ...OPTION_WORDS,
  the: (name: string) => `Option ${name}`,
  leaveOut: (name: string) => `set ${name}: false on this target if it comes from the task's options`,
};

/** Checks every option and the target, and throws a ConfigError naming the one at fault. */
export function resolveTask(input: TaskInput): ResolvedTask {
  if (!isPlainObject(input.options))
    throw new ConfigError(`The options of ${input.nameArgs} must be an object; got ${show(input.options)}`);
  const all = input.options;
  if ('dest' in all)
    throw new ConfigError(
      `dest goes on the target, beside options: ${input.nameArgs.replace(/^[^:]*:/, '')}: ` +
        "{ dest: 'build', options: { ... } }",
      'dest',
    );
  refuseUnknownKeys(all, TASK_OPTION_NAMES, 'playcanvas task');
  const task = resolveOptions(TASK_OPTIONS, pick(all, TASK_OPTIONS), { label: 'task' }) as unknown as TaskSettings;
  const dest = resolveDest(input.target, input.nameArgs, input.cwd, task.replaceOutside);
  const jobInput: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(all)) {
    // Targets share the task's options, so an export target inherits what the build targets need: not an error.
    if (NOT_JOB.has(key) || (task.export && BUILD_ONLY.has(key))) continue;
    jobInput[key] = value;
  }
  const job: JobRequest = task.export
    ? { kind: 'export', options: resolveExportOptions(jobInput) }
    : { kind: 'build', options: resolveBuildOptions(jobInput) };
  const pipeline = resolveOptions(PIPELINE_OPTIONS, pick(all, PIPELINE_OPTIONS), {
    label: 'task',
  }) as unknown as PipelineSettings;
  checkPipeline(pipeline, job);
  const post = pick(all, POSTPROCESS_OPTIONS);
  resolveOptions(POSTPROCESS_OPTIONS, post, { label: 'task' });
  const wanted = Object.keys(post).filter((key) => post[key] !== false);
  const format = job.kind === 'build' ? job.options.format : undefined;
  refuseWithoutFiles({ kind: job.kind, format, extracted: task.extract }, wanted, GRUNT_WORDS);
  const checkPage = isPlainObject(post.check) && post.check.page !== undefined;
  if (checkPage && post.playable !== undefined && post.playable !== false)
    fail('check.page', "does not go with playable: the check opens the playable's page (ad.html for vungle)");
  const version = job.kind === 'build' ? job.options.version : undefined;
  return Object.freeze({
    dest,
    client: resolveClientConfig(pick(all, TASK_CLIENT_OPTIONS)),
    job,
    pipeline,
    task,
    archive: resolveOptions(TASK_ARCHIVE_OPTIONS, pick(all, TASK_ARCHIVE_OPTIONS), { label: 'task' }) as ArchiveOptions,
    steps: resolvePostSteps(post, version),
    check: post.check === undefined || post.check === false ? undefined : resolveCheck(post.check),
  });
}

function resolveCheck(value: unknown): ResolvedCheckOptions {
  try {
    // the browser is set inside the check option: messages say where
    return resolveCheckOptions(value === true ? {} : (value as object), (name) => `the check.${name} option`);
  } catch (error) {
    const message = (error as Error).message;
    throw new ConfigError(/^check option/i.test(message) ? message : `Option check: ${message}`, 'check');
  }
}
