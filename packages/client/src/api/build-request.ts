import type { BranchOptions, BuildOptions, CheckpointOptions, ExportOptions, Resolved } from '../options/index.js';
import {
  BRANCH_OPTIONS,
  BUILD_OPTIONS,
  CHECKPOINT_OPTIONS,
  checkBranchChoice,
  EXPORT_OPTIONS,
  resolveOptions,
  type Schema,
} from '../options/index.js';

/**
 * One kind of request's options, from what the user gave: checked against its table and the branch rule, and
 * completed. `listKnown`: an unknown option's error lists the known ones.
 */
function resolverOf<T extends object>(table: Schema, label: string, listKnown: boolean) {
  return (input: unknown): Resolved<T> => {
    const options = resolveOptions(table, input, listKnown ? { label, listKnown } : { label });
    checkBranchChoice(options);
    return options as unknown as Resolved<T>;
  };
}

export type ResolvedBuildOptions = Resolved<BuildOptions>;
export type ResolvedExportOptions = Resolved<ExportOptions>;
export type ResolvedCheckpointOptions = Resolved<CheckpointOptions>;
export type ResolvedBranchOptions = Resolved<BranchOptions>;

/** Checks build options against the documented limits before any request. */
export const resolveBuildOptions = resolverOf<BuildOptions>(BUILD_OPTIONS, 'build', false);
export const resolveExportOptions = resolverOf<ExportOptions>(EXPORT_OPTIONS, 'export', true);
export const resolveCheckpointOptions = resolverOf<CheckpointOptions>(CHECKPOINT_OPTIONS, 'checkpoint', true);
export const resolveBranchOptions = resolverOf<BranchOptions>(BRANCH_OPTIONS, 'branch', true);

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
export function toDownloadBody(
  options: Readonly<BuildOptions>,
  sceneIds: number[],
  branchId: string | undefined,
): Record<string, unknown> {
  const body: Record<string, unknown> = { project_id: options.projectId, name: options.name, scenes: sceneIds };
  if (branchId !== undefined) body.branch_id = branchId;
  for (const [from, to] of API_NAMES) if (options[from] !== undefined) body[to] = options[from];
  return body;
}
