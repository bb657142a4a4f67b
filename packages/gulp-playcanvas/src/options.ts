import {
  checkPipeline,
  type JobRequest,
  PIPELINE_OPTIONS,
  type PipelineSettings,
} from '@gulp-playcanvas/playcanvas-pipeline';
import {
  ARCHIVE_OPTIONS,
  type ArchiveOptions,
  BUILD_OPTIONS,
  CLIENT_OPTIONS,
  type ClientConfig,
  ConfigError,
  pick,
  RUN_OPTIONS,
  refuseUnknownKeys,
  resolveBuildOptions,
  resolveClientConfig,
  resolveExportOptions,
  resolveOptions,
  type Schema,
} from '@gulp-playcanvas/playcanvas-rest-client';

import { PLUGIN_NAME } from './plugin-error.js';

const MiB = 1024 * 1024;

/** The plugin's own options: what to do with the archive once the client has it. */
export const PLUGIN_OPTIONS = {
  export: {
    type: { kind: 'boolean' },
    default: false,
    doc: 'Export the project archive instead of building the app: then only `projectId` and `branch`/`branchId` apply.',
  },
  extract: {
    type: { kind: 'boolean' },
    default: true,
    doc:
      'Emit one file per archive entry, or with `false` the zip itself as one file (every entry’s CRC is checked ' +
      'first).',
  },
  buffer: {
    type: { kind: 'boolean' },
    default: true,
    doc: 'Buffer contents, or with `false` stream them: memory then stays flat whatever the size.',
  },
  maxBufferBytes: {
    type: { kind: 'integer' },
    default: 512 * MiB,
    defaultText: '512 MiB',
    doc:
      'With buffered contents, the largest entry accepted; a larger one fails the build before any file is ' +
      'written (use `buffer: false`).',
  },
} as const satisfies Schema;

/** The client options the plugin takes (everything but the programmatic hooks). */
export const PLUGIN_CLIENT_OPTIONS = (({ onProgress: _p, fetch: _f, env: _e, ...rest }) => rest)(
  CLIENT_OPTIONS,
) satisfies Schema;
export const PLUGIN_RUN_OPTIONS = { signal: RUN_OPTIONS.signal } as const satisfies Schema;
export const PLUGIN_ARCHIVE_OPTIONS = (({ dosTimezone: _d, ...rest }) => rest)(ARCHIVE_OPTIONS) satisfies Schema;

/** Every table the plugin's options come from, in the order the README shows them. */
export const PLUGIN_TABLES: Schema[] = [
  BUILD_OPTIONS,
  PIPELINE_OPTIONS,
  PLUGIN_OPTIONS,
  PLUGIN_CLIENT_OPTIONS,
  PLUGIN_RUN_OPTIONS,
  PLUGIN_ARCHIVE_OPTIONS,
];

/** Every option name the plugin takes: an unknown key is refused against these, with the nearest suggested. */
export const PLUGIN_OPTION_NAMES: readonly string[] = PLUGIN_TABLES.flatMap((table) => Object.keys(table));

const NOT_JOB = new Set(
  [PIPELINE_OPTIONS, PLUGIN_OPTIONS, PLUGIN_CLIENT_OPTIONS, PLUGIN_RUN_OPTIONS, PLUGIN_ARCHIVE_OPTIONS].flatMap((t) =>
    Object.keys(t),
  ),
);

export interface PluginSettings {
  export: boolean;
  extract: boolean;
  buffer: boolean;
  maxBufferBytes: number;
}

/** Everything the plugin needs, checked once at creation: the client gets a frozen, fully defaulted config. */
export interface ResolvedOptions {
  readonly client: ClientConfig;
  readonly job: JobRequest;
  readonly pipeline: Readonly<PipelineSettings>;
  readonly plugin: Readonly<PluginSettings>;
  readonly signal: AbortSignal | undefined;
  readonly archive: Readonly<ArchiveOptions>;
}

/** Checks every option and throws a ConfigError naming the one at fault. */
export function resolvePluginOptions(input: unknown): ResolvedOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError(
      "playcanvas() takes an options object, e.g. playcanvas({ projectId: 1000, name: 'My Game', scenes: ['Main'] })",
    );
  }
  const all = input as Record<string, unknown>;
  refuseUnknownKeys(all, PLUGIN_OPTION_NAMES, PLUGIN_NAME);
  const jobInput: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(all)) if (!NOT_JOB.has(key)) jobInput[key] = value;
  const plugin = resolveOptions(PLUGIN_OPTIONS, pick(all, PLUGIN_OPTIONS), {
    label: 'plugin',
  }) as unknown as PluginSettings;
  const job = plugin.export
    ? ({ kind: 'export', options: resolveExportOptions(jobInput) } as const)
    : ({ kind: 'build', options: resolveBuildOptions(jobInput) } as const);
  const run = resolveOptions(PLUGIN_RUN_OPTIONS, pick(all, PLUGIN_RUN_OPTIONS), { label: 'plugin' });
  const pipeline = resolveOptions(PIPELINE_OPTIONS, pick(all, PIPELINE_OPTIONS), {
    label: 'plugin',
  }) as unknown as PipelineSettings;
  checkPipeline(pipeline, job);
  return Object.freeze({
    client: resolveClientConfig(pick(all, PLUGIN_CLIENT_OPTIONS)),
    job,
    pipeline,
    plugin,
    signal: run.signal as AbortSignal | undefined,
    archive: resolveOptions(PLUGIN_ARCHIVE_OPTIONS, pick(all, PLUGIN_ARCHIVE_OPTIONS), {
      label: 'plugin',
    }) as ArchiveOptions,
  });
}
