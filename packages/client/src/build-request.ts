import { resolveOptions } from './option-schema.js';
import type { BranchOptions, BuildOptions, CheckpointOptions, ExportOptions } from './options.generated.js';
import { BRANCH_OPTIONS, BUILD_OPTIONS, CHECKPOINT_OPTIONS, checkBranchChoice, EXPORT_OPTIONS } from './options.js';

const resolved = new WeakSet<object>();

function brand<T extends object>(value: T): T {
  resolved.add(value);
  return value;
}

/** Checks build options against the documented limits before any request; a value resolved before passes as it is. */
export function resolveBuildOptions(input: unknown): Readonly<BuildOptions> {
  if (typeof input === 'object' && input !== null && resolved.has(input)) return input as BuildOptions;
  const options = resolveOptions(BUILD_OPTIONS, input, { label: 'build' });
  checkBranchChoice(options);
  return brand(options as unknown as BuildOptions);
}

export function resolveExportOptions(input: unknown): Readonly<ExportOptions> {
  if (typeof input === 'object' && input !== null && resolved.has(input)) return input as ExportOptions;
  const options = resolveOptions(EXPORT_OPTIONS, input, { label: 'export', listKnown: true });
  checkBranchChoice(options);
  return brand(options as unknown as ExportOptions);
}

export function resolveCheckpointOptions(input: unknown): Readonly<CheckpointOptions> {
  if (typeof input === 'object' && input !== null && resolved.has(input)) return input as CheckpointOptions;
  const options = resolveOptions(CHECKPOINT_OPTIONS, input, { label: 'checkpoint', listKnown: true });
  checkBranchChoice(options);
  return brand(options as unknown as CheckpointOptions);
}

export function resolveBranchOptions(input: unknown): Readonly<BranchOptions> {
  if (typeof input === 'object' && input !== null && resolved.has(input)) return input as BranchOptions;
  const options = resolveOptions(BRANCH_OPTIONS, input, { label: 'branch', listKnown: true });
  checkBranchChoice(options);
  return brand(options as unknown as BranchOptions);
}

/** Throws a ConfigError naming the option when the build options are wrong. */
export function validateBuildOptions(input: unknown): asserts input is BuildOptions {
  resolveBuildOptions(input);
}

export function validateExportOptions(input: unknown): asserts input is ExportOptions {
  resolveExportOptions(input);
}

const API_NAMES: Array<[keyof BuildOptions, string]> = [
  ['description', 'description'],
  ['version', 'version'],
  ['releaseNotes', 'release_notes'],
  ['scriptsConcatenate', 'scripts_concatenate'],
  ['scriptsMinify', 'scripts_minify'],
  ['scriptsSourcemaps', 'scripts_sourcemaps'],
  ['optimizeSceneFormat', 'optimize_scene_format'],
  ['format', 'format'],
  ['engineVersion', 'engine_version'],
  ['preloadBundle', 'preload_bundle'],
];

/** The one place where camelCase options become the API's snake_case body. */
export function toDownloadBody(options: Readonly<BuildOptions>, sceneIds: number[], branchId: string | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = { project_id: options.projectId, name: options.name, scenes: sceneIds };
  if (branchId !== undefined) body.branch_id = branchId;
  for (const [from, to] of API_NAMES) if (options[from] !== undefined) body[to] = options[from];
  return body;
}
