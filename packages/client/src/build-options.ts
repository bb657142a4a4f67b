import { ConfigError } from './errors.js';

/** What to build: the documented apps/download options, in camelCase. */
export interface BuildOptions {
  projectId: number;
  /** The app's name (under 1000 characters). */
  name: string;
  /** Scene ids or names; the first is the initial scene. */
  scenes: Array<number | string>;
  /** Branch id. Default: the main branch. Give `branch` to name it instead. */
  branchId?: string;
  /** Branch name, resolved to its id (following every page of the branch list). */
  branch?: string;
  description?: string;
  version?: string;
  releaseNotes?: string;
  scriptsConcatenate?: boolean;
  scriptsMinify?: boolean;
  scriptsSourcemaps?: boolean;
  optimizeSceneFormat?: boolean;
  format?: 'static' | 'npm';
  /** Engine version, e.g. "2.7.4". Sending it explicitly guards against silent default changes. */
  engineVersion?: string;
  preloadBundle?: boolean;
}

/** What to export: a project archive of one branch. */
export interface ExportOptions {
  projectId: number;
  branchId?: string;
  branch?: string;
}

const fail = (option: string, problem: string): never => {
  throw new ConfigError(`Option ${option} ${problem}`, option);
};

function checkProjectId(value: unknown): void {
  if (value === undefined) fail('projectId', 'is required: the number in the project URL (playcanvas.com/project/<id>)');
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
    fail('projectId', `must be a positive integer; got ${JSON.stringify(value)}`);
}

function checkBranch(options: { branchId?: unknown; branch?: unknown }): void {
  if (options.branchId !== undefined && options.branch !== undefined) fail('branch', 'and branchId were both given: give one');
  if (options.branchId !== undefined && (typeof options.branchId !== 'string' || options.branchId === '')) {
    fail('branchId', 'must be a non-empty string (the id from the Version Control panel)');
  }
  if (options.branch !== undefined && (typeof options.branch !== 'string' || options.branch === '')) fail('branch', 'must be a branch name');
}

function checkString(options: Record<string, unknown>, key: string, max: number, inclusive: boolean): void {
  const value = options[key];
  if (value === undefined) return;
  if (typeof value !== 'string') fail(key, `must be a string; got ${typeof value}`);
  const length = (value as string).length;
  if (inclusive ? length > max : length >= max) fail(key, `is ${length} characters long; it must be ${inclusive ? 'at most' : 'under'} ${max}`);
}

const BOOLEANS = ['scriptsConcatenate', 'scriptsMinify', 'scriptsSourcemaps', 'optimizeSceneFormat', 'preloadBundle'] as const;
const KNOWN = new Set([
  'projectId',
  'name',
  'scenes',
  'branchId',
  'branch',
  'description',
  'version',
  'releaseNotes',
  'format',
  'engineVersion',
  ...BOOLEANS,
]);

/** Checks build options against the documented limits before any request; throws a ConfigError naming the option. */
export function validateBuildOptions(options: unknown, extraKeys: ReadonlySet<string> = new Set()): asserts options is BuildOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError('Build options must be an object with projectId, name and scenes');
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key) && !extraKeys.has(key)) {
      const hint = key.includes('_') ? ` (options are camelCase: ${key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())})` : '';
      fail(key, `is not a build option${hint}`);
    }
  }
  checkProjectId(o.projectId);
  if (o.name === undefined) fail('name', 'is required: the name of the app');
  if (typeof o.name !== 'string' || o.name.trim() === '') fail('name', 'must be a non-empty string');
  checkString(o, 'name', 1000, false);
  if (o.scenes === undefined) fail('scenes', 'is required: scene ids or names, the first being the initial scene');
  if (!Array.isArray(o.scenes) || o.scenes.length === 0) fail('scenes', 'must be a non-empty array of scene ids or names');
  for (const scene of o.scenes as unknown[]) {
    const ok = (typeof scene === 'number' && Number.isSafeInteger(scene) && scene > 0) || (typeof scene === 'string' && scene !== '');
    if (!ok) fail('scenes', `must hold scene ids (positive integers) or names; got ${JSON.stringify(scene)}`);
  }
  checkBranch(o);
  checkString(o, 'description', 10_000, false);
  checkString(o, 'version', 20, true);
  checkString(o, 'releaseNotes', 10_000, true);
  checkString(o, 'engineVersion', 100, true);
  for (const key of BOOLEANS) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') fail(key, `must be true or false; got ${JSON.stringify(o[key])}`);
  }
  if (o.format !== undefined && o.format !== 'static' && o.format !== 'npm')
    fail('format', `must be "static" or "npm"; got ${JSON.stringify(o.format)}`);
}

export function validateExportOptions(options: unknown): asserts options is ExportOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError('Export options must be an object with projectId');
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o))
    if (!['projectId', 'branchId', 'branch'].includes(key)) fail(key, 'is not an export option (projectId, branchId, branch)');
  checkProjectId(o.projectId);
  checkBranch(o);
}

/** The one place where camelCase options become the API's snake_case body. */
export function toDownloadBody(options: BuildOptions, sceneIds: number[], branchId: string | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = { project_id: options.projectId, name: options.name, scenes: sceneIds };
  const map: Array<[keyof BuildOptions, string]> = [
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
  if (branchId !== undefined) body.branch_id = branchId;
  for (const [from, to] of map) if (options[from] !== undefined) body[to] = options[from];
  return body;
}
